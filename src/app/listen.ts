/**
 * `listen`: a loopback receiver that verifies each Stripe delivery on its
 * raw bytes, answers the sender, prints one line per delivery, and may relay
 * valid ones downstream. Runs until Ctrl-C.
 */
import {
  NGROK_TOKEN,
  resolveSecret,
  STRIPE_KEY,
  type SecretSpec,
} from '../config/secrets.js';
import { ConfigError, EXIT, UsageError } from '../errors.js';
import { isLoopbackHost } from '../config/settings.js';
import type { Context } from '../io/context.js';
import { configDir } from '../io/paths.js';
import { FileSecretStore } from '../vault/file-store.js';
import type { SecretStore } from '../vault/store.js';
import { EventStore } from '../webhooks/event-store.js';
import {
  forwardDelivery,
  validateForwardUrl,
  type ForwardResult,
} from '../webhooks/forward.js';
import { startLocalServer, type LocalServer } from '../webhooks/local-server.js';
import {
  createWebhookReceiver,
  DEFAULT_MAX_BODY_BYTES,
  type ReceivedDelivery,
} from '../webhooks/receiver.js';
import { normalizeSigningSecret } from '../webhooks/secret.js';
import { signatureTimestamp } from '../webhooks/verify.js';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const LISTEN_PATH = '/webhooks/stripe';
export const TUNNEL_KINDS = ['none', 'ngrok', 'stripe-cli', 'url'] as const;
export type TunnelKind = (typeof TUNNEL_KINDS)[number];
/** Distinct events listen remembers for de-duplication. */
const LISTEN_MEMORY_EVENTS = 10_000;
/** How long Ctrl-C waits for relays in flight before leaving. */
const DRAIN_MS = 5_000;

export const LISTEN_SECRET: SecretSpec = {
  label: 'webhook signing secret',
  fileFlag: '--webhook-secret-file',
  envVar: 'STRIPE_WEBHOOK_SECRET',
  vaultName: 'webhook-secret:listen',
};

export interface ListenOptions {
  tunnel: string;
  port: number;
  webhookSecretFile?: string;
  forwardTo?: string;
  json: boolean;
  maxBodyBytes?: number;
  /** Signature timestamp tolerance in seconds (Stripe's default is 300). */
  tolerance?: number;
  /** For --tunnel url: the public URL that forwards here. */
  webhookUrl?: string;
  ngrokTokenFile?: string;
  /** For --tunnel stripe-cli: the key `stripe listen` runs with. */
  stripeKeyFile?: string;
  /** Vault to read the secret from; the user's file vault unless given. */
  vault?: SecretStore;
}

/** What one request to the listener amounted to, as printed. */
export interface DeliveryLine {
  time: string;
  type: string | null;
  id: string | null;
  verified: boolean;
  reason: string | null;
  duplicate: boolean;
  deliveries: number | null;
  /** Seconds between the signature's `t` and receipt (negative: from the future). */
  signedSecondsAgo: number | null;
  /** The status this listener answered the sender with. */
  status: number;
  forward: ForwardResult | null;
}

interface Tally {
  deliveries: number;
  verified: number;
  duplicates: number;
  rejected: number;
  refused: number;
  forwardFailures: number;
}

/** Loopback over http, or a public https host: never a private or metadata address. */
async function checkForwardTarget(value: string): Promise<string> {
  const url = validateForwardUrl(value);
  if (isLoopbackHost(new URL(url).hostname)) return url;
  const { checkPublicWebhookUrl } = await import('../tunnel/url-check.js');
  await checkPublicWebhookUrl(url, undefined, '--forward-to');
  return url;
}

function checkTunnel(kind: string, webhookUrl: string | undefined): TunnelKind {
  if (!(TUNNEL_KINDS as readonly string[]).includes(kind))
    throw new UsageError(`--tunnel must be one of ${TUNNEL_KINDS.join(', ')}: ${kind}`);
  if (kind !== 'url' && webhookUrl) {
    throw new UsageError(`--webhook-url goes with --tunnel url, not --tunnel ${kind}.`);
  }
  if (kind === 'url' && !webhookUrl) {
    throw new UsageError('--tunnel url needs --webhook-url URL (your public forwarder).');
  }
  return kind as TunnelKind;
}

/** Opens the carrier after the server is up; `stripe listen` brings its own secret. */
async function openCarrier(
  kind: TunnelKind,
  options: ListenOptions,
  ctx: Context,
  localPort: number,
) {
  if (kind === 'none') return null;
  const { openTunnel } = await import('../tunnel/index.js');
  const ngrok =
    kind === 'ngrok'
      ? await resolveSecret(NGROK_TOKEN, options.ngrokTokenFile, ctx.env, null, ctx.stdin)
      : null;
  const stripeKey =
    kind === 'stripe-cli'
      ? await resolveSecret(STRIPE_KEY, options.stripeKeyFile, ctx.env, null, ctx.stdin)
      : null;
  return openTunnel(kind, {
    localPort,
    ...(options.webhookUrl ? { webhookUrl: options.webhookUrl } : {}),
    ngrokAuthtoken: ngrok?.value ?? null,
    ...(stripeKey ? { stripeSecretKey: stripeKey.value } : {}),
    env: ctx.env,
  });
}

async function signingSecret(options: ListenOptions, ctx: Context): Promise<string> {
  const vault = options.vault ?? new FileSecretStore(configDir(ctx.env));
  const found = await resolveSecret(
    LISTEN_SECRET,
    options.webhookSecretFile,
    ctx.env,
    vault,
    ctx.stdin,
  );
  if (!found) {
    throw new ConfigError('No webhook signing secret to verify deliveries with.', {
      suggestion:
        `Pass ${LISTEN_SECRET.fileFlag} FILE, set ${LISTEN_SECRET.envVar}, or store it in the ` +
        `vault as "${LISTEN_SECRET.vaultName}".`,
    });
  }
  const where =
    found.source === 'file' ? options.webhookSecretFile! : `the ${found.source}`;
  return normalizeSigningSecret(found.value, where);
}

async function optionalSecret(options: ListenOptions, ctx: Context): Promise<string[]> {
  try {
    return [await signingSecret(options, ctx)];
  } catch (error) {
    if (error instanceof ConfigError && /No webhook signing secret/.test(error.message))
      return [];
    throw error;
  }
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** One human-readable line (or one JSON object) per request. */
export function formatLine(line: DeliveryLine, json: boolean): string {
  if (json) return `${JSON.stringify(line)}\n`;
  // Ids and types come from the sender: never let their bytes steer the terminal.
  const shown = (value: string | null) =>
    value === null ? '-' : value.replace(CONTROL_CHARACTERS, '?').slice(0, 80);
  const claimed = (value: string | null) =>
    line.verified || value === null ? shown(value) : `${shown(value)}(unverified)`;
  const verdict = line.verified
    ? `verified${line.duplicate ? ` (duplicate, delivery ${line.deliveries ?? '?'})` : ''}`
    : line.reason?.startsWith('refused')
      ? line.reason
      : `rejected: ${line.reason ?? 'unknown'}${ageNote(line)}`;
  const forward = !line.forward
    ? ''
    : line.forward.ok
      ? `  -> forwarded ${line.forward.status}`
      : `  -> forward failed (${line.forward.error})`;
  const fields = [line.time, String(line.status), claimed(line.type), claimed(line.id)];
  return `${[...fields, verdict].join('  ')}${forward}\n`;
}

function secondsSinceSigned(header: string | undefined, now: number): number | null {
  const signedAt = signatureTimestamp(header);
  return signedAt === null ? null : Math.round(now / 1000 - signedAt);
}

/** For a timestamp rejection, how far off the signature was: the clock-drift evidence. */
function ageNote(line: DeliveryLine): string {
  if (line.reason !== 'timestamp-outside-tolerance' || line.signedSecondsAgo === null)
    return '';
  const age = line.signedSecondsAgo;
  const when = age >= 0 ? `${age} s ago` : `${-age} s in the future`;
  return ` (signed ${when}; tolerance 300 s: check this machine's clock)`;
}

function summaryLine(t: Tally): string {
  const forwarding = t.forwardFailures > 0 ? `; ${t.forwardFailures} not forwarded` : '';
  return (
    `${t.deliveries + t.refused} request(s): ${t.deliveries} delivery(ies), ` +
    `${t.verified} verified (${t.duplicates} duplicate) and ${t.rejected} rejected; ` +
    `${t.refused} refused (wrong method or too large)${forwarding}`
  );
}

async function startServer(port: number): Promise<LocalServer> {
  try {
    return await startLocalServer(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`Port ${port} is already in use.`, {
        suggestion: 'Pick another --port, or 0 for a free one.',
      });
    }
    throw error;
  }
}

/** Runs the listener until the context's signal aborts; returns 130. */
export async function runListen(options: ListenOptions, ctx: Context): Promise<number> {
  const kind = checkTunnel(options.tunnel, options.webhookUrl);
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535)
    throw new UsageError(`--port must be 0 to 65535: ${options.port}`);
  const forwardTo = options.forwardTo
    ? await checkForwardTarget(options.forwardTo)
    : null;
  // `stripe listen` signs with its own secret, so a configured one is optional there.
  const secrets: string[] =
    kind === 'stripe-cli'
      ? await optionalSecret(options, ctx)
      : [await signingSecret(options, ctx)];

  // Bounded: a listener may run for days; de-duplication covers the most recent events.
  const store = new EventStore({ maxEvents: LISTEN_MEMORY_EVENTS });
  const tally: Tally = {
    deliveries: 0,
    verified: 0,
    duplicates: 0,
    rejected: 0,
    refused: 0,
    forwardFailures: 0,
  };
  const inFlight = new Set<Promise<void>>();
  const print = (line: DeliveryLine) => ctx.stdout.write(formatLine(line, options.json));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let delivery: ReceivedDelivery | null = null;
    const receive = createWebhookReceiver({
      store,
      secrets: () => secrets,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}),
      now: () => ctx.clock.now(),
      onDelivery: (d) => {
        delivery = d;
      },
    });
    await receive(req, res);
    const time = new Date(ctx.clock.now()).toISOString();
    const got = delivery as ReceivedDelivery | null;
    if (!got) {
      tally.refused += 1;
      print({
        time,
        type: null,
        id: null,
        verified: false,
        reason: `refused: ${req.method ?? '?'} answered ${res.statusCode}`,
        duplicate: false,
        deliveries: null,
        signedSecondsAgo: null,
        status: res.statusCode,
        forward: null,
      });
      return;
    }
    tally.deliveries += 1;
    if (got.verified) tally.verified += 1;
    else tally.rejected += 1;
    if (got.duplicate) tally.duplicates += 1;
    const forward =
      got.verified && forwardTo
        ? await forwardDelivery(forwardTo, {
            raw: got.raw,
            signature: got.signature,
            contentType: req.headers['content-type'],
          })
        : null;
    if (forward && !forward.ok) tally.forwardFailures += 1;
    print({
      time,
      type: got.type,
      id: got.eventId,
      verified: got.verified,
      reason: got.reason ?? null,
      duplicate: got.duplicate,
      deliveries: got.eventId ? (store.get(got.eventId)?.deliveries ?? null) : null,
      signedSecondsAgo: secondsSinceSigned(got.signature, ctx.clock.now()),
      status: res.statusCode,
      forward,
    });
  };

  const server = await startServer(options.port);
  server.route(LISTEN_PATH, (req, res) => {
    const work = handle(req, res).catch((error: unknown) => {
      // A bad request must never take the listener down.
      if (!res.headersSent) res.writeHead(500);
      res.end();
      ctx.stderr.write(`listen: request failed: ${(error as Error).message}\n`);
    });
    inFlight.add(work);
    return work.finally(() => inFlight.delete(work));
  });
  let tunnel;
  try {
    tunnel = await openCarrier(kind, options, ctx, server.port);
  } catch (error) {
    await server.close();
    throw error;
  }
  secrets.push(...(tunnel?.signingSecrets ?? []));
  if (tunnel) ctx.stderr.write(`Deliveries: ${tunnel.describe()}\n`);
  ctx.stderr.write(
    `Listening on ${server.origin}${LISTEN_PATH} (tunnel ${options.tunnel})` +
      (forwardTo ? `, forwarding verified deliveries to ${forwardTo}` : '') +
      '. Press Ctrl-C to stop.\n',
  );

  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) return resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await Promise.race([
    Promise.allSettled([...inFlight]),
    new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref()),
  ]);
  await tunnel?.close();
  await server.close();
  ctx.stderr.write(`${summaryLine(tally)}\n`);
  return EXIT.interrupted;
}
