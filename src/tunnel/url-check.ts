/**
 * Decides whether a public webhook URL given by the user is safe to register
 * and probe, before anything is created or sent. IP literals are judged
 * without a network call; names are resolved and every address must be
 * public unicast.
 */
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { UsageError } from '../errors.js';

/** Resolves a host name to all of its addresses. */
export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

function refuse(flag: string, value: string, why: string, suggestion?: string): never {
  throw new UsageError(`${flag} ${value} is not usable: ${why}.`, {
    suggestion:
      suggestion ??
      'Give the public https URL of a tunnel or proxy that forwards to this machine, ' +
        'or let `beacon-quickstart init --tunnel ngrok` open one.',
  });
}

/** ipaddr.js range names, said the way a person would. */
const RANGE_WORDS: Readonly<Record<string, string>> = {
  private: 'a private address',
  loopback: 'a loopback address',
  linkLocal: 'a link-local address (cloud metadata lives there)',
  unspecified: 'the unspecified address',
  multicast: 'a multicast address',
  broadcast: 'a broadcast address',
  carrierGradeNat: 'a carrier-grade NAT address',
  uniqueLocal: 'a unique-local (private) IPv6 address',
  reserved: 'a reserved address',
  rfc6052: 'an IPv4/IPv6 translation (NAT64) address',
  rfc6145: 'an IPv4-translated address',
  '6to4': 'a 6to4 relay address',
  teredo: 'a Teredo tunnel address',
  benchmarking: 'a benchmarking address',
  amt: 'an AMT relay address',
  as112: 'an AS112 address',
  deprecated: 'a deprecated address range',
  orchid2: 'an ORCHIDv2 address',
  invalid: 'not a valid address',
};

function describeRange(range: string): string {
  return RANGE_WORDS[range] ?? `not a public address (${range})`;
}

/** The address's ipaddr.js range; IPv4-mapped IPv6 is judged as the IPv4 it carries. */
export function addressRange(address: string): string {
  return ipaddr.process(address).range();
}

/** Checks a URL's form only: https, no credentials, no fragment. Returns the host. */
export function checkUrlForm(value: string, flag = '--webhook-url'): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse(flag, value, 'it is not an absolute URL');
  }
  // Never echo credentials back, even in the refusal.
  const shown = url.username || url.password ? `${url.protocol}//…@${url.host}` : value;
  if (url.protocol !== 'https:') return refuse(flag, shown, 'it must use https');
  if (url.username || url.password) {
    return refuse(
      flag,
      shown,
      'it carries credentials',
      'Remove the user:password part.',
    );
  }
  if (url.hash) return refuse(flag, shown, 'it has a #fragment');
  return url;
}

/**
 * Refuses anything but https with a public unicast address behind it.
 * Redirects, TLS and reachability are proven later by the round-trip probe,
 * which runs before the endpoint is registered. The check and Stripe's own
 * later lookup are separate resolutions; a name that changes its answers in
 * between is not caught here.
 */
export async function checkPublicWebhookUrl(
  value: string,
  resolve: Resolver = systemResolver,
  flag = '--webhook-url',
): Promise<string> {
  const url = checkUrlForm(value, flag);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) {
    const range = addressRange(host);
    if (range !== 'unicast')
      return refuse(flag, value, `${host} is ${describeRange(range)}`);
    return url.toString();
  }
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return refuse(flag, value, `${host} is this machine`);
  }

  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'lookup failed';
    return refuse(flag, value, `${host} does not resolve (${code})`);
  }
  if (addresses.length === 0) return refuse(flag, value, `${host} has no address`);
  for (const address of addresses) {
    const range = ipaddr.isValid(address) ? addressRange(address) : 'invalid';
    if (range !== 'unicast') {
      return refuse(
        flag,
        value,
        `${host} resolves to ${address}, ${describeRange(range)}`,
      );
    }
  }
  return url.toString();
}
