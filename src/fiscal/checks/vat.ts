/**
 * VAT bands and totals of a document, in integer cents. Each band's VAT must
 * be its base times its rate within one cent (no official rounding rule
 * exists); the totals must add up exactly.
 */
import { asFound, fail, shown } from '../finding.js';
import { formatCents, parseCents } from '../money.js';
import { record } from '../read.js';
import type { FiscalFinding } from '../types.js';

/** VAT rates (percent) of each Portuguese region: reduced, intermediate, normal. */
export const REGION_RATES: Readonly<Record<string, readonly [number, number, number]>> = {
  PT: [6, 13, 23],
  'PT-AC': [4, 9, 16],
  'PT-MA': [4, 12, 22],
};

// The rates are the ones in force now; a document from before a rate change
// (Azores in July 2021, Madeira's reduced rate in October 2024) may be flagged.

/** The largest difference between a band's VAT and base x rate that rounding explains. */
export const VAT_TOLERANCE_CENTS = 1;

// Floating point on cents x percent can land a hair past a whole cent.
const EPSILON = 1e-6;
const FOREIGN_SPACE = /^[A-Z]{2}$/;

export interface Band {
  rate: number;
  baseCents: number;
  taxCents: number;
}

export interface BandsResult {
  findings: FiscalFinding[];
  /** Every band, when all of them could be read; null otherwise. */
  bands: Band[] | null;
}

/** The region's rates, undefined for a foreign fiscal space or an unreadable one. */
export function regionRates(
  region: unknown,
): readonly [number, number, number] | undefined {
  return typeof region === 'string' ? REGION_RATES[region] : undefined;
}

/** Whether VAT of `taxCents` is `baseCents` at `rate` percent, within the tolerance. */
export function vatMatches(baseCents: number, rate: number, taxCents: number): boolean {
  return Math.abs(taxCents - (baseCents * rate) / 100) <= VAT_TOLERANCE_CENTS + EPSILON;
}

/** Base x rate, rounded to the cent, for messages. */
export function expectedVat(baseCents: number, rate: number): string {
  return formatCents(Math.round((baseCents * rate) / 100));
}

/** The tax region rule and every band's rate and VAT. */
export function checkBands(region: unknown, rawBands: unknown): BandsResult {
  const findings = checkRegion(region);

  if (!Array.isArray(rawBands)) {
    const message = 'taxBands is missing, so the totals cannot be checked';

    return {
      findings: [...findings, fail('totals.sum', 'taxBands', asFound(rawBands), message)],
      bands: null,
    };
  }
  if (rawBands.length === 0) {
    const message = 'taxBands is empty; a document needs at least one tax band';

    return {
      findings: [...findings, fail('totals.sum', 'taxBands', '[]', message)],
      bands: null,
    };
  }

  const bands: Band[] = [];

  rawBands.forEach((rawBand: unknown, index) => {
    const band = readBand(rawBand, index, region, findings);
    if (band) bands.push(band);
  });

  return { findings, bands: bands.length === rawBands.length ? bands : null };
}

/** Net, tax and gross against each other and against the bands. */
export function checkTotals(rawTotals: unknown, bands: Band[] | null): FiscalFinding[] {
  const totals = record(rawTotals);

  if (typeof rawTotals !== 'object' || rawTotals === null) {
    return [fail('totals.sum', 'totals', asFound(rawTotals), 'totals is missing')];
  }

  const findings: FiscalFinding[] = [];
  const read = (key: 'net' | 'tax' | 'gross'): number | null => {
    const cents = parseCents(totals[key]);
    if (cents === null) findings.push(moneyFinding(`totals.${key}`, totals[key]));

    return cents;
  };
  const [net, tax, gross] = [read('net'), read('tax'), read('gross')];

  if (net !== null && tax !== null && gross !== null && net + tax !== gross) {
    const message =
      `totals.gross ${formatCents(gross)} is not totals.net ` +
      `${formatCents(net)} + totals.tax ${formatCents(tax)} = ` +
      `${formatCents(net + tax)}`;
    findings.push(fail('totals.sum', 'totals.gross', asFound(totals['gross']), message));
  }
  if (!bands) return findings;

  const sum = (pick: (band: Band) => number): number =>
    bands.reduce((total, band) => total + pick(band), 0);
  const [bandBases, bandTaxes] = [sum((b) => b.baseCents), sum((b) => b.taxCents)];

  if (net !== null && net !== bandBases) {
    const message =
      `totals.net ${formatCents(net)} is not the sum of the band ` +
      `bases, ${formatCents(bandBases)}`;
    findings.push(fail('totals.sum', 'totals.net', asFound(totals['net']), message));
  }
  if (tax !== null && tax !== bandTaxes) {
    const message =
      `totals.tax ${formatCents(tax)} is not the sum of the band ` +
      `taxes, ${formatCents(bandTaxes)}`;
    findings.push(fail('totals.sum', 'totals.tax', asFound(totals['tax']), message));
  }

  return findings;
}

function checkRegion(region: unknown): FiscalFinding[] {
  if (typeof region !== 'string' || region === '') {
    return [fail('vat.rate', 'taxRegion', asFound(region), 'taxRegion is missing')];
  }
  // A foreign fiscal space has its own rates, which this validator does not hold.
  if (REGION_RATES[region] || FOREIGN_SPACE.test(region)) return [];

  const message = `taxRegion ${shown(region)} is not PT, PT-AC, PT-MA or a country code`;

  return [fail('vat.rate', 'taxRegion', region, message)];
}

function readBand(
  rawBand: unknown,
  index: number,
  region: unknown,
  findings: FiscalFinding[],
): Band | null {
  const at = `taxBands[${index}]`;

  if (typeof rawBand !== 'object' || rawBand === null || Array.isArray(rawBand)) {
    findings.push(fail('vat.rate', at, asFound(rawBand), `${at} is not a tax band`));

    return null;
  }

  const band = record(rawBand);
  const rate = band['rate'];
  const baseCents = parseCents(band['base']);
  const taxCents = parseCents(band['tax']);
  const rateOk =
    typeof rate === 'number' && Number.isFinite(rate) && rate >= 0 && rate <= 100;

  if (!rateOk) {
    const message = `${at}.rate ${shown(asFound(rate))} is not a percentage`;
    findings.push(fail('vat.rate', `${at}.rate`, asFound(rate), message));
  }
  if (baseCents === null) findings.push(moneyFinding(`${at}.base`, band['base']));
  if (taxCents === null) findings.push(moneyFinding(`${at}.tax`, band['tax']));
  if (!rateOk || baseCents === null || taxCents === null) return null;

  const rates = regionRates(region);

  if (rates && rate !== 0 && !rates.includes(rate)) {
    const message =
      `${at}.rate ${rate} is not a ${region} rate ` +
      `(${rates.join(', ')}, or 0 when exempt)`;
    findings.push(fail('vat.rate', `${at}.rate`, String(rate), message));
  }
  if (!vatMatches(baseCents, rate, taxCents)) {
    const message =
      `${at}.tax ${formatCents(taxCents)} is not base ` +
      `${formatCents(baseCents)} x ${rate}% = ${expectedVat(baseCents, rate)} ` +
      `within 0.01`;
    findings.push(fail('vat.rate', `${at}.tax`, asFound(band['tax']), message));
  }

  return { rate, baseCents, taxCents };
}

function moneyFinding(field: string, raw: unknown): FiscalFinding {
  const value = asFound(raw);
  const message =
    raw === undefined
      ? `${field} is missing`
      : `${field} ${shown(value)} is not an EUR amount with "." and two decimals`;

  return fail(
    field.startsWith('totals') ? 'totals.sum' : 'vat.rate',
    field,
    value,
    message,
  );
}
