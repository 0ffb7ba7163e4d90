/**
 * The document against the payment it records: the gross total equals what
 * Stripe charged, and the issue date is the Lisbon calendar day of payment.
 */
import { lisbonDay, parseInstant, parseIsoDate } from '../dates.js';
import { asFound, fail, shown, warn } from '../finding.js';
import { formatCents } from '../money.js';
import { record } from '../read.js';
import type { Slot } from '../read.js';
import type { FiscalFinding } from '../types.js';

// Stripe's minor units per currency: most have 2 decimals, these differ.
// ISK, HUF and TWD are sent with 2 decimals in Stripe's API, so they are not listed.
const ZERO_DECIMAL = [
  ...['BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA'],
  ...['PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'],
];
const THREE_DECIMAL = ['BHD', 'JOD', 'KWD', 'OMR', 'TND'];

// Converting with a rate rounds to the cent on each side, so one cent is allowed.
const CONVERTED_TOLERANCE_CENTS = 1;

/** The gross total against the charge; nothing to check when no charge is known. */
export function checkCharged(
  gross: Slot,
  grossCents: number | null,
  rawCharged: unknown,
): FiscalFinding[] {
  if (rawCharged === undefined || rawCharged === null) return [];

  const charged = record(rawCharged);
  const eur = chargedInEur(charged);

  if ('finding' in eur) return [eur.finding];
  if (grossCents === null) return [];

  const difference = Math.abs(grossCents - eur.cents);
  const tolerance = eur.converted ? CONVERTED_TOLERANCE_CENTS : 0;

  if (difference <= tolerance) return [];

  const paid = eur.converted
    ? `${eur.description}, ${formatCents(eur.cents)} EUR`
    : `${formatCents(eur.cents)} EUR`;
  const message = `${gross.field} ${formatCents(grossCents)} is not what Stripe charged (${paid})`;

  return [fail('totals.charged', gross.field, asFound(gross.raw), message)];
}

/** The document's currency, which must be EUR when it is given at all. */
export function checkDocumentCurrency(currency: Slot): FiscalFinding[] {
  const { field, raw } = currency;

  const isEur = typeof raw === 'string' && raw.toUpperCase() === 'EUR';

  if (raw === undefined || isEur) return [];

  const message =
    `${field} ${shown(asFound(raw))} is not EUR, the currency of ` +
    `Portuguese fiscal documents`;

  return [fail('totals.charged', field, asFound(raw), message)];
}

/** The issue date is a real date and, when the payment time is known, its Lisbon day. */
export function checkPaymentDay(issueDate: Slot, rawCharged: unknown): FiscalFinding[] {
  const { field, raw } = issueDate;

  if (parseIsoDate(raw) === null) {
    const message =
      raw === undefined
        ? `${field} is missing`
        : `${field} ${shown(asFound(raw))} is not a real YYYY-MM-DD date`;

    return [fail('date.payment-day', field, asFound(raw), message)];
  }

  const paidAt = record(rawCharged)['paidAt'];

  if (paidAt === undefined || paidAt === null) return [];

  const instant = parseInstant(paidAt);

  if (!instant) {
    const message =
      `charged.paidAt ${shown(asFound(paidAt))} is not an ISO ` +
      `date-time with an offset, so the payment day is unknown`;

    return [warn('date.payment-day', 'charged.paidAt', asFound(paidAt), message)];
  }

  const day = lisbonDay(instant);

  if (day === raw) return [];

  const message =
    `${field} ${String(raw)} is not the payment day in Lisbon, ${day} ` +
    `(paid at ${shown(String(paidAt))})`;

  return [fail('date.payment-day', field, String(raw), message)];
}

type EurAmount =
  { cents: number; converted: boolean; description: string } | { finding: FiscalFinding };

function chargedInEur(charged: Record<string, unknown>): EurAmount {
  const { amount, currency, eurRate } = charged;

  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) {
    const message =
      `charged.amount ${shown(asFound(amount))} is not a whole number ` +
      `of minor units, so the gross total cannot be compared`;

    return {
      finding: warn('totals.charged', 'charged.amount', asFound(amount), message),
    };
  }
  if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency)) {
    const message =
      `charged.currency ${shown(asFound(currency))} is not a currency ` +
      `code, so the gross total cannot be compared`;

    return {
      finding: warn('totals.charged', 'charged.currency', asFound(currency), message),
    };
  }

  const code = currency.toUpperCase();

  if (code === 'EUR') return { cents: amount, converted: false, description: '' };

  if (typeof eurRate !== 'number' || !Number.isFinite(eurRate) || eurRate <= 0) {
    const message =
      `charged.eurRate ${shown(asFound(eurRate))} is not a positive ` +
      `rate, so ${amount} ${code} minor units cannot be converted to EUR`;

    return {
      finding: warn('totals.charged', 'charged.eurRate', asFound(eurRate), message),
    };
  }

  const units = amount / 10 ** minorDigits(code);
  const cents = Math.round(units * eurRate * 100);

  return { cents, converted: true, description: `${units} ${code} at ${eurRate} EUR` };
}

function minorDigits(code: string): number {
  if (ZERO_DECIMAL.includes(code)) return 0;

  return THREE_DECIMAL.includes(code) ? 3 : 2;
}
