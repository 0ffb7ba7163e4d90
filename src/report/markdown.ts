/**
 * A GitHub job summary: the result, a table of every check and the
 * diagnoses with their actions. GitHub accepts at most 1 MiB a step.
 */
import type { CheckStatus, Diagnosis, Report } from './model.js';
import { allChecks, overallStatus, summaryText } from './summary.js';
import { stripControls } from './text.js';

/** GitHub's limit for one step's summary, in bytes. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

export interface MarkdownOptions {
  /** Upper bound for the document, in UTF-8 bytes; GitHub's limit by default. */
  maxBytes?: number;
}

const STATUS_LABELS: Readonly<Record<CheckStatus, string>> = {
  pass: '✅ pass',
  warn: '⚠️ warn',
  fail: '❌ fail',
  skip: '⏭️ skip',
};

const SEVERITY_ICONS: Readonly<Record<Diagnosis['severity'], string>> = {
  error: '❌',
  warning: '⚠️',
  info: 'ℹ️',
};

const HEADINGS: Readonly<Record<CheckStatus, string>> = {
  pass: '✅ {subject} passed',
  warn: '⚠️ {subject} passed with warnings',
  fail: '❌ {subject} failed',
  skip: '⏭️ {subject} skipped every check',
};

/** "Quickstart" for validate and init runs, "Diagnosis" for read-only diagnose runs. */
function heading(status: CheckStatus, report: Report): string {
  const subject = report.command === 'diagnose' ? 'Diagnosis' : 'Quickstart';
  return HEADINGS[status].replace('{subject}', subject);
}

/**
 * Inline text: Markdown punctuation and HTML are backslash-escaped so a message
 * cannot add links, emphasis or tags; newlines become `<br>`.
 */
function inline(text: string): string {
  return stripControls(text)
    .trim()
    .replace(/[\\`*_[\]<>|~&#!]/g, (c) => `\\${c}`)
    .replace(/\n/g, '<br>');
}

/** A code span that survives backticks inside the command. */
function code(text: string): string {
  const clean = stripControls(text).replace(/\n/g, ' ').trim();
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

function header(report: Report): string[] {
  const facts = [
    `**Target:** ${inline(report.target)}`,
    report.scenario ? `**Scenario:** ${inline(report.scenario)}` : null,
    `**Organization:** ${inline(report.organizationId ?? 'unknown')}`,
    `**Run:** ${code(report.runId)}`,
  ].filter((fact): fact is string => fact !== null);
  return [
    `## ${heading(overallStatus(report), report)}`,
    '',
    `${inline(summaryText(report))}`,
    '',
    facts.join(' · '),
    '',
  ];
}

function table(report: Report): string[] {
  const titles = new Map<string, string>(report.steps.map((s) => [s.id, s.title]));
  const rows = allChecks(report).map(({ stepId, check }) => {
    const cells = [
      inline(titles.get(stepId) ?? stepId),
      // GitHub splits table cells before it reads code spans, so pipes need escaping there too.
      `${code(check.id).replace(/\|/g, '\\|')} ${inline(check.title)}`,
      STATUS_LABELS[check.status],
      inline(check.message),
    ];
    return `| ${cells.join(' | ')} |`;
  });
  if (rows.length === 0) return ['_No checks ran._', ''];
  return [
    '| Step | Check | Status | Message |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ];
}

function diagnosisSection(d: Diagnosis): string[] {
  const lines = [
    `#### ${SEVERITY_ICONS[d.severity]} ${code(d.id)}`,
    '',
    `- **Symptom:** ${inline(d.symptom)}`,
    `- **Likely cause:** ${inline(d.diagnosis)}`,
    `- **Action:** ${inline(d.action)}`,
  ];
  if (d.command) lines.push(`- **Run:** ${code(d.command)}`);
  if (d.checkIds.length > 0)
    lines.push(`- **Checks:** ${d.checkIds.map(code).join(', ')}`);
  lines.push('');
  return lines;
}

function cap(markdown: string, maxBytes: number): string {
  if (Buffer.byteLength(markdown, 'utf8') < maxBytes) return markdown;

  const note =
    '\n> **Truncated:** this summary reached GitHub’s size limit. ' +
    'The JSON report has every check and diagnosis.\n';
  const budget = Math.max(maxBytes - Buffer.byteLength(note, 'utf8') - 1, 0);
  // Cut on a line boundary so neither a table row nor a UTF-8 sequence is split.
  const head = Buffer.from(markdown, 'utf8').subarray(0, budget).toString('utf8');
  const lastNewline = head.lastIndexOf('\n');
  return `${head.slice(0, Math.max(lastNewline, 0))}\n${note}`;
}

/** Renders the job summary, truncated with a note if it would exceed the limit. */
export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const lines = [...header(report), ...table(report)];
  if (report.diagnoses.length > 0) {
    lines.push('### Diagnoses', '');
    for (const d of report.diagnoses) lines.push(...diagnosisSection(d));
  }
  return cap(`${lines.join('\n').trimEnd()}\n`, options.maxBytes ?? SUMMARY_LIMIT_BYTES);
}
