import { describe, expect, it } from 'vitest';

import { validateFiscalDocument } from '../../src/fiscal/index.js';
import type { FiscalRuleId } from '../../src/fiscal/rules.js';
import { FISCAL_RULE_IDS } from '../../src/fiscal/rules.js';
import type { FiscalDocument, FiscalInput } from '../../src/sandbox/fiscal-issuer.js';
import {
  BREAKABLE_FISCAL_RULES,
  chooseBrokenRule,
  companyNif,
  isValidNif,
  issueFiscalDocument,
  lisbonDate,
} from '../../src/sandbox/fiscal-issuer.js';
import { seededRandom } from '../../src/sandbox/random.js';

const ORDER = [
  'A',
  'B',
  'C',
  'D',
  'E',
  'F',
  'G',
  'H',
  'I1',
  'I7',
  'I8',
  'N',
  'O',
  'Q',
  'R',
];

function input(overrides: Partial<FiscalInput> = {}): FiscalInput {
  return {
    profile: {
      nif: '501964843',
      name: 'X Lda',
      atcudCode: 'CSDF7T5H',
      certificateNumber: '2891',
      nextSequence: 15,
    },
    stripeInvoiceId: 'in_1',
    subscriptionId: 'sub_1',
    netCents: 2900,
    chargedCents: 3567,
    // 23:30 UTC on 31 March 2026 is already 1 April in Lisbon (summer time).
    paidAt: new Date('2026-03-31T23:30:00Z'),
    ...overrides,
  };
}

function qrFields(doc: FiscalDocument): [string, string][] {
  return doc.qrPayload.split('*').map((field) => {
    const at = field.indexOf(':');
    return [field.slice(0, at), field.slice(at + 1)];
  });
}

function qr(doc: FiscalDocument, key: string): string | undefined {
  return qrFields(doc).find(([k]) => k === key)?.[1];
}

const cents = (text: string | undefined) => Math.round(Number(text) * 100);

describe('the fiscal issuer', () => {
  it('issues an FR invoice-receipt that meets the Portuguese rules', () => {
    const doc = issueFiscalDocument(input(), seededRandom(1));
    expect(doc).toMatchObject({
      type: 'FR',
      status: 'N',
      number: 'FR 2026A/15',
      series: '2026A',
      atcud: 'CSDF7T5H-15',
      issueDate: '2026-04-01',
      taxRegion: 'PT',
      buyer: { taxId: '999999990', country: 'PT' },
      taxBands: [{ rate: 23, base: '29.00', tax: '6.67' }],
      totals: { net: '29.00', tax: '6.67', gross: '35.67' },
      certificateNumber: '2891',
      charged: { amount: 3567, currency: 'eur' },
    });
    expect(isValidNif(doc.issuer.taxId)).toBe(true);
    expect(doc.hash).toMatch(/^.{4}$/);
    expect(qrFields(doc).map(([k]) => k)).toEqual(ORDER);
    expect(doc.qrPayload).toMatch(
      /^A:501964843\*B:999999990\*C:PT\*D:FR\*E:N\*F:20260401\*G:FR 2026A\/15\*H:CSDF7T5H-15\*I1:PT\*I7:29\.00\*I8:6\.67\*N:6\.67\*O:35\.67\*Q:.{4}\*R:2891$/,
    );
  });

  it('numbers consecutive documents consecutively', () => {
    const profile = input().profile;
    const a = issueFiscalDocument(input({ profile }), seededRandom(1));
    const b = issueFiscalDocument(input({ profile }), seededRandom(2));
    expect([a.number, b.number]).toEqual(['FR 2026A/15', 'FR 2026A/16']);
    expect(b.atcud).toBe('CSDF7T5H-16');
  });

  it('rounds VAT to the cent', () => {
    const doc = issueFiscalDocument(
      input({ netCents: 900, chargedCents: 1107 }),
      seededRandom(1),
    );
    expect(doc.totals).toEqual({ net: '9.00', tax: '2.07', gross: '11.07' });
  });

  it('makes valid company NIFs', () => {
    const random = seededRandom(9);
    for (let i = 0; i < 20; i++) {
      const nif = companyNif(random);
      expect(nif).toMatch(/^5\d{8}$/);
      expect(isValidNif(nif)).toBe(true);
    }
    expect(isValidNif('501964842')).toBe(false);
  });

  it('reads the payment day in Lisbon', () => {
    expect(lisbonDate(new Date('2026-01-15T23:30:00Z'))).toBe('2026-01-15');
    expect(lisbonDate(new Date('2026-07-15T23:30:00Z'))).toBe('2026-07-16');
  });

  it('lists only real rule ids as breakable, including the required ones', () => {
    for (const rule of BREAKABLE_FISCAL_RULES) expect(FISCAL_RULE_IDS).toContain(rule);
    const required: FiscalRuleId[] = [
      'nif.buyer.check-digit',
      'atcud.sequence',
      'totals.sum',
      'qr.money-format',
      'qr.sum-n',
      'qr.order',
      'qr.empty-field',
      'vat.rate',
      'atcud.required',
      'totals.charged',
    ];
    expect(BREAKABLE_FISCAL_RULES).toEqual(expect.arrayContaining(required));
  });

  it('chooses the asked rule, or one by seed, and refuses unknown ids', () => {
    expect(chooseBrokenRule('qr.order', seededRandom(1))).toBe('qr.order');
    expect(chooseBrokenRule(undefined, seededRandom(4))).toBe(
      chooseBrokenRule(undefined, seededRandom(4)),
    );
    expect(() => chooseBrokenRule('nif.prefix', seededRandom(1))).toThrow(
      /nif\.buyer\.check-digit/,
    );
  });

  const checks: Record<string, (doc: FiscalDocument) => boolean> = {
    'nif.buyer.check-digit': (d) =>
      d.buyer.taxId === '501964842' && qr(d, 'B') === '501964842',
    'nif.issuer.check-digit': (d) =>
      !isValidNif(d.issuer.taxId) && qr(d, 'A') === d.issuer.taxId,
    'atcud.sequence': (d) =>
      d.atcud.split('-')[1] !== d.number.split('/')[1] && qr(d, 'H') === d.atcud,
    'atcud.required': (d) => d.atcud === '0' && qr(d, 'H') === '0',
    'totals.sum': (d) =>
      cents(d.totals.net) + cents(d.totals.tax) !== cents(d.totals.gross),
    'totals.charged': (d) => d.charged?.amount !== cents(d.totals.gross),
    'qr.money-format': (d) => qr(d, 'O') === '35,67' && qr(d, 'I7') === '29,00',
    'qr.sum-n': (d) => cents(qr(d, 'N')) !== cents(qr(d, 'I8')),
    'qr.order': (d) =>
      qrFields(d)
        .map(([k]) => k)
        .join() !== ORDER.join(),
    'qr.empty-field': (d) => qrFields(d).some(([, v]) => v === ''),
    'qr.date-format': (d) => !/^\d{8}$/.test(qr(d, 'F') ?? ''),
    'vat.rate': (d) =>
      Math.abs(
        cents(d.taxBands[0]?.base) * ((d.taxBands[0]?.rate ?? 0) / 100) -
          cents(d.taxBands[0]?.tax),
      ) > 1,
    'hash.format': (d) => d.hash.length !== 4 && qr(d, 'Q') === d.hash,
  };

  it.each(BREAKABLE_FISCAL_RULES)('breaks %s, and only where that rule looks', (rule) => {
    const check = checks[rule];
    expect(check).toBeDefined();
    const valid = issueFiscalDocument(input(), seededRandom(1));
    const broken = issueFiscalDocument(input({ broken: rule }), seededRandom(1));
    expect(check?.(valid)).toBe(false);
    expect(check?.(broken)).toBe(true);
  });

  it('passes the product fiscal validator when nothing is broken', () => {
    const doc = issueFiscalDocument(input(), seededRandom(1));
    expect(validateFiscalDocument(doc)).toEqual([]);
  });

  it.each(BREAKABLE_FISCAL_RULES)(
    'the product validator reports %s as an error',
    (rule) => {
      const doc = issueFiscalDocument(input({ broken: rule }), seededRandom(1));
      const errors = validateFiscalDocument(doc).filter((f) => f.severity === 'error');
      expect(errors.map((f) => f.rule)).toContain(rule);
    },
  );
});
