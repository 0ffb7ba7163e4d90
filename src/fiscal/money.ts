/**
 * EUR amounts as the fiscal formats write them ("12.34"), handled in integer
 * cents so that sums are exact.
 */

// Two decimals, "." separator, no sign, no thousands separator.
const MONEY = /^(\d+)\.(\d{2})$/;

/** Cents of a "12.34" amount, or null when the text is not in that exact form. */
export function parseCents(text: unknown): number | null {
  if (typeof text !== 'string') return null;

  const match = MONEY.exec(text);
  if (!match) return null;

  const cents = Number(match[1]) * 100 + Number(match[2]);

  // Beyond this, integer arithmetic on cents would silently lose precision.
  return Number.isSafeInteger(cents) ? cents : null;
}

/** "12.34" from 1234 cents; negative amounts keep their sign. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  const units = Math.floor(abs / 100);
  const rest = String(abs % 100).padStart(2, '0');

  return `${sign}${units}.${rest}`;
}
