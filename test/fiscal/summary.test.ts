import { describe, expect, it } from 'vitest';
import { summarizeFindings, validateFiscalDocument } from '../../src/fiscal/index.js';
import type { FiscalFinding } from '../../src/fiscal/index.js';
import { documentWith, documentWithoutQrUpdate } from './fixtures.js';

const finding = (over: Partial<FiscalFinding>): FiscalFinding => ({
  rule: 'totals.sum',
  severity: 'error',
  field: 'totals.gross',
  value: '1.00',
  message: 'totals.gross 1.00 is wrong',
  ...over,
});

describe('summarizeFindings', () => {
  it('says so when nothing is broken', () => {
    expect(summarizeFindings([])).toBe('no fiscal rule broken');
  });

  it('names the field, value and rule of the bad check digit', () => {
    const doc = documentWith((d) => (d.buyer.taxId = '501964842'));

    expect(summarizeFindings(validateFiscalDocument(doc))).toBe(
      '1 rule broken: buyer.taxId 501964842 fails the NIF check digit (expected 3) [nif.buyer.check-digit]',
    );
  });

  it('counts broken rules and lists each error', () => {
    const doc = documentWithoutQrUpdate((d) => (d.buyer.taxId = '501964842'));
    const line = summarizeFindings(validateFiscalDocument(doc));

    expect(line).toMatch(/^2 rules broken: buyer\.taxId 501964842 fails/);
    expect(line).toContain('[qr.consistency]');
  });

  it('mentions warnings after the errors, and alone when there are no errors', () => {
    const warning = finding({
      rule: 'nif.prefix',
      severity: 'warning',
      message: 'odd prefix',
    });

    expect(summarizeFindings([finding({}), warning])).toBe(
      '1 rule broken: totals.gross 1.00 is wrong [totals.sum] (and 1 warning)',
    );
    expect(summarizeFindings([warning])).toBe(
      'no fiscal rule broken, 1 warning: odd prefix [nif.prefix]',
    );
  });

  it('keeps the line short when many findings pile up', () => {
    const many = Array.from({ length: 8 }, (_, i) =>
      finding({ message: `problem ${i}` }),
    );
    const line = summarizeFindings(many);

    expect(line).toContain('problem 4 [totals.sum]; and 3 more');
    expect(line).not.toContain('problem 5');
  });
});
