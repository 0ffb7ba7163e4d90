/**
 * Rules on the fiscal QR payload: its grammar (keys, order, lengths, formats),
 * its arithmetic, and, when the document is at hand, agreement with it.
 */
import { parseCompactDate, parseIsoDate } from '../dates.js';
import { fail, shown } from '../finding.js';
import { formatCents, parseCents } from '../money.js';
import { compactNif } from '../nif.js';
import {
  parseQrPayload,
  QR_MANDATORY_KEYS,
  QR_MAX_LENGTHS,
  QR_MONEY_KEYS,
  QR_SPACE_KEYS,
  qrKeyRank,
} from '../qr.js';
import type { QrField } from '../qr.js';
import { record, text } from '../read.js';
import type { Loose } from '../read.js';
import type { FiscalFinding } from '../types.js';
import type { Band } from './vat.js';
import { regionRates, vatMatches, expectedVat } from './vat.js';

/** What the grammar check learned: its findings and each known key's first value. */
export interface QrReading {
  findings: FiscalFinding[];
  values: Map<string, string>;
  /** False when there was no payload at all. */
  present: boolean;
}

const SPACE_PREFIXES = ['I', 'J', 'K'] as const;
// PT, its autonomous regions, another country, or 0 when no VAT applies.
const SPACE_CODE = /^(0|[A-Z]{2}|PT-AC|PT-MA)$/;
// Amount positions within a fiscal-space block: base and VAT at each rate.
const RATE_PAIRS = [
  { base: 3, vat: 4, rate: 0 },
  { base: 5, vat: 6, rate: 1 },
  { base: 7, vat: 8, rate: 2 },
] as const;
const VAT_POSITIONS = [4, 6, 8];
const BASE_POSITIONS = [2, 3, 5, 7];

/** Keys, order, duplicates, empties, lengths and value formats of a payload. */
export function checkQrGrammar(payload: unknown): QrReading {
  if (typeof payload !== 'string' || payload === '') {
    const finding = fail(
      'qr.missing-field',
      'qrPayload',
      text(payload) ?? '',
      'qrPayload is missing',
    );

    return { findings: [finding], values: new Map(), present: false };
  }

  const findings: FiscalFinding[] = [];
  const values = new Map<string, string>();
  let latest: QrField | undefined;

  for (const field of parseQrPayload(payload)) {
    const name = field.key === '' ? `qr[${field.index}]` : `qr.${field.key}`;
    const rank = qrKeyRank(field.key);

    if (rank < 0) {
      const message = `${name} is not a fiscal QR key (field ${field.index + 1})`;
      findings.push(fail('qr.unknown-key', name, field.value, message));
      continue;
    }
    if (values.has(field.key)) {
      const message = `${name} appears again at field ${field.index + 1}`;
      findings.push(fail('qr.duplicate-key', name, field.value, message));
      continue;
    }

    values.set(field.key, field.value);

    if (latest && rank < qrKeyRank(latest.key)) {
      const message = `${name} comes after qr.${latest.key}, out of the fixed key order`;
      findings.push(fail('qr.order', name, field.value, message));
    } else {
      latest = field;
    }

    findings.push(...checkQrValue(name, field));
  }

  findings.push(...checkMandatory(values));

  return { findings, values, present: true };
}

/** N and O against the amounts they total, to the cent. */
export function checkQrSums(values: Map<string, string>): FiscalFinding[] {
  const amount = (key: string): number | null => {
    const value = values.get(key);

    return value === undefined ? 0 : parseCents(value);
  };
  const total = (keys: string[]): number | null =>
    keys.reduce<number | null>((sum, key) => {
      const cents = amount(key);

      return sum === null || cents === null ? null : sum + cents;
    }, 0);

  const findings: FiscalFinding[] = [];
  const n = values.has('N') ? amount('N') : null;
  const o = values.has('O') ? amount('O') : null;
  const expectedN = total([...spaceAmountKeys(VAT_POSITIONS), 'M']);
  const bases = total([...spaceAmountKeys(BASE_POSITIONS), 'L']);

  if (n !== null && expectedN !== null && n !== expectedN) {
    const message =
      `qr.N ${formatCents(n)} is not the VAT amounts plus stamp duty, ` +
      `${formatCents(expectedN)}`;
    findings.push(fail('qr.sum-n', 'qr.N', values.get('N') ?? '', message));
  }
  if (o !== null && n !== null && bases !== null && o !== bases + n) {
    const message =
      `qr.O ${formatCents(o)} is not the bases plus not-subject plus ` +
      `N, ${formatCents(bases + n)}`;
    findings.push(fail('qr.sum-o', 'qr.O', values.get('O') ?? '', message));
  }

  return findings;
}

/** Each VAT amount of a Portuguese fiscal space against its base at that space's rate. */
export function checkQrRates(values: Map<string, string>): FiscalFinding[] {
  const findings: FiscalFinding[] = [];

  for (const prefix of SPACE_PREFIXES) {
    const space = values.get(`${prefix}1`);
    // A foreign fiscal space has its own rates; its amounts are only summed.
    const rates = regionRates(space);
    if (!rates) continue;

    for (const pair of RATE_PAIRS) {
      const [baseKey, vatKey] = [`${prefix}${pair.base}`, `${prefix}${pair.vat}`];
      const [baseText, vatText] = [values.get(baseKey), values.get(vatKey)];
      if (baseText === undefined && vatText === undefined) continue;

      const base = baseText === undefined ? 0 : parseCents(baseText);
      const vat = vatText === undefined ? 0 : parseCents(vatText);
      const rate = rates[pair.rate];
      if (base === null || vat === null || vatMatches(base, rate, vat)) continue;

      const message =
        `qr.${vatKey} ${formatCents(vat)} is not qr.${baseKey} ` +
        `${formatCents(base)} x ${rate}% (${space}) = ${expectedVat(base, rate)} ` +
        `within 0.01`;
      findings.push(fail('vat.rate', `qr.${vatKey}`, vatText ?? '', message));
    }
  }

  return findings;
}

/** Each QR field against the document field it restates. */
export function checkQrAgainstDocument(
  values: Map<string, string>,
  rawDoc: unknown,
  bands: Band[] | null,
): FiscalFinding[] {
  const doc = record(rawDoc);
  const findings: FiscalFinding[] = [];

  for (const [key, field, expected, money] of restatedFields(doc)) {
    const found = values.get(key);
    if (
      found === undefined ||
      expected === undefined ||
      sameValue(found, expected, money)
    ) {
      continue;
    }

    const message = `qr.${key} ${shown(found)} does not match ${field} ${shown(expected)}`;
    findings.push(fail('qr.consistency', `qr.${key}`, found, message));
  }

  return [
    ...findings,
    ...checkBandAmounts(values, doc, bands),
    ...checkExtraSpaces(values, doc),
  ];
}

function checkQrValue(name: string, field: QrField): FiscalFinding[] {
  const { key, value } = field;

  if (value === '') {
    return QR_MANDATORY_KEYS.includes(key)
      ? [fail('qr.missing-field', name, value, `${name} is empty, and it is mandatory`)]
      : [
          fail(
            'qr.empty-field',
            name,
            value,
            `${name} is empty; a field with no data is left out`,
          ),
        ];
  }

  const findings: FiscalFinding[] = [];
  const max = QR_MAX_LENGTHS[key];

  if (max !== undefined && [...value].length > max) {
    const message = `${name} ${shown(value)} is longer than its ${max} characters`;
    findings.push(fail('qr.max-length', name, value, message));
  }
  if (QR_MONEY_KEYS.includes(key) && parseCents(value) === null) {
    // Unsigned, "." before exactly two decimals, no thousands separator.
    const message = `${name} ${shown(value)} is not an amount in the form 1234.56`;
    findings.push(fail('qr.money-format', name, value, message));
  }
  if (key === 'F' && parseCompactDate(value) === null) {
    findings.push(
      fail(
        'qr.date-format',
        name,
        value,
        `${name} ${shown(value)} is not a real YYYYMMDD date`,
      ),
    );
  }
  if (QR_SPACE_KEYS.includes(key) && !SPACE_CODE.test(value)) {
    const message =
      `${name} ${shown(value)} is not a fiscal space (PT, PT-AC, ` +
      `PT-MA, a country code, or 0)`;
    findings.push(fail('vat.rate', name, value, message));
  }

  return findings;
}

function checkMandatory(values: Map<string, string>): FiscalFinding[] {
  const findings = QR_MANDATORY_KEYS.filter((key) => !values.has(key)).map((key) =>
    fail(
      'qr.missing-field',
      `qr.${key}`,
      '',
      `qr.${key} is missing, and it is mandatory`,
    ),
  );

  // The second and third fiscal spaces need their code once they carry amounts.
  for (const prefix of ['J', 'K']) {
    const amounts = [...values.keys()].filter(
      (key) => key.startsWith(prefix) && key !== `${prefix}1`,
    );
    if (amounts.length === 0 || values.has(`${prefix}1`)) continue;

    const message =
      `qr.${prefix}1 is missing, but qr.${amounts[0]} gives amounts ` +
      `for that fiscal space`;
    findings.push(fail('qr.missing-field', `qr.${prefix}1`, '', message));
  }

  return findings;
}

type Restated = [
  key: string,
  field: string,
  expected: string | undefined,
  money: boolean,
];

function restatedFields(doc: Loose): Restated[] {
  const issuer = record(doc['issuer']);
  const buyer = record(doc['buyer']);
  const totals = record(doc['totals']);
  const buyerId = text(buyer['taxId']);
  const buyerCountry = text(buyer['country']);
  const issuerId = text(issuer['taxId']);
  const issueDate = parseIsoDate(doc['issueDate']) ? text(doc['issueDate']) : undefined;
  const ptBuyer = buyerCountry?.trim().toUpperCase() === 'PT';

  return [
    [
      'A',
      'issuer.taxId',
      issuerId === undefined ? undefined : compactNif(issuerId),
      false,
    ],
    [
      'B',
      'buyer.taxId',
      buyerId !== undefined && ptBuyer ? compactNif(buyerId) : buyerId,
      false,
    ],
    ['C', 'buyer.country', buyerCountry, false],
    ['D', 'type', text(doc['type']), false],
    ['E', 'status', text(doc['status']), false],
    ['F', 'issueDate as YYYYMMDD', issueDate?.replaceAll('-', ''), false],
    ['G', 'number', text(doc['number']), false],
    ['H', 'atcud', text(doc['atcud']), false],
    ['I1', 'taxRegion', text(doc['taxRegion']), false],
    ['N', 'totals.tax', text(totals['tax']), true],
    ['O', 'totals.gross', text(totals['gross']), true],
    ['Q', 'hash', text(doc['hash']), false],
    ['R', 'certificateNumber', text(doc['certificateNumber']), false],
  ];
}

function sameValue(found: string, expected: string, money: boolean): boolean {
  const [foundCents, expectedCents] = [parseCents(found), parseCents(expected)];

  // Amounts compare by value; a malformed one already has its own finding.
  if (money && foundCents !== null && expectedCents !== null)
    return foundCents === expectedCents;

  return found === expected;
}

// The first fiscal space's amounts must restate the document's bands, rate by rate.
function checkBandAmounts(
  values: Map<string, string>,
  doc: Loose,
  bands: Band[] | null,
): FiscalFinding[] {
  const region = text(doc['taxRegion']);
  const rates = regionRates(region);

  if (!rates || !bands || values.get('I1') !== region) return [];
  if (bands.some((band) => band.rate !== 0 && !rates.includes(band.rate))) return [];

  const expected = new Map<number, number>();
  const add = (position: number, cents: number): void => {
    expected.set(position, (expected.get(position) ?? 0) + cents);
  };

  for (const band of bands) {
    const pair = RATE_PAIRS.find((p) => rates[p.rate] === band.rate);

    if (band.rate === 0 || !pair) {
      add(2, band.baseCents);
    } else {
      add(pair.base, band.baseCents);
      add(pair.vat, band.taxCents);
    }
  }

  const findings: FiscalFinding[] = [];

  for (const position of [2, 3, 4, 5, 6, 7, 8]) {
    const key = `I${position}`;
    const written = values.get(key);
    const found = written === undefined ? 0 : parseCents(written);
    const want = expected.get(position) ?? 0;
    if (found === null || found === want) continue;

    const label = `the document's ${bandLabel(position, rates)}`;
    const message =
      written === undefined
        ? `qr.${key} is absent, but ${label} is ${formatCents(want)}`
        : `qr.${key} ${formatCents(found)} does not match ${label}, ${formatCents(want)}`;
    findings.push(fail('qr.consistency', `qr.${key}`, written ?? '', message));
  }

  return findings;
}

function checkExtraSpaces(values: Map<string, string>, doc: Loose): FiscalFinding[] {
  const region = text(doc['taxRegion']);

  if (region === undefined) return [];

  return ['J', 'K'].flatMap((prefix) => {
    const keys = [...values.keys()].filter((key) => key.startsWith(prefix));
    const first = keys[0];
    if (first === undefined) return [];

    const message =
      `qr.${first} describes another fiscal space, but the document ` +
      `has one tax region, ${shown(region)}`;

    return [fail('qr.consistency', `qr.${first}`, values.get(first) ?? '', message)];
  });
}

function bandLabel(position: number, rates: readonly [number, number, number]): string {
  if (position === 2) return 'exempt base';

  const pair = RATE_PAIRS.find((p) => p.base === position || p.vat === position);
  const rate = pair ? rates[pair.rate] : 0;

  return pair?.base === position ? `base at ${rate}%` : `VAT at ${rate}%`;
}

function spaceAmountKeys(positions: number[]): string[] {
  return SPACE_PREFIXES.flatMap((prefix) =>
    positions.map((position) => `${prefix}${position}`),
  );
}
