/**
 * Plain-text building blocks shared by the renderers: durations, evidence
 * lines, truncation and removal of characters no output format should carry.
 */
import type { Evidence } from './model.js';

/** A duration for people: "850 ms" below a second, "1.2 s" above. */
export function formatDuration(ms: number): string {
  const safe = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (safe < 1000) return `${Math.round(safe)} ms`;
  return formatSeconds(safe);
}

/** A duration in seconds with one decimal: "0.9 s". */
export function formatSeconds(ms: number): string {
  const safe = Number.isFinite(ms) && ms > 0 ? ms : 0;
  return `${(safe / 1000).toFixed(1)} s`;
}

/** One evidence value, compact: strings as they are, everything else as JSON. */
export function formatEvidenceValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // Circular or BigInt values cannot come from JSON, but a caller's object might.
    return String(value);
  }
}

/** Evidence as `key: value` lines, in the order the check recorded them. */
export function evidenceLines(evidence: Evidence): string[] {
  return Object.entries(evidence).map(
    ([key, value]) => `${key}: ${formatEvidenceValue(value)}`,
  );
}

// C0 controls except tab and line feed, DEL and C1 controls: escape sequences in
// a message from a remote API must not reach a terminal or a CI log.
// eslint-disable-next-line no-control-regex -- matching controls is the point
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Removes control characters (keeps tab and newline) and normalises CRLF. */
export function stripControls(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(TERMINAL_CONTROLS, '');
}

// Everything XML 1.0 forbids: most C0 controls, U+FFFE/U+FFFF and unpaired surrogates.
const XML_FORBIDDEN = new RegExp(
  [
    '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]',
    '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])',
    '(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]',
  ].join('|'),
  'g',
);

/** Removes the characters an XML 1.0 document may not contain. */
export function stripXmlForbidden(text: string): string {
  return text.replace(XML_FORBIDDEN, '');
}

/** Shortens to at most `max` code points, ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max <= 1) return chars.slice(0, Math.max(max, 0)).join('');
  return `${chars.slice(0, max - 1).join('')}…`;
}

/** Collapses all whitespace runs (newlines included) to single spaces. */
export function singleLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
