/**
 * Consecutive numbering within a series: documents of one type and series,
 * sorted by number, must run n, n+1, … with dates that never go backwards.
 */
import { parseIsoDate } from '../dates.js';
import { asFound, fail, shown, warn } from '../finding.js';
import { parseDocumentNumber } from '../number.js';
import { record, text } from '../read.js';
import type { FiscalFinding } from '../types.js';

interface SeriesEntry {
  field: string;
  number: string;
  sequence: bigint;
  date: string | undefined;
  current: boolean;
}

/** Gaps, repeats and date inversions among the documents of the series. */
export function checkSeries(rawDoc: unknown, rawPrevious: unknown): FiscalFinding[] {
  if (rawPrevious === undefined || rawPrevious === null) return [];
  if (!Array.isArray(rawPrevious)) {
    const message = 'previous is not a list of documents, so numbering cannot be checked';

    return [warn('series.consecutive', 'previous', asFound(rawPrevious), message)];
  }

  const doc = record(rawDoc);
  const current = entryOf(doc, 'number', true);

  // A malformed number is reported by the number rule; there is no series to follow.
  if (!current) return [];

  const findings: FiscalFinding[] = [];
  const entries = [current.entry];
  const seenIds = new Set([text(doc['id']) ?? '']);

  rawPrevious.forEach((rawEarlier: unknown, index) => {
    const earlier = record(rawEarlier);
    const id = text(earlier['id']);

    // The same document listed again is not a second document with its number.
    if (id !== undefined && id !== '' && seenIds.has(id)) return;
    if (id !== undefined) seenIds.add(id);

    const read = entryOf(earlier, `previous[${index}].number`, false);

    if (!read) {
      const field = `previous[${index}].number`;
      const value = asFound(earlier['number']);
      const message =
        `${field} ${shown(value)} is not a document number, so it was ` +
        `left out of the series check`;
      findings.push(warn('series.consecutive', field, value, message));
    } else if (read.series === current.series) {
      entries.push(read.entry);
    }
  });

  return [...findings, ...checkOrder(entries)];
}

function checkOrder(entries: SeriesEntry[]): FiscalFinding[] {
  const sorted = [...entries].sort(bySequence);
  const findings: FiscalFinding[] = [];

  for (let i = 1; i < sorted.length; i += 1) {
    const [before, after] = [sorted[i - 1], sorted[i]];
    if (!before || !after) continue;

    findings.push(...comparePair(before, after));
  }

  return findings;
}

// By number; a repeated number sorts the document being checked first, so it is blamed.
function bySequence(a: SeriesEntry, b: SeriesEntry): number {
  if (a.sequence !== b.sequence) return a.sequence < b.sequence ? -1 : 1;

  return Number(b.current) - Number(a.current);
}

function comparePair(before: SeriesEntry, after: SeriesEntry): FiscalFinding[] {
  const blamed = before.current ? before : after;
  const findings: FiscalFinding[] = [];

  if (after.sequence === before.sequence) {
    const message =
      `${blamed.field} ${shown(blamed.number)} repeats the number of ` +
      `an earlier document of the series`;
    findings.push(fail('series.consecutive', blamed.field, blamed.number, message));
  } else if (after.sequence !== before.sequence + 1n) {
    const missing = after.sequence - before.sequence - 1n;
    const gap =
      missing === 1n
        ? `${before.sequence + 1n} is missing`
        : `${missing} numbers are missing`;
    const message =
      `${after.field} ${shown(after.number)} follows ` +
      `${shown(before.number)}: ${gap}`;
    findings.push(fail('series.consecutive', after.field, after.number, message));
  }

  if (before.date !== undefined && after.date !== undefined && after.date < before.date) {
    const message =
      `${after.field} ${shown(after.number)} is dated ${after.date}, ` +
      `before ${shown(before.number)} dated ${before.date}`;
    findings.push(fail('series.consecutive', after.field, after.number, message));
  }

  return findings;
}

function entryOf(
  doc: Record<string, unknown>,
  field: string,
  current: boolean,
): { entry: SeriesEntry; series: string } | null {
  const number = text(doc['number']);
  const parsed = parseDocumentNumber(number);

  if (!number || !parsed) return null;

  // Only real dates take part in the order check; a bad date has its own rule.
  const date = parseIsoDate(doc['issueDate']) ? text(doc['issueDate']) : undefined;
  const entry = { field, number, sequence: BigInt(parsed.sequence), date, current };

  return { entry, series: `${parsed.type} ${parsed.series}` };
}
