/**
 * Step 2, Configure webhooks: a safe public URL that really reaches the local
 * receiver, a temporary endpoint whose secret is vaulted, signature
 * self-tests, clock skew, Beacon's own intake, and leftovers of earlier runs.
 */
import { randomBytes } from 'node:crypto';
import { checkClockSkew } from '../shared-checks.js';
import Stripe from 'stripe';
import { SECRET_NAMES } from '../../vault/store.js';
import { normalizeSigningSecret } from '../../webhooks/secret.js';
import { EventStore } from '../../webhooks/event-store.js';
import { createWebhookReceiver, PROBE_HEADER } from '../../webhooks/receiver.js';
import { REQUIRED_EVENTS, SUBSCRIBED_EVENTS } from '../catalog.js';
import { cleanUpLeftovers, ENDPOINT_CAP, isOurEndpoint } from '../leftovers.js';
import { fail, pass, type Outcome } from '../outcome.js';
import type { FlowDeps, FlowState } from '../types.js';

export const PROBE_EVENT_TYPE = 'beacon_quickstart.probe';

export async function runWebhooksStep(deps: FlowDeps, state: FlowState): Promise<void> {
  const { checks, webhook } = deps;

  const urlOk = await checks.check('webhooks.public-url', async () => {
    if (webhook.preset) return webhook.preset;
    if (webhook.kind === 'none') {
      return fail(
        webhook.unavailableReason ?? 'No public webhook URL',
        'needs-public-url',
      );
    }
    if (webhook.kind === 'loopback') {
      return pass('Loopback receiver: the sandbox delivers on this machine', {
        url: webhook.url,
      });
    }
    return pass(`Public URL ${webhook.url} (${webhook.kind})`, {
      url: webhook.url,
      kind: webhook.kind,
    });
  });
  if (urlOk.status === 'fail') {
    for (const id of [
      'webhooks.round-trip',
      'webhooks.endpoint',
      'webhooks.secret-vaulted',
    ]) {
      checks.skip(id, 'Needs a webhook URL');
    }
    checks.skip('webhooks.signature', 'Needs a webhook URL');
  } else {
    await checks.check('webhooks.round-trip', () => roundTrip(deps));
    await checks.check('webhooks.endpoint', () => registerEndpoint(deps, state));
    if (state.endpoint) {
      await checks.check('webhooks.secret-vaulted', () => vaultSecret(deps, state));
    } else {
      checks.skip('webhooks.secret-vaulted', 'No endpoint was registered');
    }
    if (state.signingSecrets.length > 0) {
      await checks.check('webhooks.signature', () => signatureSelfTest(deps, state));
    } else {
      checks.skip('webhooks.signature', 'No signing secret to test with');
    }
  }

  await checks.check('webhooks.clock-skew', async () => checkClockSkew(deps.log));
  // One listing of the account's endpoints serves both the intake and the leftovers check.
  let endpointList: Stripe.WebhookEndpoint[] | undefined;
  const endpoints = await checks.check('webhooks.beacon-intake', () =>
    beaconIntake(deps, (list) => (endpointList = list)),
  );
  if (endpoints.status === 'fail' && endpoints.evidence.reason !== 'intake-missing') {
    checks.skip('webhooks.stale-endpoints', 'The endpoint list could not be read');
  } else {
    await checks.check('webhooks.stale-endpoints', () =>
      cleanUpLeftovers(deps, endpointList),
    );
  }
}

/** Sends random bytes with a nonce through the public URL; they must arrive intact. */
async function roundTrip(deps: FlowDeps): Promise<Outcome> {
  const nonce = randomBytes(12).toString('hex');
  const body = randomBytes(48).toString('base64');
  const arrival = deps.probes.expect(nonce, 10_000);
  const started = Date.now();
  const response = await fetch(deps.webhook.url, {
    method: 'POST',
    headers: {
      [PROBE_HEADER]: nonce,
      'Content-Type': 'text/plain',
      'User-Agent': 'beacon-quickstart-probe',
    },
    body,
    redirect: 'manual',
    signal: AbortSignal.any([deps.signal, AbortSignal.timeout(10_000)]),
  });
  await response.body?.cancel();
  const evidence = { status: response.status, roundTripMs: Date.now() - started };
  if (response.status >= 300 && response.status < 400) {
    return fail(
      `The URL redirects (${response.status}); Stripe counts that as failure`,
      'redirect',
      evidence,
    );
  }
  const received = await arrival;
  if (!received)
    return fail(
      'The probe never reached the local receiver',
      'round-trip-failed',
      evidence,
    );
  if (received.toString() !== body) {
    return fail(
      'The probe arrived altered: something re-encodes bodies',
      'body-altered',
      evidence,
    );
  }
  return pass(`Probe arrived byte for byte in ${evidence.roundTripMs} ms`, evidence);
}

async function registerEndpoint(deps: FlowDeps, state: FlowState): Promise<Outcome> {
  const endpoint = await deps.stripe.webhookEndpoints.create({
    url: deps.webhook.url,
    enabled_events: [
      ...SUBSCRIBED_EVENTS,
    ] as Stripe.WebhookEndpointCreateParams.EnabledEvent[],
    description: `beacon-quickstart temporary endpoint (run ${deps.runId})`,
    metadata: { created_by: 'beacon-quickstart', run_id: deps.runId, temporary: 'true' },
  });
  await deps.journal.update((j) => {
    j.endpoints.push({ id: endpoint.id, url: endpoint.url, deleted: false });
  });
  if (!endpoint.secret) {
    return fail('Stripe returned no signing secret at creation', 'secret-format', {
      endpointId: endpoint.id,
    });
  }
  const secret = normalizeSigningSecret(endpoint.secret, 'the new endpoint');
  state.endpoint = { id: endpoint.id, secret, url: endpoint.url };
  return pass(`Endpoint ${endpoint.id} for ${SUBSCRIBED_EVENTS.length} event types`, {
    endpointId: endpoint.id,
    url: endpoint.url,
    enabledEvents: endpoint.enabled_events,
  });
}

async function vaultSecret(deps: FlowDeps, state: FlowState): Promise<Outcome> {
  const endpoint = state.endpoint!;
  const name = SECRET_NAMES.webhookSecret(endpoint.id);
  await deps.vault.set(name, endpoint.secret);
  const readBack = await deps.vault.get(name);
  const evidence = { store: deps.vault.description, name };
  if (readBack !== endpoint.secret) {
    return fail('The vaulted secret did not read back intact', 'vault-failed', evidence);
  }
  // From here on the receiver trusts only what the vault returns.
  state.signingSecrets = [readBack];
  return pass(
    `Stored and read back from the ${deps.vault.description.split(' ')[0]} vault`,
    evidence,
  );
}

interface Probe {
  name: string;
  expect: 'accepted' | 'rejected';
  build: (body: string, secret: string, now: number) => { body: string; header?: string };
}

const PROBES: Probe[] = [
  {
    name: 'valid',
    expect: 'accepted',
    build: (body, secret, now) => ({
      body,
      header: Stripe.webhooks.generateTestHeaderString({
        payload: body,
        secret,
        timestamp: now,
      }),
    }),
  },
  {
    name: 'tampered',
    expect: 'rejected',
    build: (body, secret, now) => ({
      body: body.replace('"livemode": false', '"livemode": true'),
      header: Stripe.webhooks.generateTestHeaderString({
        payload: body,
        secret,
        timestamp: now,
      }),
    }),
  },
  { name: 'unsigned', expect: 'rejected', build: (body) => ({ body }) },
  {
    name: 'stale',
    expect: 'rejected',
    build: (body, secret, now) => ({
      body,
      header: Stripe.webhooks.generateTestHeaderString({
        payload: body,
        secret,
        timestamp: now - 600,
      }),
    }),
  },
];

const SELF_TEST_PATH = '/webhooks/self-test';

/**
 * Signs probes with the vaulted secret: the valid one must pass, forgeries
 * must not. They go to the same receiver code on a path of their own, so the
 * run's event store only ever sees Stripe's deliveries.
 */
async function signatureSelfTest(deps: FlowDeps, state: FlowState): Promise<Outcome> {
  const secret = state.signingSecrets[0]!;
  deps.server.route(
    SELF_TEST_PATH,
    createWebhookReceiver({
      store: new EventStore(),
      secrets: () => state.signingSecrets,
    }),
  );
  const results: Record<string, number> = {};
  const wrong: string[] = [];
  for (const probe of PROBES) {
    const id = `evt_probe_${randomBytes(8).toString('hex')}`;
    const event = {
      id,
      object: 'event',
      type: PROBE_EVENT_TYPE,
      livemode: false,
      data: { object: {} },
    };
    const now = Math.floor(Date.now() / 1000);
    const { body, header } = probe.build(JSON.stringify(event, null, 2), secret, now);
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (header) headers['Stripe-Signature'] = header;
    const response = await fetch(`${deps.server.origin}${SELF_TEST_PATH}`, {
      method: 'POST',
      headers,
      body,
      signal: deps.signal,
    });
    await response.body?.cancel();
    results[probe.name] = response.status;
    const accepted = response.status >= 200 && response.status < 300;
    if (accepted !== (probe.expect === 'accepted')) wrong.push(probe.name);
  }
  if (wrong.length > 0) {
    return fail(`Receiver misjudged: ${wrong.join(', ')}`, 'signature-self-test', {
      statuses: results,
    });
  }
  return pass('Valid accepted; tampered, unsigned and stale rejected', {
    statuses: results,
  });
}

/** Beacon's intake URLs must be registered, enabled and subscribed to what it needs. */
async function beaconIntake(
  deps: FlowDeps,
  keep: (list: Stripe.WebhookEndpoint[]) => void,
): Promise<Outcome> {
  const all = await deps.stripe.webhookEndpoints
    .list({ limit: 100 })
    .autoPagingToArray({ limit: 1000 });
  keep(all);
  const base = deps.config.beaconUrl.replace(/\/+$/, '');
  const wanted = [`${base}/webhooks/stripe`, `${base}/webhooks/stripe/billing`];
  const found = all.filter((e) => wanted.includes(e.url.replace(/\/+$/, '')));
  const usable = found.filter(
    (e) =>
      e.status === 'enabled' &&
      (e.enabled_events.includes('*') ||
        REQUIRED_EVENTS.every((t) => e.enabled_events.includes(t))),
  );
  const evidence = {
    expectedUrls: wanted,
    registered: found.map((e) => ({ id: e.id, url: e.url, status: e.status })),
    totalEndpoints: all.length,
    ourTemporary: all.filter(isOurEndpoint).length,
  };
  if (usable.length === 0) {
    const why =
      found.length === 0 ? 'not registered' : 'registered but disabled or missing events';
    return fail(`Beacon's intake endpoint is ${why}`, 'intake-missing', evidence);
  }
  return pass(
    `${usable.length} Beacon intake endpoint(s) enabled (${all.length} of ${ENDPOINT_CAP} used)`,
    evidence,
  );
}
