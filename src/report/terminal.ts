/**
 * The report for people at a terminal: a symbol per step and check, the
 * diagnosis and action under each failure, a counts line and the ids needed
 * to follow the run up in Beacon or Stripe.
 */
import { Chalk } from 'chalk';
import type { ChalkInstance } from 'chalk';
import type { CheckResult, CheckStatus, Diagnosis, Report, StepResult } from './model.js';
import {
  allChecks,
  diagnosesForCheck,
  overallStatus,
  showsDiagnoses,
  STATUS_SYMBOLS,
  summaryText,
  unattachedDiagnoses,
} from './summary.js';
import { evidenceLines, formatDuration, stripControls, truncate } from './text.js';

export interface TerminalOptions {
  /** Whether to emit ANSI colour; the caller decides (TTY, NO_COLOR, flags). */
  color: boolean;
  /** Show evidence under checks and diagnoses. */
  verbose?: boolean;
  /** Columns to wrap to; 80 when not given. */
  width?: number;
}

export { STATUS_SYMBOLS } from './summary.js';

const DEFAULT_WIDTH = 80;
const MIN_WIDTH = 40;
const LABEL_WIDTH = 14;

interface Painter {
  chalk: ChalkInstance;
  width: number;
  verbose: boolean;
}

function paintStatus(p: Painter, status: CheckStatus, text: string): string {
  switch (status) {
    case 'pass':
      return p.chalk.green(text);
    case 'warn':
      return p.chalk.yellow(text);
    case 'fail':
      return p.chalk.red(text);
    case 'skip':
      return p.chalk.gray(text);
  }
}

function symbol(p: Painter, status: CheckStatus): string {
  return paintStatus(p, status, STATUS_SYMBOLS[status]);
}

// Counts code points, not terminal columns: wide characters (CJK, most emoji) take two
// columns, so a line holding them can run a column or two past `width`.
function visibleLength(text: string): number {
  return Array.from(text).length;
}

/** Word-wraps each line of `text` to `width` columns; long words stay whole. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    let current = '';
    for (const word of line.split(/ +/)) {
      if (current === '') current = word;
      else if (visibleLength(current) + 1 + visibleLength(word) <= width)
        current += ` ${word}`;
      else {
        out.push(current);
        current = word;
      }
    }
    out.push(current);
  }
  return out;
}

/** A labelled value, wrapped with continuation lines under the value column. */
function labelled(p: Painter, indent: number, label: string, value: string): string[] {
  const pad = ' '.repeat(indent);
  const column = Math.max(p.width - indent - LABEL_WIDTH, 20);
  const lines = wrap(stripControls(value), column);
  return lines.map((line, i) => {
    const head =
      i === 0 ? p.chalk.bold(label.padEnd(LABEL_WIDTH)) : ' '.repeat(LABEL_WIDTH);
    return `${pad}${head}${line}`;
  });
}

function evidenceBlock(p: Painter, indent: number, evidence: Record<string, unknown>) {
  if (!p.verbose) return [];
  const pad = ' '.repeat(indent);
  const room = Math.max(p.width - indent, 20);
  return evidenceLines(evidence).map((line) =>
    p.chalk.dim(`${pad}${truncate(singleLineOf(line), room)}`),
  );
}

function singleLineOf(text: string): string {
  return stripControls(text).replace(/\s*\n\s*/g, ' ⏎ ');
}

function diagnosisBlock(p: Painter, indent: number, d: Diagnosis): string[] {
  const pad = ' '.repeat(indent);
  const severity = d.severity === 'error' ? p.chalk.red : p.chalk.yellow;
  const lines = [`${pad}${severity('→')} ${p.chalk.bold(stripControls(d.id))}`];
  lines.push(...labelled(p, indent + 2, 'Symptom', d.symptom));
  lines.push(...labelled(p, indent + 2, 'Likely cause', d.diagnosis));
  lines.push(...labelled(p, indent + 2, 'Action', d.action));
  if (d.command) {
    const command = labelled(p, indent + 2, 'Run', d.command);
    lines.push(...command.map((line) => p.chalk.cyan(line)));
  }
  lines.push(...evidenceBlock(p, indent + 2, d.evidence));
  return lines;
}

function firstCheckShowing(report: Report, d: Diagnosis): string | undefined {
  return allChecks(report).find(
    ({ check }) => d.checkIds.includes(check.id) && showsDiagnoses(check.status),
  )?.check.id;
}

function checkLines(p: Painter, report: Report, check: CheckResult): string[] {
  const title = stripControls(check.title);
  const message = stripControls(check.message).trim();
  const head = `  ${symbol(p, check.status)} ${title}`;
  const lines: string[] = [];

  // Short messages share the title's line; longer ones go underneath.
  const oneLine = `  ${STATUS_SYMBOLS[check.status]} ${title}  ${message}`;
  if (message === '') lines.push(head);
  else if (!message.includes('\n') && visibleLength(oneLine) <= p.width) {
    lines.push(`${head}  ${p.chalk.dim(message)}`);
  } else {
    lines.push(head);
    for (const line of wrap(message, Math.max(p.width - 4, 20))) {
      lines.push(p.chalk.dim(`    ${line}`));
    }
  }

  lines.push(...evidenceBlock(p, 4, check.evidence));
  if (!showsDiagnoses(check.status)) return lines;
  for (const d of diagnosesForCheck(report, check.id)) {
    // One diagnosis often explains several checks: in full once, then by name.
    if (firstCheckShowing(report, d) === check.id) lines.push(...diagnosisBlock(p, 4, d));
    else lines.push(`    ${p.chalk.dim(`→ ${stripControls(d.id)} (see above)`)}`);
  }
  return lines;
}

function stepLines(p: Painter, report: Report, step: StepResult): string[] {
  const head = `${symbol(p, step.status)} ${p.chalk.bold(stripControls(step.title))}`;
  const lines = [`${head}  ${p.chalk.dim(formatDuration(step.durationMs))}`];
  for (const check of step.checks) lines.push(...checkLines(p, report, check));
  return lines;
}

function headerLine(p: Painter, report: Report): string {
  const parts = [`${report.tool.name} ${report.tool.version}`, report.command];
  const target = report.scenario
    ? `target ${report.target} (scenario ${report.scenario})`
    : `target ${report.target}`;
  parts.push(target);
  parts.push(`organization ${report.organizationId ?? 'unknown'}`);
  return p.chalk.bold(stripControls(parts.join(' · ')));
}

function correlationLines(p: Painter, report: Report): string[] {
  const { correlation } = report;
  const events = correlation.events;
  const verified = events.filter((e) => e.verified).length;
  const processed = events.filter((e) => e.beaconProcessed).length;
  const none = p.chalk.dim('none');
  const rows: Array<[string, string]> = [
    ['Run id', report.runId],
    ['Idempotency key', correlation.idempotencyKey ?? ''],
    ['Session', correlation.checkoutSessionId ?? ''],
    ['Subscription', correlation.subscriptionId ?? ''],
  ];
  // A read-only diagnose creates nothing, so only the ids it found are worth a line.
  const shownRows =
    report.command === 'diagnose' ? rows.filter(([, v]) => v !== '') : rows;
  const lines = shownRows.map(([label, value]) => {
    const shown = value === '' ? none : stripControls(value);
    return `${p.chalk.bold(label.padEnd(LABEL_WIDTH + 2))}${shown}`;
  });

  const eventsText =
    `${events.length} received, ${verified} verified, ` +
    `${processed} processed by Beacon`;
  if (report.command !== 'diagnose' || events.length > 0) {
    lines.push(`${p.chalk.bold('Events'.padEnd(LABEL_WIDTH + 2))}${eventsText}`);
  }
  if (!p.verbose) return lines;

  for (const e of events) {
    const flags = [
      e.verified ? 'verified' : 'not verified',
      e.beaconProcessed ? 'processed' : 'not processed',
      `${e.deliveries} ${e.deliveries === 1 ? 'delivery' : 'deliveries'}`,
    ];
    const line = `${' '.repeat(LABEL_WIDTH + 2)}${e.id} ${e.type} (${flags.join(', ')})`;
    lines.push(p.chalk.dim(stripControls(line)));
  }
  return lines;
}

/** Renders the report for a terminal; no ANSI codes at all when `color` is false. */
export function renderTerminal(report: Report, options: TerminalOptions): string {
  const p: Painter = {
    chalk: new Chalk({ level: options.color ? 1 : 0 }),
    width: Math.max(options.width ?? DEFAULT_WIDTH, MIN_WIDTH),
    verbose: options.verbose ?? false,
  };
  const lines = [headerLine(p, report), ''];

  for (const step of report.steps) lines.push(...stepLines(p, report, step), '');

  const loose = unattachedDiagnoses(report);
  if (loose.length > 0) {
    lines.push(p.chalk.bold('Diagnoses'));
    for (const d of loose) lines.push(...diagnosisBlock(p, 2, d));
    lines.push('');
  }

  const status = overallStatus(report);
  lines.push(`${symbol(p, status)} ${paintStatus(p, status, summaryText(report))}`);
  lines.push(...correlationLines(p, report));
  return `${lines.join('\n')}\n`;
}
