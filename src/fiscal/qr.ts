/**
 * The AT fiscal QR code payload: `KEY:value` fields joined by `*`, in a fixed
 * key order. Parsing keeps everything it finds, including what breaks the
 * specification, so that the validator can name each problem.
 */

export interface QrField {
  key: string;
  value: string;
  /** Position of the field in the payload, from 0. */
  index: number;
}

// Each fiscal space (I, J, K) has a code and up to seven amounts:
// exempt base, then base and VAT at the reduced, intermediate and normal rates.
const spaceKeys = (prefix: string): string[] =>
  Array.from({ length: 8 }, (_, i) => `${prefix}${i + 1}`);

/** Every key the specification knows, in the order a payload must follow. */
export const QR_KEY_ORDER: readonly string[] = [
  ...['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'],
  ...spaceKeys('I'),
  ...spaceKeys('J'),
  ...spaceKeys('K'),
  ...['L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S'],
];

/** Keys a payload must always carry. */
export const QR_MANDATORY_KEYS: readonly string[] = [
  'A',
  'B',
  'C',
  'D',
  'E',
  'F',
  'G',
  'H',
  'I1',
  'N',
  'O',
  'Q',
  'R',
];

/** The fiscal-space code of each block. */
export const QR_SPACE_KEYS: readonly string[] = ['I1', 'J1', 'K1'];

/** Keys whose value is an EUR amount ("12.34"). */
export const QR_MONEY_KEYS: readonly string[] = [
  ...['I', 'J', 'K'].flatMap((prefix) => spaceKeys(prefix).slice(1)),
  ...['L', 'M', 'N', 'O', 'P'],
];

const MONEY_MAX_LENGTH = 16;

/** The longest value each key may hold, in characters. */
export const QR_MAX_LENGTHS: Readonly<Record<string, number>> = {
  A: 9,
  B: 30,
  C: 12,
  D: 2,
  E: 1,
  F: 8,
  G: 60,
  H: 70,
  I1: 5,
  J1: 5,
  K1: 5,
  ...Object.fromEntries(QR_MONEY_KEYS.map((key) => [key, MONEY_MAX_LENGTH])),
  Q: 4,
  R: 4,
  S: 65,
};

/** Position of a key in the fixed order, or -1 for a key the specification lacks. */
export function qrKeyRank(key: string): number {
  return QR_KEY_ORDER.indexOf(key);
}

/** The fields of a payload in the order written; each splits on its first `:`. */
export function parseQrPayload(payload: string): QrField[] {
  if (typeof payload !== 'string' || payload === '') return [];

  return payload.split('*').map((raw, index) => {
    const colon = raw.indexOf(':');
    if (colon < 0) return { key: raw, value: '', index };

    return { key: raw.slice(0, colon), value: raw.slice(colon + 1), index };
  });
}

/** A payload from key/value pairs, written exactly in the order and form given. */
export function formatQrPayload(fields: Array<[string, string]>): string {
  return fields.map(([key, value]) => `${key}:${value}`).join('*');
}
