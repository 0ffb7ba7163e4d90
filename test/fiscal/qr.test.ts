import { describe, expect, it } from 'vitest';
import {
  formatQrPayload,
  parseQrPayload,
  QR_KEY_ORDER,
  QR_MANDATORY_KEYS,
  QR_MAX_LENGTHS,
  validateQrPayload,
} from '../../src/fiscal/index.js';
import { AT_SIMPLIFIED_EXAMPLE, setQr } from './fixtures.js';

describe('parseQrPayload', () => {
  it('splits fields on "*" and each field on its first ":"', () => {
    expect(parseQrPayload('G:FS CDVF/12345*S:NU;0.80*S2:a:b')).toEqual([
      { key: 'G', value: 'FS CDVF/12345', index: 0 },
      { key: 'S', value: 'NU;0.80', index: 1 },
      { key: 'S2', value: 'a:b', index: 2 },
    ]);
  });

  it('keeps a field without ":" as a key with an empty value', () => {
    expect(parseQrPayload('A:1*junk')).toEqual([
      { key: 'A', value: '1', index: 0 },
      { key: 'junk', value: '', index: 1 },
    ]);
  });

  it('reads an empty payload as no fields', () => {
    expect(parseQrPayload('')).toEqual([]);
  });

  it('round-trips the official example through formatQrPayload', () => {
    const fields = parseQrPayload(AT_SIMPLIFIED_EXAMPLE).map((f): [string, string] => [
      f.key,
      f.value,
    ]);

    expect(formatQrPayload(fields)).toBe(AT_SIMPLIFIED_EXAMPLE);
  });
});

describe('QR constants', () => {
  it('orders the 40 keys A to H, the three fiscal spaces, then L to S', () => {
    expect(QR_KEY_ORDER).toHaveLength(40);
    expect(QR_KEY_ORDER.slice(0, 9)).toEqual([
      'A',
      'B',
      'C',
      'D',
      'E',
      'F',
      'G',
      'H',
      'I1',
    ]);
    expect(QR_KEY_ORDER.indexOf('J1')).toBe(16);
    expect(QR_KEY_ORDER.slice(-8)).toEqual(['L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S']);
  });

  it('caps each key at its specified length', () => {
    expect(QR_MAX_LENGTHS).toMatchObject({ A: 9, B: 30, C: 12, G: 60, H: 70, K1: 5 });
    expect(QR_MAX_LENGTHS).toMatchObject({
      I7: 16,
      J8: 16,
      L: 16,
      P: 16,
      Q: 4,
      R: 4,
      S: 65,
    });
    expect(Object.keys(QR_MAX_LENGTHS).sort()).toEqual([...QR_KEY_ORDER].sort());
  });

  it('makes A to H, I1, N, O, Q and R mandatory', () => {
    expect(QR_MANDATORY_KEYS).toEqual([
      'A',
      'B',
      'C',
      'D',
      'E',
      'F',
      'G',
      'H',
      'I1',
      'N',
      'O',
      'Q',
      'R',
    ]);
  });
});

describe('validateQrPayload on its own', () => {
  it.each([
    { key: 'A', value: '123456780', rule: 'nif.issuer.check-digit' },
    { key: 'B', value: '501964842', rule: 'nif.buyer.check-digit' },
    // The number is what disagrees with the type, so the finding names it.
    { key: 'D', value: 'FT', rule: 'number.type', field: 'qr.G' },
    { key: 'D', value: 'XX', rule: 'number.type' },
    { key: 'E', value: 'Z', rule: 'status.value' },
    { key: 'G', value: 'FS CDVF-12345', rule: 'number.pattern' },
    { key: 'H', value: 'CDF7T5HD-12346', rule: 'atcud.sequence' },
    { key: 'Q', value: 'Yh G', rule: 'hash.format' },
    { key: 'R', value: 'X1', rule: 'hash.format' },
    { key: 'I1', value: 'Portugal', rule: 'vat.rate' },
  ])('holds qr.$key $value to $rule', ({ key, value, rule, field }) => {
    const findings = validateQrPayload(setQr(AT_SIMPLIFIED_EXAMPLE, key, value));

    expect(findings).toContainEqual(
      expect.objectContaining({ rule, field: field ?? `qr.${key}` }),
    );
  });

  it('checks PT rates in every PT fiscal space, reduced rate included', () => {
    const payload = AT_SIMPLIFIED_EXAMPLE.replace(
      '*I7:0.65*I8:0.15',
      '*I3:10.00*I4:0.60*I7:0.65*I8:0.15',
    ).replace('N:0.15*O:0.80', 'N:0.75*O:11.40');

    expect(validateQrPayload(payload)).toEqual([]);
    expect(
      validateQrPayload(
        payload.replace('I4:0.60', 'I4:0.62').replace('N:0.75*O:11.40', 'N:0.77*O:11.42'),
      ),
    ).toEqual([expect.objectContaining({ rule: 'vat.rate', field: 'qr.I4' })]);
  });

  it('needs a code for a second fiscal space that carries amounts', () => {
    const payload = AT_SIMPLIFIED_EXAMPLE.replace('*N:0.15', '*J2:1.00*N:0.15').replace(
      'O:0.80',
      'O:1.80',
    );

    expect(validateQrPayload(payload)).toEqual([
      expect.objectContaining({ rule: 'qr.missing-field', field: 'qr.J1' }),
    ]);
  });

  it('reports a missing payload once', () => {
    expect(validateQrPayload('')).toEqual([
      expect.objectContaining({ rule: 'qr.missing-field', field: 'qrPayload' }),
    ]);
  });
});
