import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { normalizeSigningSecret } from '../../src/webhooks/secret.js';

describe('signing secret form', () => {
  it('trims a trailing newline from a file', () => {
    expect(normalizeSigningSecret('whsec_abc123\n', 'file')).toBe('whsec_abc123');
  });

  it.each([
    ['an API key', 'sk_test_51abc', /API key/],
    ['a restricted key', 'rk_test_51abc', /API key/],
    ['a publishable key', 'pk_live_51abc', /API key/],
    ['no prefix', 'abc123', /does not start with whsec_/],
    ['inner whitespace', 'whsec_abc 123', /whitespace/],
  ])('refuses %s, naming the whsec_ form', (_name, value, message) => {
    let caught: unknown;
    try {
      normalizeSigningSecret(value, 'the flag');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message).toMatch(message);
    expect(
      `${(caught as ConfigError).message} ${(caught as ConfigError).suggestion}`,
    ).toContain('whsec_');
    expect((caught as ConfigError).message).not.toContain(value);
  });
});
