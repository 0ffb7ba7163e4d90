/** The redactor removes a secret in every readable form, wherever it sits. */
import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED, secretForms } from '../../src/bundle/redact.js';

const SECRET = 'sk_test_sandbox_Qx7pL2mN9vR4tY6wZ1aB3cD5';

function base64Around(secret: string, offset: number, urlSafe = false): string {
  const bytes = Buffer.from(`${'p'.repeat(offset)}${secret}::tail`, 'utf8');
  const encoded = bytes.toString('base64');
  return urlSafe ? encoded.replace(/\+/g, '-').replace(/\//g, '_') : encoded;
}

describe('createRedactor', () => {
  const redact = createRedactor([SECRET]);

  it.each([
    ['plain', `token=${SECRET}&x=1`],
    ['URL-encoded', `q=${encodeURIComponent(`${SECRET}/+ `)}`],
    ['JSON-escaped', JSON.stringify({ note: `"${SECRET}"` })],
    ['hex', Buffer.from(SECRET).toString('hex')],
  ])('removes the %s form', (_name, text) => {
    const out = redact(text);
    expect(out).toContain(REDACTED);
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(Buffer.from(SECRET).toString('hex'));
  });

  it.each([0, 1, 2, 3, 4, 5])(
    'removes base64 of a text holding the secret at byte offset %i',
    (offset) => {
      for (const urlSafe of [false, true]) {
        const text = `Authorization: Basic ${base64Around(SECRET, offset, urlSafe)}`;
        const out = redact(text);
        expect(out).toContain(REDACTED);
        // Nothing left decodes back to the secret.
        const decoded = Buffer.from(
          out.replace(/^.*Basic /, '').replace(/[^A-Za-z0-9+/_-]/g, ''),
          'base64',
        ).toString('latin1');
        expect(decoded).not.toContain(SECRET);
      }
    },
  );

  it('leaves text without secrets alone', () => {
    const text = 'GET /v1/events?limit=20 200 req_123';
    expect(redact(text)).toBe(text);
  });

  it('ignores values too short to be a secret', () => {
    expect(createRedactor(['abc'])('abc abc')).toBe('abc abc');
  });

  it('lists the plain secret among its forms', () => {
    expect(secretForms(SECRET)).toContain(SECRET);
    expect(secretForms(SECRET)).toContain(encodeURIComponent(SECRET));
  });
});
