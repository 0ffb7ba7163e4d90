/**
 * The run's timeline as inline SVG: a time axis, a lane per step, a lane of
 * API calls and a lane of webhook deliveries. Every coordinate is clamped to
 * the viewBox so nothing is drawn off-canvas, whatever the records say.
 * The drawing scales with the page: on a phone-sized screen its labels become
 * small to read; the tooltips and the step list below carry the same facts.
 */
import { escapeHtml } from './escape-html.js';
import type { ApiCallRecord, CheckStatus, DeliveryRecord, Report } from './model.js';
import { formatDuration, truncate } from './text.js';

const WIDTH = 1000;
const LABEL_X = 8;
const PLOT_LEFT = 170;
const PLOT_RIGHT = 972;
const AXIS_Y = 30;
const LANE_HEIGHT = 28;
const CALL_ROW_HEIGHT = 12;
const MAX_CALL_ROWS = 6;
const DELIVERY_ROW_HEIGHT = 14;
const MAX_DELIVERY_ROWS = 3;
const LABEL_CHARS = 22;

export const STATUS_COLORS: Readonly<Record<CheckStatus, string>> = {
  pass: '#1a7f37',
  warn: '#bf8700',
  fail: '#cf222e',
  skip: '#8c959f',
};

export const SERVICE_COLORS: Readonly<Record<ApiCallRecord['service'], string>> = {
  beacon: '#0969da',
  stripe: '#635bff',
  checkout: '#1b7c83',
};

const FAILED_COLOR = '#cf222e';
const VERIFIED_COLOR = '#1a7f37';
const GRID_COLOR = '#d0d7de';
const MUTED_COLOR = '#57606a';

interface Scale {
  end: number;
  x(ms: number): number;
}

function finite(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}

function round(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function timeEnd(report: Report): number {
  const { apiCalls, deliveries } = report.timeline;
  const ends = [
    finite(report.durationMs),
    ...report.steps.map((s) => finite(s.startedAtMs) + finite(s.durationMs)),
    ...apiCalls.map((c) => finite(c.startedAtMs) + finite(c.durationMs)),
    ...deliveries.map((d) => finite(d.receivedAtMs)),
  ];
  // A zero-length run still needs a non-empty axis.
  return Math.max(1, ...ends);
}

function makeScale(end: number): Scale {
  const span = PLOT_RIGHT - PLOT_LEFT;
  return {
    end,
    x: (ms) => PLOT_LEFT + (Math.min(Math.max(finite(ms), 0), end) / end) * span,
  };
}

/** A round tick interval (1, 2 or 5 × 10ⁿ ms) giving at most about eight ticks. */
function tickStep(end: number): number {
  const raw = end / 8;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 5, 10]) {
    if (factor * magnitude >= raw) return Math.max(factor * magnitude, 1);
  }
  return Math.max(10 * magnitude, 1);
}

function tickLabel(ms: number, step: number): string {
  if (step < 1000) return `${Math.round(ms)} ms`;
  const decimals = step % 1000 === 0 ? 0 : 1;
  return `${(ms / 1000).toFixed(decimals)} s`;
}

function axis(scale: Scale, height: number): string[] {
  const step = tickStep(scale.end);
  const parts = [
    `<line x1="${PLOT_LEFT}" y1="${AXIS_Y}" x2="${PLOT_RIGHT}" y2="${AXIS_Y}" ` +
      `stroke="${MUTED_COLOR}" stroke-width="1"/>`,
  ];
  for (let i = 0; i * step <= scale.end + 1e-9; i += 1) {
    const ms = i * step;
    const x = round(scale.x(ms));
    parts.push(
      `<line class="tick" x1="${x}" y1="${AXIS_Y - 4}" x2="${x}" y2="${height - 4}" ` +
        `stroke="${GRID_COLOR}" stroke-width="1"/>`,
      `<text class="tick-label" x="${x}" y="${AXIS_Y - 8}" text-anchor="middle" ` +
        `font-size="11" fill="${MUTED_COLOR}">${escapeHtml(tickLabel(ms, step))}</text>`,
    );
  }
  parts.push(
    `<text x="${LABEL_X}" y="${AXIS_Y - 8}" font-size="11" fill="${MUTED_COLOR}">` +
      `ms since start</text>`,
  );
  return parts;
}

function laneLabel(y: number, height: number, label: string): string {
  const text = escapeHtml(truncate(label, LABEL_CHARS));
  return (
    `<text class="lane-label" x="${LABEL_X}" y="${round(y + height / 2 + 4)}" ` +
    `font-size="12" fill="#1f2328">${text}</text>`
  );
}

function emptyNote(y: number, height: number, note: string): string {
  return (
    `<text x="${PLOT_LEFT + 6}" y="${round(y + height / 2 + 4)}" font-size="11" ` +
    `font-style="italic" fill="${MUTED_COLOR}">${escapeHtml(note)}</text>`
  );
}

/** A bar from `start` lasting `duration`, at least `min` wide, kept inside the plot. */
function bar(scale: Scale, start: number, duration: number, min: number) {
  const x0 = scale.x(start);
  const x1 = scale.x(finite(start) + finite(duration));
  const width = Math.max(x1 - x0, min);
  const x = Math.min(x0, PLOT_RIGHT - width);
  return { x: round(x), width: round(width) };
}

function stepLanes(
  report: Report,
  scale: Scale,
  top: number,
): { parts: string[]; y: number } {
  const parts: string[] = [];
  let y = top;
  for (const step of report.steps) {
    const { x, width } = bar(scale, step.startedAtMs, step.durationMs, 2);
    const tip = `${step.title}: ${step.status}, ${formatDuration(step.durationMs)}`;
    parts.push(
      `<g class="lane step-lane" data-step="${escapeHtml(step.id)}">`,
      laneLabel(y, LANE_HEIGHT, step.title),
      `<rect class="step-span" x="${x}" y="${y + 7}" width="${width}" height="14" rx="3" ` +
        `fill="${STATUS_COLORS[step.status]}"><title>${escapeHtml(tip)}</title></rect>`,
      `</g>`,
    );
    y += LANE_HEIGHT;
  }
  return { parts, y };
}

/** Greedy row packing so overlapping marks stay visible; extra ones share the last row. */
function packRows(spans: Array<{ x0: number; x1: number }>, maxRows: number): number[] {
  const rowEnds: number[] = [];
  return spans.map((span) => {
    let row = rowEnds.findIndex((end) => end <= span.x0);
    if (row === -1 && rowEnds.length < maxRows) row = rowEnds.push(0) - 1;
    if (row === -1) row = maxRows - 1;
    rowEnds[row] = Math.max(rowEnds[row] ?? 0, span.x1);
    return row;
  });
}

function callFailed(call: ApiCallRecord): boolean {
  return call.error !== undefined || call.status === null || call.status >= 400;
}

function callTip(call: ApiCallRecord): string {
  const parts = [
    `${call.service} ${call.method} ${call.path}`,
    `status ${call.status ?? 'none'}`,
    formatDuration(call.durationMs),
  ];
  if (call.attempt > 1) parts.push(`attempt ${call.attempt}`);
  if (call.requestId) parts.push(`request ${call.requestId}`);
  if (call.idempotencyKey) parts.push(`idempotency key ${call.idempotencyKey}`);
  if (call.error) parts.push(call.error);
  return parts.join(' · ');
}

function callLane(
  report: Report,
  scale: Scale,
  top: number,
): { parts: string[]; y: number } {
  const calls = [...report.timeline.apiCalls].sort(
    (a, b) => a.startedAtMs - b.startedAtMs,
  );
  const bars = calls.map((call) => bar(scale, call.startedAtMs, call.durationMs, 3));
  // One unit of gap keeps touching calls on separate rows only when they overlap.
  const rows = packRows(
    bars.map((b) => ({ x0: Number(b.x), x1: Number(b.x) + Number(b.width) + 1 })),
    MAX_CALL_ROWS,
  );
  const rowCount = Math.max(1, ...rows.map((r) => r + 1));
  const height = Math.max(LANE_HEIGHT, rowCount * CALL_ROW_HEIGHT + 10);
  const parts = [`<g class="lane call-lane">`, laneLabel(top, height, 'API calls')];

  if (calls.length === 0) parts.push(emptyNote(top, height, 'No API calls recorded'));
  calls.forEach((call, i) => {
    const b = bars[i];
    if (!b) return;
    const failed = callFailed(call);
    const fill = failed ? FAILED_COLOR : SERVICE_COLORS[call.service];
    const y = top + 5 + (rows[i] ?? 0) * CALL_ROW_HEIGHT;
    parts.push(
      `<rect class="call-mark${failed ? ' failed' : ''}" data-service="${call.service}" ` +
        `x="${b.x}" y="${y}" width="${b.width}" height="${CALL_ROW_HEIGHT - 3}" rx="1.5" ` +
        `fill="${fill}"><title>${escapeHtml(callTip(call))}</title></rect>`,
    );
  });
  parts.push('</g>');
  return { parts, y: top + height };
}

function deliveryTip(d: DeliveryRecord): string {
  const parts = [d.type ?? 'unknown event', d.eventId ?? 'no event id'];
  parts.push(
    d.verified ? 'signature verified' : `rejected${d.reason ? `: ${d.reason}` : ''}`,
  );
  if (d.duplicate) parts.push('duplicate delivery');
  parts.push(`at ${formatDuration(d.receivedAtMs)}`);
  return parts.join(' · ');
}

function deliveryMark(d: DeliveryRecord, cx: number, cy: number): string {
  const tip = `<title>${escapeHtml(deliveryTip(d))}</title>`;
  const kind = d.verified ? 'verified' : 'rejected';
  const cls = `delivery-mark ${kind}${d.duplicate ? ' duplicate' : ''}`;
  const x = round(cx);
  const y = round(cy);
  // Verified: a filled dot; rejected: a cross; a duplicate gets a dashed ring.
  const shape = d.verified
    ? `<circle cx="${x}" cy="${y}" r="4" fill="${VERIFIED_COLOR}"/>`
    : `<path d="M${round(cx - 4)} ${round(cy - 4)} L${round(cx + 4)} ${round(cy + 4)} ` +
      `M${round(cx + 4)} ${round(cy - 4)} L${round(cx - 4)} ${round(cy + 4)}" ` +
      `stroke="${FAILED_COLOR}" stroke-width="2"/>`;
  const ring = d.duplicate
    ? `<circle cx="${x}" cy="${y}" r="6.5" fill="none" stroke="${MUTED_COLOR}" ` +
      `stroke-width="1.2" stroke-dasharray="2 1.5"/>`
    : '';
  return `<g class="${cls}">${tip}${shape}${ring}</g>`;
}

function deliveryLane(report: Report, scale: Scale, top: number) {
  const deliveries = [...report.timeline.deliveries].sort(
    (a, b) => a.receivedAtMs - b.receivedAtMs,
  );
  // Keep marks clear of the plot edges so rings are not clipped.
  const xs = deliveries.map((d) =>
    Math.min(Math.max(scale.x(d.receivedAtMs), PLOT_LEFT + 7), PLOT_RIGHT - 7),
  );
  const rows = packRows(
    xs.map((x) => ({ x0: x - 7, x1: x + 7 })),
    MAX_DELIVERY_ROWS,
  );
  const rowCount = Math.max(1, ...rows.map((r) => r + 1));
  const height = Math.max(LANE_HEIGHT, rowCount * DELIVERY_ROW_HEIGHT + 14);
  const parts = [
    `<g class="lane delivery-lane">`,
    laneLabel(top, height, 'Webhook deliveries'),
  ];

  if (deliveries.length === 0)
    parts.push(emptyNote(top, height, 'No webhook deliveries'));
  deliveries.forEach((d, i) => {
    const cy = top + 14 + (rows[i] ?? 0) * DELIVERY_ROW_HEIGHT;
    parts.push(deliveryMark(d, xs[i] ?? PLOT_LEFT, cy));
  });
  parts.push('</g>');
  return { parts, y: top + height };
}

interface LegendItem {
  label: string;
  swatch: (x: number, y: number) => string;
}

function legendItems(): LegendItem[] {
  const box = (color: string) => (x: number, y: number) =>
    `<rect x="${x}" y="${y - 8}" width="10" height="10" rx="2" fill="${color}"/>`;
  return [
    ...Object.entries(SERVICE_COLORS).map(([service, color]) => ({
      label: `${service} call`,
      swatch: box(color),
    })),
    { label: 'failed call', swatch: box(FAILED_COLOR) },
    {
      label: 'verified delivery',
      swatch: (x, y) =>
        `<circle cx="${x + 5}" cy="${y - 3}" r="4" fill="${VERIFIED_COLOR}"/>`,
    },
    {
      label: 'rejected delivery',
      swatch: (x, y) =>
        `<path d="M${x + 1} ${y - 7} L${x + 9} ${y + 1} M${x + 9} ${y - 7} L${x + 1} ${y + 1}" ` +
        `stroke="${FAILED_COLOR}" stroke-width="2"/>`,
    },
    {
      label: 'duplicate',
      swatch: (x, y) =>
        `<circle cx="${x + 5}" cy="${y - 3}" r="5" fill="none" stroke="${MUTED_COLOR}" ` +
        `stroke-width="1.2" stroke-dasharray="2 1.5"/>`,
    },
  ];
}

/** The legend, wrapped onto as many rows as the width needs. */
function legend(top: number): { parts: string[]; y: number } {
  const parts = ['<g class="legend">'];
  let x = LABEL_X;
  let y = top + 14;
  for (const item of legendItems()) {
    // About 6.5 units a character at 11 units: generous, so items never collide.
    const width = 16 + item.label.length * 6.5 + 18;
    if (x + width > WIDTH - LABEL_X) {
      x = LABEL_X;
      y += 18;
    }
    parts.push(
      item.swatch(x, y),
      `<text x="${x + 15}" y="${y}" font-size="11" fill="${MUTED_COLOR}">` +
        `${escapeHtml(item.label)}</text>`,
    );
    x += width;
  }
  parts.push('</g>');
  return { parts, y: y + 8 };
}

/** Renders the timeline as one self-contained `<svg>` element. */
export function renderTimelineSvg(report: Report): string {
  const scale = makeScale(timeEnd(report));
  const steps = stepLanes(report, scale, AXIS_Y + 6);
  const calls = callLane(report, scale, steps.y);
  const deliveries = deliveryLane(report, scale, calls.y);
  const key = legend(deliveries.y + 4);
  const height = Math.ceil(key.y + 6);

  const summary =
    `Timeline of ${report.steps.length} steps, ${report.timeline.apiCalls.length} API calls ` +
    `and ${report.timeline.deliveries.length} webhook deliveries over ` +
    `${formatDuration(report.durationMs)}`;
  return [
    `<svg class="timeline" viewBox="0 0 ${WIDTH} ${height}" ` +
      `width="100%" role="img" aria-labelledby="timeline-title" ` +
      `preserveAspectRatio="xMinYMin meet">`,
    `<title id="timeline-title">${escapeHtml(summary)}</title>`,
    ...axis(scale, deliveries.y),
    ...steps.parts,
    ...calls.parts,
    ...deliveries.parts,
    ...key.parts,
    '</svg>',
  ].join('\n');
}
