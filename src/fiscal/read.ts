/**
 * Defensive reads of documents that arrive as JSON: any field may be missing
 * or of the wrong type, and the validator must report that instead of throwing.
 */

export type Loose = Record<string, unknown>;

/** A field of the input together with the path findings name it by. */
export interface Slot {
  field: string;
  raw: unknown;
}

/** The value as an object, or an empty one when it is anything else. */
export function record(value: unknown): Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Loose)
    : {};
}

/** The value when it is a string, otherwise undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A slot for `field` holding `raw`. */
export function slot(field: string, raw: unknown): Slot {
  return { field, raw };
}
