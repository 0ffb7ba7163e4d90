/**
 * The report as one self-contained HTML page: inline CSS, an inline SVG
 * timeline, no scripts and nothing fetched from anywhere, so it can be
 * attached to a ticket or archived by CI and opened offline.
 */
import { escapeHtml } from './escape-html.js';
import { countChecks } from './model.js';
import type { CheckResult, CheckStatus, Diagnosis, Report, StepResult } from './model.js';
import {
  diagnosesForCheck,
  overallStatus,
  showsDiagnoses,
  STATUS_SYMBOLS,
  summaryText,
  unattachedDiagnoses,
} from './summary.js';
import { formatDuration, formatEvidenceValue } from './text.js';
import { renderTimelineSvg } from './timeline-svg.js';

export { escapeHtml } from './escape-html.js';

const BADGES: Readonly<Record<CheckStatus, string>> = {
  pass: 'Passed',
  warn: 'Passed with warnings',
  fail: 'Failed',
  skip: 'Skipped',
};

// The policy forbids every fetch; a page opened from disk then cannot phone home.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const CSS = `
:root { color-scheme: light; --pass: #1a7f37; --warn: #9a6700; --fail: #cf222e;
  --skip: #6e7781; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; color: #1f2328; background: #fff; line-height: 1.45;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
  Arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji";
  overflow-wrap: anywhere; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 16px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 12px; border-bottom: 1px solid var(--line);
  padding-bottom: 6px; }
h3 { font-size: 16px; margin: 0; display: flex; gap: 8px; align-items: baseline;
  flex-wrap: wrap; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 13px; }
.summary { display: flex; gap: 16px; align-items: flex-start; flex-wrap: wrap;
  padding: 16px; border: 1px solid var(--line); border-radius: 8px; }
.badge { display: inline-block; padding: 4px 12px; border-radius: 999px; color: #fff;
  font-weight: 600; white-space: nowrap; }
.badge.pass { background: var(--pass); } .badge.warn { background: var(--warn); }
.badge.fail { background: var(--fail); } .badge.skip { background: var(--skip); }
.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 12px;
  margin: 8px 0 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.counts { font-size: 16px; margin: 0; }
.timeline-box { border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
svg.timeline { display: block; max-width: 100%; height: auto; font-family: inherit; }
.step { border: 1px solid var(--line); border-left-width: 4px; border-radius: 6px;
  padding: 12px 14px; margin: 12px 0; }
.step.pass { border-left-color: var(--pass); } .step.warn { border-left-color: var(--warn); }
.step.fail { border-left-color: var(--fail); } .step.skip { border-left-color: var(--skip); }
.duration { color: var(--muted); font-weight: normal; font-size: 13px; }
.checks { list-style: none; margin: 8px 0 0; padding: 0; }
.check { display: grid; grid-template-columns: 1.4em minmax(0, 1fr); column-gap: 6px;
  padding: 6px 0; border-top: 1px solid var(--soft); }
.check-head { display: flex; gap: 4px 8px; align-items: baseline; flex-wrap: wrap; }
.sym { text-align: center; font-weight: 700; }
.sym.pass { color: var(--pass); } .sym.warn { color: var(--warn); }
.sym.fail { color: var(--fail); } .sym.skip { color: var(--skip); }
.check-id { color: var(--muted); }
.message { margin: 2px 0 0; color: var(--muted); white-space: pre-line; }
.diagnosis { margin: 8px 0 4px; padding: 10px 12px; border-radius: 6px;
  background: var(--soft); border: 1px solid var(--line); }
.diagnosis.error { border-color: #ffcecb; background: #fff8f7; }
.diagnosis.warning { border-color: #f5e0a0; background: #fffbea; }
.diagnosis dl { display: grid; grid-template-columns: max-content minmax(0, 1fr);
  gap: 4px 12px; margin: 6px 0 0; }
.diagnosis dt { color: var(--muted); }
.diagnosis dd { margin: 0; white-space: pre-line; }
.diagnosis dd.action { font-weight: 600; background: #fff3b0; padding: 2px 6px;
  border-radius: 4px; }
details { margin: 4px 0 0; }
summary { cursor: pointer; color: var(--muted); font-size: 13px; }
.evidence { display: grid; grid-template-columns: max-content minmax(0, 1fr);
  gap: 2px 12px; margin: 4px 0; font-size: 13px; }
.evidence dd { margin: 0; white-space: pre-wrap; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; font-size: 14px; }
.events th:nth-child(1) { width: 24%; } .events th:nth-child(2) { width: 36%; }
.events th:nth-child(3), .events th:nth-child(4) { width: 12%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
.correlation table { margin-top: 12px; }
.yes { color: var(--pass); } .no { color: var(--fail); }
footer { margin-top: 32px; color: var(--muted); font-size: 13px; }
`;

function h(value: string): string {
  return escapeHtml(value);
}

function evidenceDetails(evidence: Record<string, unknown>): string {
  const entries = Object.entries(evidence);
  if (entries.length === 0) return '';
  const rows = entries
    .map(
      ([key, value]) =>
        `<dt>${h(key)}</dt><dd><code>${h(formatEvidenceValue(value))}</code></dd>`,
    )
    .join('');
  return `<details><summary>Evidence</summary><dl class="evidence">${rows}</dl></details>`;
}

function diagnosisHtml(d: Diagnosis): string {
  const command = d.command ? `<dt>Run</dt><dd><code>${h(d.command)}</code></dd>` : '';
  return [
    `<div class="diagnosis ${h(d.severity)}" data-diagnosis="${h(d.id)}">`,
    `<strong>${h(d.id)}</strong>`,
    '<dl>',
    `<dt>Symptom</dt><dd>${h(d.symptom)}</dd>`,
    `<dt>Likely cause</dt><dd>${h(d.diagnosis)}</dd>`,
    `<dt>Action</dt><dd class="action">${h(d.action)}</dd>`,
    command,
    '</dl>',
    evidenceDetails(d.evidence),
    '</div>',
  ].join('');
}

function checkHtml(report: Report, check: CheckResult): string {
  const diagnoses = showsDiagnoses(check.status)
    ? diagnosesForCheck(report, check.id)
    : [];
  const message = check.message.trim()
    ? `<p class="message">${h(check.message)}</p>`
    : '';
  return [
    `<li class="check ${check.status}" data-check="${h(check.id)}">`,
    `<span class="sym ${check.status}" aria-label="${check.status}">`,
    `${STATUS_SYMBOLS[check.status]}</span>`,
    '<div class="check-body">',
    '<div class="check-head">',
    `<span class="title">${h(check.title)}</span>`,
    `<code class="check-id">${h(check.id)}</code>`,
    `<span class="duration">${h(formatDuration(check.durationMs))}</span>`,
    '</div>',
    message,
    ...diagnoses.map(diagnosisHtml),
    evidenceDetails(check.evidence),
    '</div>',
    '</li>',
  ].join('');
}

function stepHtml(report: Report, step: StepResult): string {
  const checks = step.checks.map((c) => checkHtml(report, c)).join('\n');
  return [
    `<section class="step ${step.status}" data-step="${h(step.id)}">`,
    `<h3><span class="sym ${step.status}">${STATUS_SYMBOLS[step.status]}</span>`,
    `${h(step.title)}<span class="duration">${h(formatDuration(step.durationMs))}</span></h3>`,
    `<ul class="checks">${checks}</ul>`,
    '</section>',
  ].join('\n');
}

function summaryHtml(report: Report): string {
  const status = overallStatus(report);
  const counts = countChecks(report);
  const facts: Array<[string, string]> = [
    [
      'Target',
      report.scenario ? `${report.target} (scenario ${report.scenario})` : report.target,
    ],
    ['Organization', report.organizationId ?? 'unknown'],
    ['Run id', report.runId],
    ['Command', report.command],
    ['Started', report.startedAt],
    ['Duration', formatDuration(report.durationMs)],
    [
      'Checks',
      `${counts.pass} passed, ${counts.warn} warned, ` +
        `${counts.fail} failed, ${counts.skip} skipped`,
    ],
  ];
  const list = facts.map(([k, v]) => `<dt>${h(k)}</dt><dd>${h(v)}</dd>`).join('');
  return [
    `<header class="summary" data-result="${report.result}">`,
    `<span class="badge ${status}">${h(BADGES[status])}</span>`,
    '<div>',
    `<h1>${h(report.tool.name)} report</h1>`,
    `<p class="counts">${h(summaryText(report))}</p>`,
    `<dl class="facts">${list}</dl>`,
    '</div>',
    '</header>',
  ].join('\n');
}

function yesNo(value: boolean): string {
  return value ? '<span class="yes">yes</span>' : '<span class="no">no</span>';
}

function correlationHtml(report: Report): string {
  const c = report.correlation;
  const facts: Array<[string, string | null]> = [
    ['Idempotency key', c.idempotencyKey],
    ['Checkout session', c.checkoutSessionId],
    ['Subscription', c.subscriptionId],
  ];
  const list = facts
    .map(([k, v]) => `<dt>${h(k)}</dt><dd><code>${h(v ?? 'none')}</code></dd>`)
    .join('');
  const rows = c.events
    .map(
      (e) =>
        `<tr><td><code>${h(e.id)}</code></td><td>${h(e.type)}</td>` +
        `<td>${e.deliveries}</td><td>${yesNo(e.verified)}</td>` +
        `<td>${yesNo(e.beaconProcessed)}</td></tr>`,
    )
    .join('\n');
  const table =
    c.events.length === 0
      ? '<p>No events were correlated.</p>'
      : '<table class="events"><thead><tr><th>Event</th><th>Type</th><th>Deliveries</th>' +
        `<th>Verified</th><th>Processed by Beacon</th></tr></thead><tbody>${rows}</tbody></table>`;
  return [
    '<section class="correlation">',
    '<h2>Correlation</h2>',
    `<dl class="facts">${list}</dl>`,
    table,
    '</section>',
  ].join('\n');
}

/** Renders the whole report as one self-contained HTML document. */
export function renderHtml(report: Report): string {
  const status = overallStatus(report);
  const loose = unattachedDiagnoses(report);
  const others =
    loose.length === 0
      ? ''
      : '<section class="other-diagnoses"><h2>Diagnoses</h2>' +
        `${loose.map(diagnosisHtml).join('\n')}</section>`;
  const steps =
    report.steps.length === 0
      ? '<p>No steps ran.</p>'
      : report.steps.map((s) => stepHtml(report, s)).join('\n');

  const footer = `${report.tool.name} ${report.tool.version} · finished ${report.finishedAt}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(`${BADGES[status]} · ${report.tool.name} · ${report.runId}`)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    summaryHtml(report),
    '<section class="timeline-section">',
    '<h2>Timeline</h2>',
    `<div class="timeline-box">${renderTimelineSvg(report)}</div>`,
    '</section>',
    '<section class="steps">',
    '<h2>Steps</h2>',
    steps,
    '</section>',
    others,
    correlationHtml(report),
    `<footer>${h(footer)}</footer>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
