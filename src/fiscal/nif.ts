/**
 * The Portuguese tax number (NIF), checked by the `stdnum` library's PT
 * validator rather than our own mod-11 code; this module only explains why a
 * number fails and which entity-type prefixes are known.
 */
import { stdnum } from 'stdnum';
import type { Validator } from 'stdnum';

/** The NIF printed for a buyer who gave none ("consumidor final"). */
export const FINAL_CONSUMER_NIF = '999999990';

// Entity types by leading digits. The AT publishes no official table, so an
// unknown prefix is only ever a warning.
const KNOWN_FIRST_DIGITS = ['1', '2', '3', '5', '6'];
const KNOWN_PAIRS = [
  ...['45', '70', '71', '72', '74', '75', '77', '78', '79', '90', '91', '98', '99'],
];

export type NifProblem = 'missing' | 'length' | 'format' | 'leading-zero' | 'check-digit';

export interface NifCheck {
  /** The number without `PT` and separators. */
  compact: string;
  problem: NifProblem | null;
  /** For a check-digit failure: the digit that would make the number valid. */
  expectedCheckDigit?: string;
}

/** True when the text is a valid NIF (optional `PT` prefix and separators allowed). */
export function isValidNif(input: string): boolean {
  if (typeof input !== 'string') return false;

  return ptNif().validate(input).isValid;
}

/** The NIF without `PT` and separators; the input unchanged when it cannot be cleaned. */
export function compactNif(input: string): string {
  try {
    return ptNif().compact(input);
  } catch {
    return typeof input === 'string' ? input : '';
  }
}

/** Whether the NIF, or its first digits, and why it fails when it does. */
export function checkNif(input: string): NifCheck {
  const compact = compactNif(input);

  if (isValidNif(input)) return { compact, problem: null };
  if (compact === '') return { compact, problem: 'missing' };
  if (compact.length !== 9) return { compact, problem: 'length' };
  if (!/^[0-9]{9}$/.test(compact)) return { compact, problem: 'format' };
  if (compact.startsWith('0')) return { compact, problem: 'leading-zero' };

  const expected = expectedCheckDigit(compact);

  return expected === null
    ? { compact, problem: 'check-digit' }
    : { compact, problem: 'check-digit', expectedCheckDigit: expected };
}

/** True when the leading digits name a known entity type (people, companies, …). */
export function nifPrefixKnown(nif: string): boolean {
  const compact = compactNif(nif);

  return (
    KNOWN_FIRST_DIGITS.includes(compact.slice(0, 1)) ||
    KNOWN_PAIRS.includes(compact.slice(0, 2))
  );
}

// Asks the library which final digit it accepts, so the arithmetic stays in one place.
function expectedCheckDigit(compact: string): string | null {
  const body = compact.slice(0, 8);

  for (const digit of '0123456789') {
    if (ptNif().validate(body + digit).isValid) return digit;
  }

  return null;
}

function ptNif(): Validator {
  const validator = stdnum['PT']?.['nif'];

  // Only a changed or broken installation of stdnum gets here, never bad input.
  if (!validator) throw new Error('The stdnum package no longer provides PT.nif');

  return validator;
}
