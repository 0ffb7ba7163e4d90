/**
 * The public-webhook-URL checks: unsafe URLs are refused before any network
 * call (IP literals without resolution; names through an injected resolver),
 * and nothing here ever leaves this machine.
 */
import { describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { checkPublicWebhookUrl, type Resolver } from '../../src/tunnel/url-check.js';

/** A resolver that fails the test if called. */
const noLookup: Resolver = async (host) => {
  throw new Error(`unexpected lookup of ${host}`);
};

describe('checkPublicWebhookUrl refuses unsafe URLs without a lookup', () => {
  it.each([
    ['https://127.1/', /loopback/],
    ['https://0x7f000001/', /loopback/],
    ['https://[::ffff:7f00:1]/', /loopback/],
    ['https://10.0.0.1/', /private/],
    ['https://[::1]/hook', /loopback/],
    ['https://169.254.169.254/latest', /link-local/],
    ['https://0.0.0.0/', /unspecified/],
    ['https://[fd00::1]/', /unique-local/],
    ['http://hooks.example.com/stripe', /must use https/],
    ['https://user:pass@hooks.example.com/stripe', /credentials/],
    ['https://localhost/stripe', /this machine/],
    ['https://hooks.example.com/stripe#x', /fragment/],
    ['not a url', /absolute URL/],
  ])('%s', async (url, why) => {
    const resolve = vi.fn(noLookup);
    const refusal = checkPublicWebhookUrl(url, resolve);
    await expect(refusal).rejects.toBeInstanceOf(UsageError);
    await expect(refusal).rejects.toThrow(why);
    expect(resolve).not.toHaveBeenCalled();
  });

  it('never repeats the credentials it refuses', async () => {
    const error = await checkPublicWebhookUrl(
      'https://user:s3cret@example.com/',
      noLookup,
    ).catch((e: Error) => e);
    expect(String((error as Error).message)).not.toContain('s3cret');
  });
});

describe('checkPublicWebhookUrl resolves names', () => {
  it.each([
    [
      'one private address among public ones',
      ['93.184.215.14', '192.168.1.7'],
      /private/,
    ],
    ['an IPv4-mapped loopback', ['::ffff:127.0.0.1'], /loopback/],
    ['a carrier-grade NAT address', ['100.64.0.9'], /carrier-grade NAT/],
    ['no address at all', [], /no address/],
  ])('refuses a name with %s', async (_case, addresses, why) => {
    await expect(
      checkPublicWebhookUrl('https://hooks.example.com/stripe', async () => addresses),
    ).rejects.toThrow(why);
  });

  it('refuses a name that does not resolve', async () => {
    const missing: Resolver = async () => {
      throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' });
    };
    await expect(
      checkPublicWebhookUrl('https://nowhere.example.com/', missing),
    ).rejects.toThrow(/ENOTFOUND/);
  });

  it('accepts a name whose every address is public unicast', async () => {
    const url = await checkPublicWebhookUrl(
      'https://hooks.example.com/stripe',
      async () => ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    );
    expect(url).toBe('https://hooks.example.com/stripe');
  });

  it('accepts a public IP literal without a lookup', async () => {
    await expect(
      checkPublicWebhookUrl('https://93.184.215.14/hook', noLookup),
    ).resolves.toBe('https://93.184.215.14/hook');
  });
});
