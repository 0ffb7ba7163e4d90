import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { signatureTimestamp, verifyDelivery } from '../../src/webhooks/verify.js';

const SECRET = 'whsec_test_secret';
const BODY = '{"id":"evt_test_webhook","object":"event"}';
const VECTOR = 'd95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990';

describe('signature verification', () => {
  it('accepts the published test vector at its own time', () => {
    const header = `t=1700000000,v1=${VECTOR}`;
    const result = verifyDelivery(Buffer.from(BODY), header, [SECRET], {
      receivedAtMs: 1700000000_000,
    });
    expect(result.ok).toBe(true);
  });

  it('produces the published vector through the SDK', () => {
    const header = Stripe.webhooks.generateTestHeaderString({
      payload: BODY,
      secret: SECRET,
      timestamp: 1700000000,
    });
    expect(header).toBe(`t=1700000000,v1=${VECTOR}`);
  });

  it('ignores a fake v0 and accepts when any v1 matches (secret rotation)', () => {
    const header = `t=1700000000,v1=${'0'.repeat(64)},v1=${VECTOR},v0=${'a'.repeat(64)}`;
    expect(
      verifyDelivery(Buffer.from(BODY), header, [SECRET], {
        receivedAtMs: 1700000000_000,
      }).ok,
    ).toBe(true);
  });

  it('rejects a timestamp 301 s old as outside the tolerance', () => {
    const header = `t=1700000000,v1=${VECTOR}`;
    const result = verifyDelivery(Buffer.from(BODY), header, [SECRET], {
      receivedAtMs: 1700000301_000,
    });
    expect(result).toMatchObject({
      ok: false,
      reason: 'timestamp-outside-tolerance',
      signedAt: 1700000000,
    });
  });

  it.each([
    [
      'altered body',
      BODY.replace('event', 'evenT'),
      `t=1700000000,v1=${VECTOR}`,
      'signature-mismatch',
    ],
    ['no header', BODY, undefined, 'missing-signature'],
    ['garbage header', BODY, 'nonsense', 'malformed-signature'],
    ['v0 only', BODY, `t=1700000000,v0=${VECTOR}`, 'malformed-signature'],
    ['empty body', '', `t=1700000000,v1=${VECTOR}`, 'empty-body'],
  ])('rejects %s', (_name, body, header, reason) => {
    const result = verifyDelivery(Buffer.from(body), header, [SECRET], {
      receivedAtMs: 1700000000_000,
    });
    expect(result).toMatchObject({ ok: false, reason });
  });

  it('reports a wrong secret as a mismatch even when the timestamp is also old', () => {
    const header = `t=1700000000,v1=${VECTOR}`;
    const result = verifyDelivery(Buffer.from(BODY), header, ['whsec_other'], {
      receivedAtMs: 1700009999_000,
    });
    expect(result).toMatchObject({ ok: false, reason: 'signature-mismatch' });
  });

  it('verifies on the exact bytes, insignificant spaces included', () => {
    const spaced =
      '{"id": "evt_1",  "object": "event", "type": "x", "data": {"object": {}}}';
    const header = Stripe.webhooks.generateTestHeaderString({
      payload: spaced,
      secret: SECRET,
    });
    expect(verifyDelivery(Buffer.from(spaced), header, [SECRET]).ok).toBe(true);
    const reencoded = JSON.stringify(JSON.parse(spaced));
    expect(verifyDelivery(Buffer.from(reencoded), header, [SECRET])).toMatchObject({
      reason: 'signature-mismatch',
    });
  });

  it('reads the timestamp for evidence only', () => {
    expect(signatureTimestamp('t=123,v1=ab')).toBe(123);
    expect(signatureTimestamp('v1=ab')).toBeNull();
  });
});

describe('bodies that are signed but are not events', () => {
  it.each([
    ['null'],
    ['[]'],
    ['123'],
    ['"str"'],
    ['{"object":"event"}'],
    ['{"id":"","type":"x"}'],
  ])('refuses %s as not-an-event', (body) => {
    const header = Stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret: SECRET,
    });
    expect(verifyDelivery(Buffer.from(body), header, [SECRET])).toMatchObject({
      ok: false,
      reason: 'not-an-event',
    });
  });

  it('refuses bytes that are not UTF-8 with their own reason', () => {
    const raw = Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]);
    const header = Stripe.webhooks.generateTestHeaderString({
      payload: raw.toString('latin1'),
      secret: SECRET,
    });
    expect(verifyDelivery(raw, header, [SECRET])).toMatchObject({
      ok: false,
      reason: 'invalid-encoding',
    });
  });

  it('refuses a signature from further in the future than the tolerance', () => {
    const body = '{"id":"evt_future","object":"event","type":"x"}';
    const now = 1_700_000_000;
    const header = Stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret: SECRET,
      timestamp: now + 400,
    });
    expect(
      verifyDelivery(Buffer.from(body), header, [SECRET], { receivedAtMs: now * 1000 }),
    ).toMatchObject({
      ok: false,
      reason: 'timestamp-outside-tolerance',
    });
  });
});
