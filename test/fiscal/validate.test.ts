import { describe, expect, it } from 'vitest';
import {
  FISCAL_RULE_IDS,
  validateFiscalDocument,
  validateQrPayload,
} from '../../src/fiscal/index.js';
import type {
  FiscalContext,
  FiscalDocument,
  FiscalFinding,
  FiscalRuleId,
} from '../../src/fiscal/index.js';
import {
  AT_FOREIGN_VAT_EXAMPLE,
  AT_SIMPLIFIED_EXAMPLE,
  documentWith,
  documentWithoutQrUpdate,
  earlier,
  editQr,
  setQr,
  validDocument,
  withQr,
} from './fixtures.js';

const errorsOf = (findings: FiscalFinding[]): FiscalFinding[] =>
  findings.filter((finding) => finding.severity === 'error');
const rulesOf = (findings: FiscalFinding[]): FiscalRuleId[] => [
  ...new Set(findings.map((finding) => finding.rule)),
];

describe('the AT official examples', () => {
  it('accepts the simplified-invoice payload verbatim', () => {
    expect(validateQrPayload(AT_SIMPLIFIED_EXAMPLE)).toEqual([]);
  });

  it('accepts the foreign-VAT invoice without holding France to PT rates', () => {
    expect(validateQrPayload(AT_FOREIGN_VAT_EXAMPLE)).toEqual([]);

    // The same amounts in the PT fiscal space are 20%, not 23%: that is a finding.
    const asMainland = setQr(AT_FOREIGN_VAT_EXAMPLE, 'I1', 'PT');
    expect(validateQrPayload(asMainland)).toContainEqual(
      expect.objectContaining({ rule: 'vat.rate', field: 'qr.I8', value: '20.00' }),
    );
  });

  it('accepts a document in a foreign fiscal space at that country’s rate', () => {
    const doc = documentWith((d) => {
      d.taxRegion = 'FR' as FiscalDocument['taxRegion'];
      d.taxBands = [{ rate: 20, base: '25.00', tax: '5.00' }];
      d.totals = { net: '25.00', tax: '5.00', gross: '30.00' };
    });

    expect(validateFiscalDocument(doc)).toEqual([]);
  });
});

describe('documents that meet every rule', () => {
  const cases: Array<{ name: string; doc: FiscalDocument; context?: FiscalContext }> = [
    { name: 'a mainland invoice-receipt at 23%', doc: validDocument() },
    {
      name: 'a foreign buyer with a foreign tax id',
      doc: documentWith((d) => {
        d.buyer = { taxId: 'FR12345678901', country: 'FR' };
      }),
    },
    {
      name: 'the final-consumer NIF as buyer',
      doc: documentWith((d) => {
        d.buyer = { taxId: '999999990', country: 'PT' };
      }),
    },
    {
      name: 'a buyer NIF written with PT and spaces',
      doc: documentWith((d) => {
        d.buyer = { taxId: 'PT 502 757 191', country: 'PT' };
      }),
    },
    {
      name: 'an unknown buyer country',
      doc: documentWith((d) => {
        d.buyer = { taxId: '999999990', country: 'Desconhecido' };
      }),
    },
    {
      name: 'a Madeira invoice at 22% and an exempt line',
      doc: documentWith((d) => {
        d.taxRegion = 'PT-MA';
        d.taxBands = [
          { rate: 22, base: '20.00', tax: '4.40' },
          { rate: 0, base: '5.60', tax: '0.00' },
        ];
        d.totals = { net: '25.60', tax: '4.40', gross: '30.00' };
      }),
    },
    {
      name: 'an Azores invoice at the reduced and normal rates',
      doc: documentWith((d) => {
        d.taxRegion = 'PT-AC';
        d.taxBands = [
          { rate: 4, base: '10.00', tax: '0.40' },
          { rate: 16, base: '16.90', tax: '2.70' },
        ];
        d.totals = { net: '26.90', tax: '3.10', gross: '30.00' };
      }),
    },
    {
      name: 'a winter payment at 23:30 UTC, the same day in Lisbon',
      doc: documentWith((d) => {
        d.issueDate = '2026-01-15';
        d.charged = { amount: 3000, currency: 'EUR', paidAt: '2026-01-15T23:30:00Z' };
      }),
    },
    {
      name: 'a USD charge converted at the recorded rate',
      doc: validDocument(),
      context: {
        charged: {
          amount: 3261,
          currency: 'usd',
          eurRate: 0.92,
          paidAt: '2026-07-01T23:30:00Z',
        },
      },
    },
    {
      name: 'a JPY charge, whose minor unit is the yen',
      doc: validDocument(),
      context: { charged: { amount: 5000, currency: 'JPY', eurRate: 0.006 } },
    },
    {
      name: 'the next number after two earlier documents',
      doc: validDocument(),
      context: { previous: [earlier(13, '2026-06-01'), earlier(14, '2026-06-30')] },
    },
    {
      name: 'earlier documents of other series and the document itself',
      doc: validDocument(),
      context: {
        previous: [
          validDocument(),
          documentWith((d) => {
            d.id = 'fdoc_other';
            d.number = 'FT 2026B/3';
          }),
        ],
      },
    },
    {
      name: 'an ATCUD that pairs with a zero-padded sequence',
      doc: documentWith((d) => {
        d.number = 'FR 2026A/0015';
        d.atcud = 'CSDF7T5H-0015';
      }),
    },
    {
      name: 'a document dated before 2023 with the 0 placeholder',
      doc: documentWith((d) => {
        d.issueDate = '2022-12-31';
        d.atcud = '0';
        d.charged = null;
      }),
    },
  ];

  it.each(cases)('$name → no findings', ({ doc, context }) => {
    expect(validateFiscalDocument(doc, context)).toEqual([]);
  });
});

interface FailingCase {
  name: string;
  findings: () => FiscalFinding[];
  rule: FiscalRuleId;
  field: string;
  severity?: 'error' | 'warning';
  /** Text the message must contain. */
  says?: string;
  /** When set, these are the only rules broken. */
  only?: FiscalRuleId[];
}

const check = (doc: FiscalDocument, context?: FiscalContext) => (): FiscalFinding[] =>
  validateFiscalDocument(doc, context);
const checkQr = (payload: string) => (): FiscalFinding[] => validateQrPayload(payload);
const docQr = (edit: (payload: string) => string): FiscalDocument => {
  const doc = validDocument();

  return { ...doc, qrPayload: edit(doc.qrPayload) };
};

const failing: FailingCase[] = [
  {
    name: 'a PT buyer NIF with a bad check digit',
    findings: check(documentWith((d) => (d.buyer.taxId = '501964842'))),
    rule: 'nif.buyer.check-digit',
    field: 'buyer.taxId',
    says: 'buyer.taxId 501964842 fails the NIF check digit (expected 3)',
    only: ['nif.buyer.check-digit'],
  },
  {
    name: 'an issuer NIF with a bad check digit',
    findings: check(documentWith((d) => (d.issuer.taxId = '501964842'))),
    rule: 'nif.issuer.check-digit',
    field: 'issuer.taxId',
    says: 'expected 3',
    only: ['nif.issuer.check-digit'],
  },
  {
    name: 'an issuer NIF of 8 digits',
    findings: check(documentWith((d) => (d.issuer.taxId = '50196484'))),
    rule: 'nif.issuer.check-digit',
    field: 'issuer.taxId',
    says: 'not 9',
  },
  {
    name: 'a buyer NIF starting with 0',
    findings: check(documentWith((d) => (d.buyer.taxId = '012345678'))),
    rule: 'nif.buyer.check-digit',
    field: 'buyer.taxId',
    says: 'starts with 0',
  },
  {
    name: 'the final-consumer NIF as issuer',
    findings: check(documentWith((d) => (d.issuer.taxId = '999999990'))),
    rule: 'nif.issuer.check-digit',
    field: 'issuer.taxId',
  },
  {
    name: 'a valid NIF with an unknown entity-type prefix',
    findings: check(documentWith((d) => (d.buyer.taxId = '400000008'))),
    rule: 'nif.prefix',
    field: 'buyer.taxId',
    severity: 'warning',
    only: ['nif.prefix'],
  },
  {
    name: 'a foreign buyer id longer than 30 characters',
    findings: check(
      documentWith((d) => (d.buyer = { taxId: 'FR'.padEnd(31, '1'), country: 'FR' })),
    ),
    rule: 'nif.buyer.check-digit',
    field: 'buyer.taxId',
  },
  {
    name: 'a document number without the space',
    findings: check(documentWith((d) => (d.number = 'FR2026A/15'))),
    rule: 'number.pattern',
    field: 'number',
  },
  {
    name: 'a document number over 60 characters',
    findings: check(documentWith((d) => (d.number = `FR ${'A'.repeat(57)}/15`))),
    rule: 'number.pattern',
    field: 'number',
    says: '60',
  },
  {
    name: 'a type that is not a sales type',
    findings: check(
      documentWith((d) => {
        d.type = 'GT';
        d.number = 'GT 2026A/15';
      }),
    ),
    rule: 'number.type',
    field: 'type',
    only: ['number.type'],
  },
  {
    name: 'a type that differs from the number’s prefix',
    findings: check(documentWith((d) => (d.type = 'FT'))),
    rule: 'number.type',
    field: 'number',
    says: 'starts with FR but type is FT',
  },
  {
    name: 'a simplified invoice above 100 EUR',
    findings: check(
      documentWith((d) => {
        d.type = 'FS';
        d.number = 'FS 2026A/15';
        d.taxBands = [{ rate: 23, base: '100.00', tax: '23.00' }];
        d.totals = { net: '100.00', tax: '23.00', gross: '123.00' };
        d.charged = { amount: 12300, currency: 'EUR' };
      }),
    ),
    rule: 'number.type',
    field: 'type',
    severity: 'warning',
    only: ['number.type'],
  },
  {
    name: 'an unknown status',
    findings: check(documentWith((d) => (d.status = 'X'))),
    rule: 'status.value',
    field: 'status',
    only: ['status.value'],
  },
  {
    name: 'a cancelled document',
    findings: check(documentWith((d) => (d.status = 'A'))),
    rule: 'status.value',
    field: 'status',
    severity: 'warning',
  },
  {
    name: 'the ATCUD placeholder 0 on a 2026 document',
    findings: check(documentWith((d) => (d.atcud = '0'))),
    rule: 'atcud.required',
    field: 'atcud',
    only: ['atcud.required'],
  },
  {
    name: 'H:0 in the QR code of a 2026 document',
    findings: checkQr(
      editQr(AT_SIMPLIFIED_EXAMPLE, (fields) =>
        fields.map(([k, v]): [string, string] => [
          k,
          k === 'F' ? '20260105' : k === 'H' ? '0' : v,
        ]),
      ),
    ),
    rule: 'atcud.required',
    field: 'qr.H',
    only: ['atcud.required'],
  },
  {
    name: 'a lowercase ATCUD',
    findings: check(documentWith((d) => (d.atcud = 'csdf7t5h-15'))),
    rule: 'atcud.pattern',
    field: 'atcud',
  },
  {
    name: 'an ATCUD validation code of 9 characters',
    findings: check(documentWith((d) => (d.atcud = 'CSDF7T5HX-15'))),
    rule: 'atcud.code-length',
    field: 'atcud',
    severity: 'warning',
    only: ['atcud.code-length'],
  },
  {
    name: 'an ATCUD whose number is not the sequence',
    findings: check(documentWith((d) => (d.atcud = 'CSDF7T5H-16'))),
    rule: 'atcud.sequence',
    field: 'atcud',
    says: 'ends in 16 but the sequence',
    only: ['atcud.sequence'],
  },
  {
    name: 'an ATCUD number that differs only in leading zeros',
    findings: check(documentWith((d) => (d.atcud = 'CSDF7T5H-015'))),
    rule: 'atcud.sequence-zeros',
    field: 'atcud',
    severity: 'warning',
    only: ['atcud.sequence-zeros'],
  },
  {
    name: 'QR money with a comma decimal',
    findings: checkQr(setQr(AT_SIMPLIFIED_EXAMPLE, 'I7', '0,65')),
    rule: 'qr.money-format',
    field: 'qr.I7',
    says: '0,65',
  },
  {
    name: 'QR money with one decimal',
    findings: checkQr(setQr(AT_SIMPLIFIED_EXAMPLE, 'O', '0.8')),
    rule: 'qr.money-format',
    field: 'qr.O',
  },
  {
    name: 'an empty optional QR field',
    findings: checkQr(
      editQr(AT_SIMPLIFIED_EXAMPLE, (fields) => {
        const at = fields.findIndex(([k]) => k === 'I7');
        return [...fields.slice(0, at), ['I2', ''], ...fields.slice(at)];
      }),
    ),
    rule: 'qr.empty-field',
    field: 'qr.I2',
    only: ['qr.empty-field'],
  },
  {
    name: 'QR keys out of order',
    findings: checkQr(
      editQr(AT_SIMPLIFIED_EXAMPLE, (fields) => {
        const n = fields.findIndex(([k]) => k === 'N');
        const o = fields.findIndex(([k]) => k === 'O');
        const swapped = [...fields];
        [swapped[n], swapped[o]] = [fields[o]!, fields[n]!];
        return swapped;
      }),
    ),
    rule: 'qr.order',
    field: 'qr.N',
    only: ['qr.order'],
  },
  {
    name: 'an unknown QR key',
    findings: checkQr(`${AT_SIMPLIFIED_EXAMPLE}*T:extra`),
    rule: 'qr.unknown-key',
    field: 'qr.T',
    only: ['qr.unknown-key'],
  },
  {
    name: 'a duplicate QR key',
    findings: checkQr(editQr(AT_SIMPLIFIED_EXAMPLE, (fields) => [fields[0]!, ...fields])),
    rule: 'qr.duplicate-key',
    field: 'qr.A',
    only: ['qr.duplicate-key'],
  },
  {
    name: 'an over-long QR value',
    findings: checkQr(setQr(AT_SIMPLIFIED_EXAMPLE, 'S', 'x'.repeat(66))),
    rule: 'qr.max-length',
    field: 'qr.S',
    only: ['qr.max-length'],
  },
  {
    name: 'a missing mandatory QR field',
    findings: checkQr(
      editQr(AT_SIMPLIFIED_EXAMPLE, (fields) => fields.filter(([k]) => k !== 'R')),
    ),
    rule: 'qr.missing-field',
    field: 'qr.R',
    only: ['qr.missing-field'],
  },
  {
    name: 'a QR date that does not exist',
    findings: checkQr(setQr(AT_SIMPLIFIED_EXAMPLE, 'F', '20190230')),
    rule: 'qr.date-format',
    field: 'qr.F',
    only: ['qr.date-format'],
  },
  {
    name: 'a QR N that is not the VAT total',
    findings: checkQr(
      editQr(AT_SIMPLIFIED_EXAMPLE, (fields) =>
        fields.map(([k, v]): [string, string] => [
          k,
          k === 'N' ? '0.20' : k === 'O' ? '0.85' : v,
        ]),
      ),
    ),
    rule: 'qr.sum-n',
    field: 'qr.N',
    only: ['qr.sum-n'],
  },
  {
    name: 'a QR O that is not bases plus N',
    findings: checkQr(setQr(AT_SIMPLIFIED_EXAMPLE, 'O', '0.81')),
    rule: 'qr.sum-o',
    field: 'qr.O',
    says: '0.80',
    only: ['qr.sum-o'],
  },
  {
    name: 'a QR that names another issuer',
    findings: check(docQr((qr) => setQr(qr, 'A', '502757191'))),
    rule: 'qr.consistency',
    field: 'qr.A',
    only: ['qr.consistency'],
  },
  {
    name: 'a QR gross total that differs from the document',
    findings: check(
      docQr((qr) =>
        editQr(qr, (fields) =>
          fields.map(([k, v]): [string, string] => [
            k,
            k === 'I7' ? '24.40' : k === 'O' ? '30.01' : v,
          ]),
        ),
      ),
    ),
    rule: 'qr.consistency',
    field: 'qr.O',
    only: ['qr.consistency'],
  },
  {
    name: 'VAT two cents off base x rate',
    findings: check(
      documentWith((d) => {
        d.taxBands = [{ rate: 23, base: '24.39', tax: '5.63' }];
        d.totals = { net: '24.39', tax: '5.63', gross: '30.02' };
        d.charged = { amount: 3002, currency: 'EUR', paidAt: '2026-07-01T23:30:00Z' };
      }),
    ),
    rule: 'vat.rate',
    field: 'taxBands[0].tax',
    says: '5.61',
    only: ['vat.rate'],
  },
  {
    name: 'a mainland rate in the Azores',
    findings: check(documentWith((d) => (d.taxRegion = 'PT-AC'))),
    rule: 'vat.rate',
    field: 'taxBands[0].rate',
    says: '4, 9, 16',
  },
  {
    name: 'totals that do not add up',
    findings: check(
      documentWith((d) => {
        d.totals.gross = '30.01';
        d.charged = { amount: 3001, currency: 'EUR', paidAt: '2026-07-01T23:30:00Z' };
      }),
    ),
    rule: 'totals.sum',
    field: 'totals.gross',
    // The QR code restates the wrong gross, so its own sum breaks too.
    only: ['totals.sum', 'qr.sum-o'],
  },
  {
    name: 'a net total that is not the sum of the bases',
    findings: check(
      documentWith((d) => {
        d.taxBands.push({ rate: 0, base: '1.00', tax: '0.00' });
      }),
    ),
    rule: 'totals.sum',
    field: 'totals.net',
  },
  {
    name: 'a gross total that is not what Stripe charged',
    findings: check(validDocument(), { charged: { amount: 2999, currency: 'eur' } }),
    rule: 'totals.charged',
    field: 'totals.gross',
    says: '29.99',
    only: ['totals.charged'],
  },
  {
    name: 'a converted charge more than a cent away',
    findings: check(validDocument(), {
      charged: { amount: 3265, currency: 'USD', eurRate: 0.92 },
    }),
    rule: 'totals.charged',
    field: 'totals.gross',
    only: ['totals.charged'],
  },
  {
    name: 'a document in another currency',
    findings: check(documentWith((d) => (d.currency = 'USD'))),
    rule: 'totals.charged',
    field: 'currency',
  },
  {
    name: 'the UTC day instead of the Lisbon day in summer',
    findings: check(documentWith((d) => (d.issueDate = '2026-07-01'))),
    rule: 'date.payment-day',
    field: 'issueDate',
    says: '2026-07-02',
    only: ['date.payment-day'],
  },
  {
    name: 'an issue date that does not exist',
    findings: check(documentWithoutQrUpdate((d) => (d.issueDate = '2026-02-30'))),
    rule: 'date.payment-day',
    field: 'issueDate',
  },
  {
    name: 'a gap in the series',
    findings: check(validDocument(), { previous: [earlier(13, '2026-06-01')] }),
    rule: 'series.consecutive',
    field: 'number',
    says: '14 is missing',
    only: ['series.consecutive'],
  },
  {
    name: 'a number already used in the series',
    findings: check(validDocument(), {
      previous: [earlier(14, '2026-06-01'), earlier(15, '2026-06-30')],
    }),
    rule: 'series.consecutive',
    field: 'number',
    says: 'repeats',
    only: ['series.consecutive'],
  },
  {
    name: 'a later number with an earlier date',
    findings: check(validDocument(), { previous: [earlier(14, '2026-07-03')] }),
    rule: 'series.consecutive',
    field: 'number',
    says: 'before',
    only: ['series.consecutive'],
  },
  {
    name: 'a hash of three characters',
    findings: check(documentWith((d) => (d.hash = 'YhG'))),
    rule: 'hash.format',
    field: 'hash',
    only: ['hash.format'],
  },
  {
    name: 'a certificate number of five digits',
    findings: check(documentWithoutQrUpdate((d) => (d.certificateNumber = '12345'))),
    rule: 'hash.format',
    field: 'certificateNumber',
  },
];

describe('documents that break a rule', () => {
  it.each(failing)('$name → $rule on $field', (c) => {
    const findings = c.findings();
    const match = findings.find((f) => f.rule === c.rule && f.field === c.field);

    expect(match, JSON.stringify(findings, null, 2)).toBeDefined();
    expect(match?.severity).toBe(c.severity ?? 'error');
    expect(match?.message).toContain(c.field);
    if (c.says) expect(match?.message).toContain(c.says);
    if (c.only) expect(rulesOf(findings)).toEqual(c.only);
  });

  it('has a failing case for every rule id', () => {
    const covered = new Set(failing.map((c) => c.rule));

    expect(FISCAL_RULE_IDS.filter((rule) => !covered.has(rule))).toEqual([]);
  });
});

describe('several broken rules at once', () => {
  it('reports every one, not the first', () => {
    const doc = documentWithoutQrUpdate((d) => {
      d.buyer.taxId = '501964842';
      d.atcud = 'CSDF7T5H-16';
      d.totals.gross = '31.00';
    });
    const rules = rulesOf(errorsOf(validateFiscalDocument(doc)));

    expect(rules).toEqual(
      expect.arrayContaining([
        'nif.buyer.check-digit',
        'atcud.sequence',
        'totals.sum',
        'totals.charged',
        'qr.consistency',
      ]),
    );
  });

  it('prefers the context charge over the one on the document', () => {
    const doc = documentWith((d) => (d.charged = { amount: 1, currency: 'EUR' }));

    expect(
      validateFiscalDocument(doc, { charged: { amount: 3000, currency: 'EUR' } }),
    ).toEqual([]);
    expect(rulesOf(validateFiscalDocument(doc))).toEqual(['totals.charged']);
  });

  it('checks the QR code of a document against the document, not alone', () => {
    const doc = withQr(validDocument());

    expect(validateQrPayload(doc.qrPayload, doc)).toEqual([]);
    expect(
      rulesOf(validateQrPayload(setQr(doc.qrPayload, 'G', 'FR 2026A/16'), doc)),
    ).toEqual(['qr.consistency']);
  });
});
