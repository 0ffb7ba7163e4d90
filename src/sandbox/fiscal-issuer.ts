/**
 * Beacon's fiscal issuer as the sandbox plays it: an invoice-receipt (FR) for
 * a subscription's first paid invoice, following the Portuguese rules, or
 * breaking exactly one of them when the `fiscal-invalid` scenario asks.
 */
import { stdnum } from 'stdnum';

import type { components } from '../beacon/schema.generated.js';
import type { FiscalRuleId } from '../fiscal/rules.js';
import { VAT_RATE_PERCENT, vatOf } from './catalogue.js';
import type { SeededRandom } from './random.js';

export type FiscalDocument = components['schemas']['FiscalDocument'];

/** The final-consumer NIF, for buyers who give none. */
export const FINAL_CONSUMER_NIF = '999999990';

/** A NIF whose check digit is wrong, used when that rule is broken. */
const BAD_BUYER_NIF = '501964842';

/** The rules the `fiscal-invalid` scenario knows how to break. */
export const BREAKABLE_FISCAL_RULES: FiscalRuleId[] = [
  'nif.buyer.check-digit',
  'nif.issuer.check-digit',
  'atcud.sequence',
  'atcud.required',
  'totals.sum',
  'totals.charged',
  'qr.money-format',
  'qr.sum-n',
  'qr.order',
  'qr.empty-field',
  'qr.date-format',
  'vat.rate',
  'hash.format',
];

/** Who issues, and the AT codes of its series. */
export interface IssuerProfile {
  nif: string;
  name: string;
  /** The AT validation code of the series (8 uppercase letters and digits). */
  atcudCode: string;
  certificateNumber: string;
  /** The next sequence number to use in the current series. */
  nextSequence: number;
}

export interface FiscalInput {
  profile: IssuerProfile;
  stripeInvoiceId: string;
  subscriptionId: string;
  /** Plan amount in cents, VAT excluded. */
  netCents: number;
  /** What Stripe charged, in cents. */
  chargedCents: number;
  paidAt: Date;
  /** The rule to break, if any. */
  broken?: FiscalRuleId;
}

/** Picks the rule a `fiscal-invalid` run breaks: the asked one, or one by seed. */
export function chooseBrokenRule(
  asked: string | undefined,
  random: SeededRandom,
): FiscalRuleId {
  if (asked === undefined) return random.pick(BREAKABLE_FISCAL_RULES);
  const known = BREAKABLE_FISCAL_RULES.find((rule) => rule === asked);
  if (!known) {
    throw new Error(
      `Unknown fiscal rule "${asked}"; the sandbox can break: ${BREAKABLE_FISCAL_RULES.join(', ')}.`,
    );
  }
  return known;
}

/** Whether a Portuguese NIF is valid (check digit and shape), by stdnum. */
export function isValidNif(nif: string): boolean {
  const validator = stdnum['PT']?.['nif'];
  if (!validator) throw new Error('stdnum has no Portuguese NIF validator.');
  return validator.validate(nif).isValid;
}

/** A valid company NIF (prefix 5) drawn from the seeded stream. */
export function companyNif(random: SeededRandom): string {
  const body = `5${String(random.int(0, 9_999_999)).padStart(7, '0')}`;
  const nif = `${body}${checkDigit(body)}`;
  if (!isValidNif(nif)) throw new Error('Generated an invalid NIF.');
  return nif;
}

function checkDigit(eightDigits: string): number {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(eightDigits[i]) * (9 - i);
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

/** A series validation code: 8 uppercase letters and digits. */
export function atcudCode(random: SeededRandom): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  let code = '';
  for (let i = 0; i < 8; i++) code += random.pick([...alphabet]);
  return code;
}

/** The day in Lisbon of an instant, as YYYY-MM-DD. */
export function lisbonDate(at: Date): string {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Lisbon',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return format.format(at);
}

/** Cents as EUR with two decimals and a dot. */
export function euros(cents: number): string {
  return (cents / 100).toFixed(2);
}

type QrField = [key: string, value: string];

interface Draft {
  doc: FiscalDocument;
  qr: QrField[];
  sequence: number;
}

/** Issues the document for one paid invoice and advances the sequence. */
export function issueFiscalDocument(
  input: FiscalInput,
  random: SeededRandom,
): FiscalDocument {
  const sequence = input.profile.nextSequence;
  input.profile.nextSequence += 1;
  const draft = draftDocument(input, sequence, random);
  if (input.broken) BREAKS[input.broken]?.(draft, input);
  draft.doc.qrPayload = draft.qr.map(([key, value]) => `${key}:${value}`).join('*');
  return draft.doc;
}

function draftDocument(
  input: FiscalInput,
  sequence: number,
  random: SeededRandom,
): Draft {
  const { profile } = input;
  const issueDate = lisbonDate(input.paidAt);
  const series = `${issueDate.slice(0, 4)}A`;
  const number = `FR ${series}/${sequence}`;
  const atcud = `${profile.atcudCode}-${sequence}`;
  const tax = vatOf(input.netCents);
  const gross = input.netCents + tax;
  const hash = printedHash(random);
  const doc: FiscalDocument = {
    id: `fdoc_${random.int(100000, 999999)}${sequence}`,
    number,
    type: 'FR',
    status: 'N',
    issueDate,
    atcud,
    series,
    issuer: { taxId: profile.nif, country: 'PT', name: profile.name },
    buyer: { taxId: FINAL_CONSUMER_NIF, country: 'PT', name: 'Consumidor final' },
    taxRegion: 'PT',
    currency: 'EUR',
    taxBands: [{ rate: VAT_RATE_PERCENT, base: euros(input.netCents), tax: euros(tax) }],
    totals: { net: euros(input.netCents), tax: euros(tax), gross: euros(gross) },
    qrPayload: '',
    hash,
    certificateNumber: profile.certificateNumber,
    stripeInvoiceId: input.stripeInvoiceId,
    subscriptionId: input.subscriptionId,
    charged: {
      amount: input.chargedCents,
      currency: 'eur',
      paidAt: input.paidAt.toISOString(),
    },
  };
  const qr: QrField[] = [
    ['A', profile.nif],
    ['B', FINAL_CONSUMER_NIF],
    ['C', 'PT'],
    ['D', 'FR'],
    ['E', 'N'],
    ['F', issueDate.replace(/-/g, '')],
    ['G', number],
    ['H', atcud],
    ['I1', 'PT'],
    ['I7', euros(input.netCents)],
    ['I8', euros(tax)],
    ['N', euros(tax)],
    ['O', euros(gross)],
    ['Q', hash],
    ['R', profile.certificateNumber],
  ];
  return { doc, qr, sequence };
}

/** Characters 1, 11, 21 and 31 of a (simulated) document signature. */
function printedHash(random: SeededRandom): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let signature = '';
  for (let i = 0; i < 40; i++) signature += random.pick([...alphabet]);
  return [0, 10, 20, 30].map((i) => signature[i]).join('');
}

function setQr(draft: Draft, key: string, value: string): void {
  const field = draft.qr.find(([k]) => k === key);
  if (field) field[1] = value;
}

function qrValue(draft: Draft, key: string): string {
  return draft.qr.find(([k]) => k === key)?.[1] ?? '';
}

function centsOf(text: string): number {
  return Math.round(Number(text) * 100);
}

type Break = (draft: Draft, input: FiscalInput) => void;

/** Each break changes the document and its QR together, so they stay consistent. */
const BREAKS: Partial<Record<FiscalRuleId, Break>> = {
  'nif.buyer.check-digit': (d) => {
    d.doc.buyer.taxId = BAD_BUYER_NIF;
    setQr(d, 'B', BAD_BUYER_NIF);
  },
  'nif.issuer.check-digit': (d) => {
    const nif = d.doc.issuer.taxId;
    const wrong = `${nif.slice(0, 8)}${(Number(nif[8]) + 1) % 10}`;
    d.doc.issuer.taxId = wrong;
    setQr(d, 'A', wrong);
  },
  'atcud.sequence': (d, input) => {
    d.doc.atcud = `${input.profile.atcudCode}-${d.sequence + 1}`;
    setQr(d, 'H', d.doc.atcud);
  },
  'atcud.required': (d) => {
    d.doc.atcud = '0';
    setQr(d, 'H', '0');
  },
  'totals.sum': (d) => {
    d.doc.totals.net = euros(centsOf(d.doc.totals.net) + 1);
  },
  'totals.charged': (d) => {
    if (d.doc.charged) d.doc.charged.amount = centsOf(d.doc.totals.gross) - 100;
  },
  'qr.money-format': (d) => {
    for (const key of ['I7', 'I8', 'N', 'O'])
      setQr(d, key, qrValue(d, key).replace('.', ','));
  },
  'qr.sum-n': (d) => {
    setQr(d, 'I8', euros(centsOf(qrValue(d, 'I8')) + 1));
  },
  'qr.order': (d) => {
    const b = d.qr.findIndex(([k]) => k === 'B');
    const c = d.qr.findIndex(([k]) => k === 'C');
    [d.qr[b], d.qr[c]] = [d.qr[c] as QrField, d.qr[b] as QrField];
  },
  'qr.empty-field': (d) => {
    d.qr.splice(
      d.qr.findIndex(([k]) => k === 'N'),
      0,
      ['M', ''],
    );
  },
  'qr.date-format': (d) => {
    setQr(d, 'F', d.doc.issueDate);
  },
  'vat.rate': (d) => {
    const band = d.doc.taxBands[0];
    if (band) band.rate = 13;
  },
  'hash.format': (d) => {
    d.doc.hash = d.doc.hash.slice(0, 3);
    setQr(d, 'Q', d.doc.hash);
  },
};
