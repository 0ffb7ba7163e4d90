/**
 * Document numbers (`<type> <series>/<sequence>`), sales document types and
 * statuses, as SAF-T PT defines them.
 */

/** Sales types: invoice, invoice-receipt, simplified invoice, credit and debit note. */
export const DOCUMENT_TYPES: readonly string[] = ['FT', 'FR', 'FS', 'NC', 'ND'];

/** Statuses: normal, self-billed, cancelled, summary, invoiced. */
export const DOCUMENT_STATUSES: readonly string[] = ['N', 'S', 'A', 'R', 'F'];

export const MAX_NUMBER_LENGTH = 60;

// The contract's pattern, anchored. The series holds no space, "/" or "^".
const NUMBER = /^([^ ]+) ([^/^ ]+)\/([0-9]+)$/;

export interface DocumentNumber {
  type: string;
  series: string;
  /** The digits after `/`, leading zeros kept. */
  sequence: string;
}

/** The parts of a well-formed document number, or null. */
export function parseDocumentNumber(text: unknown): DocumentNumber | null {
  if (typeof text !== 'string' || text.length > MAX_NUMBER_LENGTH) return null;

  const match = NUMBER.exec(text);
  if (!match) return null;

  return { type: match[1] ?? '', series: match[2] ?? '', sequence: match[3] ?? '' };
}

/** The digits after the last `/`, even in a malformed number, so other rules run. */
export function sequenceOf(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;

  return /\/([0-9]+)$/.exec(text)?.[1];
}

/** The text before the first space, the part that names the document type. */
export function typePrefixOf(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;

  const space = text.indexOf(' ');

  return space > 0 ? text.slice(0, space) : undefined;
}
