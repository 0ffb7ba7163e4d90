import { describe, expect, it } from 'vitest';
import { validateFiscalDocument, validateQrPayload } from '../../src/fiscal/index.js';
import type { FiscalContext, FiscalDocument } from '../../src/fiscal/index.js';
import { validDocument } from './fixtures.js';

const junk: unknown[] = [
  undefined,
  null,
  0,
  42.5,
  NaN,
  '',
  'x',
  [],
  [1],
  {},
  true,
  { a: 1 },
];
const asDoc = (value: unknown): FiscalDocument => value as FiscalDocument;

describe('malformed input', () => {
  it.each(junk)('never throws on %j as the document', (value) => {
    const findings = validateFiscalDocument(asDoc(value));

    expect(findings.length).toBeGreaterThan(0);
    expect(
      findings.every((f) => f.severity === 'error' || f.severity === 'warning'),
    ).toBe(true);
  });

  const fields = Object.keys(validDocument());

  it.each(fields.flatMap((field) => junk.map((value) => ({ field, value }))))(
    'never throws with $field set to $value',
    ({ field, value }) => {
      const doc = { ...validDocument(), [field]: value };

      expect(() => validateFiscalDocument(asDoc(doc))).not.toThrow();
    },
  );

  it.each(['issuer', 'buyer', 'totals', 'charged'])(
    'never throws with junk inside %s',
    (field) => {
      for (const value of junk) {
        const inner = Object.fromEntries(
          [
            'taxId',
            'country',
            'net',
            'tax',
            'gross',
            'amount',
            'currency',
            'eurRate',
            'paidAt',
          ].map((key) => [key, value]),
        );
        const doc = { ...validDocument(), [field]: inner };

        expect(() => validateFiscalDocument(asDoc(doc))).not.toThrow();
      }
    },
  );

  it('reports a missing field as a finding that names it', () => {
    const { buyer: _buyer, ...rest } = validDocument();

    expect(validateFiscalDocument(asDoc(rest))).toContainEqual(
      expect.objectContaining({ field: 'buyer.country', severity: 'error' }),
    );
  });

  it.each(junk)('never throws on %j as the context', (value) => {
    expect(() =>
      validateFiscalDocument(validDocument(), value as FiscalContext),
    ).not.toThrow();
  });

  it.each(junk)('never throws on %j among earlier documents', (value) => {
    const context = { previous: [value] } as unknown as FiscalContext;

    expect(() => validateFiscalDocument(validDocument(), context)).not.toThrow();
  });

  it.each(['*', '**', ':', 'A', 'A:', '*A:1*', 'A:1**B:2', ':::', 'F:2026', 'O:1e3'])(
    'never throws on the payload %j',
    (payload) => {
      expect(() => validateQrPayload(payload)).not.toThrow();
      expect(validateQrPayload(payload).length).toBeGreaterThan(0);
    },
  );

  it('escapes control characters in messages but records the value as found', () => {
    const doc = { ...validDocument(), status: '\u001b[31mN' };
    const finding = validateFiscalDocument(asDoc(doc)).find((f) => f.field === 'status');

    expect(finding?.value).toBe('\u001b[31mN');
    expect(finding?.message).not.toContain('\u001b');
    expect(finding?.message).toContain('\\u001b');
  });

  it('shortens a huge value in both the message and the finding', () => {
    const doc = { ...validDocument(), hash: 'x'.repeat(10_000) };
    const finding = validateFiscalDocument(asDoc(doc)).find((f) => f.field === 'hash');

    expect(finding?.value.length).toBeLessThanOrEqual(201);
    expect(finding?.message.length).toBeLessThan(200);
  });
});
