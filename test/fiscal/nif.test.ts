import { describe, expect, it } from 'vitest';
import {
  checkNif,
  compactNif,
  FINAL_CONSUMER_NIF,
  isValidNif,
  nifPrefixKnown,
} from '../../src/fiscal/index.js';

describe('isValidNif', () => {
  it.each([
    '501964843',
    '502757191',
    '136695973',
    '123456789',
    '500000000',
    FINAL_CONSUMER_NIF,
  ])('accepts %s', (nif) => {
    expect(isValidNif(nif)).toBe(true);
  });

  it.each(['PT501964843', 'PT 501 964 843', '501-964-843', '501.964.843'])(
    'accepts %s once PT and separators are removed',
    (nif) => {
      expect(isValidNif(nif)).toBe(true);
    },
  );

  it.each(['501964842', '50196484', '5019648431', '012345678', '50196484X', ''])(
    'rejects %j',
    (nif) => {
      expect(isValidNif(nif)).toBe(false);
    },
  );
});

describe('checkNif', () => {
  it.each([
    { input: '501964842', problem: 'check-digit', expected: '3' },
    { input: '123456780', problem: 'check-digit', expected: '9' },
    { input: '50196484', problem: 'length' },
    { input: '50196484X', problem: 'format' },
    { input: '012345678', problem: 'leading-zero' },
    { input: 'PT', problem: 'missing' },
    { input: 'PT 501 964 843', problem: null },
  ])('$input → $problem', ({ input, problem, expected }) => {
    const check = checkNif(input);

    expect(check.problem).toBe(problem);
    expect(check.expectedCheckDigit).toBe(expected);
  });

  it('gives an expected digit that the library accepts', () => {
    const check = checkNif('136695970');

    expect(isValidNif(`13669597${check.expectedCheckDigit}`)).toBe(true);
  });
});

describe('compactNif', () => {
  it('strips PT and separators', () => {
    expect(compactNif('PT 501-964.843')).toBe('501964843');
  });
});

describe('nifPrefixKnown', () => {
  it.each([
    '123456789',
    '501964843',
    '600000000',
    '450000000',
    '700000000',
    '910000000',
    '999999990',
  ])('knows the prefix of %s', (nif) => {
    expect(nifPrefixKnown(nif)).toBe(true);
  });

  it.each(['400000008', '800000000', '730000000', '930000000'])(
    'does not know the prefix of %s',
    (nif) => {
      expect(nifPrefixKnown(nif)).toBe(false);
    },
  );
});
