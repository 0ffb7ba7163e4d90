import { describe, expect, it } from 'vitest';
import { formatCents, lisbonDay, parseCents } from '../../src/fiscal/index.js';

describe('parseCents', () => {
  it.each([
    ['12.34', 1234],
    ['0.80', 80],
    ['0.00', 0],
    ['1000000.01', 100000001],
  ])('reads %s as %d cents', (text, cents) => {
    expect(parseCents(text)).toBe(cents);
  });

  it.each([
    '0,65',
    '1,000.00',
    '-1.00',
    '+1.00',
    '1.5',
    '12',
    '.50',
    ' 1.00',
    '1.00 ',
    '',
    '1e3',
  ])('rejects %j', (text) => {
    expect(parseCents(text)).toBeNull();
  });

  it('rejects amounts too large for exact cents', () => {
    expect(parseCents('99999999999999999999.00')).toBeNull();
  });

  it('rejects what is not a string', () => {
    expect(parseCents(12.34)).toBeNull();
  });
});

describe('formatCents', () => {
  it.each([
    [1234, '12.34'],
    [5, '0.05'],
    [0, '0.00'],
    [-250, '-2.50'],
  ])('writes %d cents as %s', (cents, text) => {
    expect(formatCents(cents)).toBe(text);
  });
});

describe('lisbonDay', () => {
  it.each([
    // Summer time (UTC+1): 23:30 UTC is already the next day.
    ['2026-07-01T23:30:00Z', '2026-07-02'],
    ['2026-07-01T22:59:59Z', '2026-07-01'],
    // Winter time (UTC+0): the UTC day is the Lisbon day.
    ['2026-01-15T23:30:00Z', '2026-01-15'],
    // Clocks go forward at 01:00 UTC on 29 March 2026.
    ['2026-03-28T23:30:00Z', '2026-03-28'],
    ['2026-03-29T23:30:00Z', '2026-03-30'],
    // Clocks go back at 01:00 UTC on 25 October 2026.
    ['2026-10-24T23:30:00Z', '2026-10-25'],
    ['2026-10-25T23:30:00Z', '2026-10-25'],
    ['2026-07-02T00:30:00+01:00', '2026-07-02'],
  ])('%s falls on %s in Lisbon', (instant, day) => {
    expect(lisbonDay(new Date(instant))).toBe(day);
  });
});
