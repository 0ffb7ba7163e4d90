/**
 * Webhooks: Beacon's intake endpoints, leftovers and headroom, events whose
 * deliveries failed, and clock skew. Listing only: nothing is created,
 * updated, retried or deleted here, even endpoints that look abandoned.
 */
import type Stripe from 'stripe';
import { checkClockSkew } from '../../flow/shared-checks.js';
import { REQUIRED_EVENTS } from '../../flow/catalog.js';
import { ENDPOINT_CAP, isOurEndpoint } from '../../flow/leftovers.js';
import { fail, pass, warn, type Outcome } from '../../flow/outcome.js';
import { observeStripeDate } from '../../stripe/client.js';
import type { DiagnoseDeps, DiagnoseState } from './types.js';

/** Endpoints left free below the cap before it counts as tight. */
const MIN_HEADROOM = 3;
/**
 * An event still pending after this long is more than delivery latency. Only
 * the most recent `--recent` events are inspected for it; older stuck events
 * show up through Stripe's failed-deliveries listing instead.
 */
const PENDING_GRACE_SECONDS = 600;
const LISTED_EXAMPLES = 10;

/** Runs the webhooks step's checks. */
export async function runWebhookChecks(
  deps: DiagnoseDeps,
  state: DiagnoseState,
): Promise<void> {
  const { checks } = deps;
  if (state.stripeUnreadable) {
    for (const id of ['diagnose.intake', 'diagnose.endpoints', 'diagnose.deliveries'])
      checks.skip(id, 'Stripe refused the key');
  } else {
    let endpoints: Stripe.WebhookEndpoint[] | null = null;
    await checks.check('diagnose.intake', async () => {
      endpoints = await listEndpoints(deps);
      return intakeCheck(deps, endpoints);
    });
    if (endpoints) {
      const listed: Stripe.WebhookEndpoint[] = endpoints;
      await checks.check('diagnose.endpoints', async () => endpointsCheck(listed));
    } else {
      checks.skip('diagnose.endpoints', 'The endpoint list could not be read');
    }
    await checks.check('diagnose.deliveries', () => deliveriesCheck(deps));
  }
  await checks.check('diagnose.clock-skew', async () => checkClockSkew(deps.log));
}

function listEndpoints(deps: DiagnoseDeps): Promise<Stripe.WebhookEndpoint[]> {
  return deps.stripe.webhookEndpoints
    .list({ limit: 100 })
    .autoPagingToArray({ limit: 1000 });
}

function intakeCheck(deps: DiagnoseDeps, all: Stripe.WebhookEndpoint[]): Outcome {
  const base = deps.beaconUrl.replace(/\/+$/, '');
  const wanted = [`${base}/webhooks/stripe`, `${base}/webhooks/stripe/billing`];
  const found = all.filter((e) => wanted.includes(e.url.replace(/\/+$/, '')));
  const described = found.map((e) => {
    const missingEvents = e.enabled_events.includes('*')
      ? []
      : REQUIRED_EVENTS.filter((t) => !e.enabled_events.includes(t));
    return { id: e.id, url: e.url, status: e.status, missingEvents };
  });
  const usable = described.filter(
    (e) => e.status === 'enabled' && e.missingEvents.length === 0,
  );
  const evidence = { expectedUrls: wanted, registered: described };
  if (usable.length === 0) {
    const why =
      found.length === 0 ? 'not registered' : 'registered but disabled or missing events';
    return fail(`Beacon's intake endpoint is ${why}`, 'intake-missing', evidence);
  }
  const absent = wanted.filter((url) => !found.some((e) => e.url.startsWith(url)));
  if (usable.length < found.length || absent.length > 0) {
    return warn(
      `${usable.length} intake endpoint(s) usable; others disabled, short of events or absent`,
      { ...evidence, absentUrls: absent },
    );
  }
  return pass(`${usable.length} Beacon intake endpoint(s) enabled`, evidence);
}

function endpointsCheck(all: Stripe.WebhookEndpoint[]): Outcome {
  const leftovers = all.filter(isOurEndpoint).map((e) => ({
    id: e.id,
    url: e.url,
    created: new Date(e.created * 1000).toISOString(),
  }));
  const disabled = all.filter((e) => e.status !== 'enabled').map((e) => e.id);
  const headroom = ENDPOINT_CAP - all.length;
  const evidence = {
    total: all.length,
    cap: ENDPOINT_CAP,
    headroom,
    leftovers,
    disabled,
  };
  if (leftovers.length > 0) {
    return warn(`${leftovers.length} temporary endpoint(s) of earlier runs remain`, {
      reason: 'stale-endpoints',
      ...evidence,
    });
  }
  if (headroom < MIN_HEADROOM) {
    return warn(`${all.length} of ${ENDPOINT_CAP} endpoints used: little headroom`, {
      reason: 'stale-endpoints',
      ...evidence,
    });
  }
  return pass(`${all.length} of ${ENDPOINT_CAP} endpoints used`, evidence);
}

function describeEvent(e: Stripe.Event) {
  return {
    id: e.id,
    type: e.type,
    created: new Date(e.created * 1000).toISOString(),
    pendingWebhooks: e.pending_webhooks,
  };
}

async function deliveriesCheck(deps: DiagnoseDeps): Promise<Outcome> {
  const limit = deps.recentLimit;
  const [failed, recent] = await Promise.all([
    deps.stripe.events.list({ delivery_success: false, limit }),
    deps.stripe.events.list({ limit }),
  ]);
  observeStripeDate(deps.log, recent);
  const now = Math.floor(deps.log.startedAt / 1000);
  const pending = recent.data.filter(
    (e) => e.pending_webhooks > 0 && now - e.created > PENDING_GRACE_SECONDS,
  );
  const evidence = {
    failed: failed.data.slice(0, LISTED_EXAMPLES).map(describeEvent),
    failedCount: failed.data.length,
    failedMore: failed.has_more,
    stillPending: pending.slice(0, LISTED_EXAMPLES).map(describeEvent),
    recentRead: recent.data.length,
  };
  if (failed.data.length > 0) {
    const types = [...new Set(failed.data.map((e) => e.type))].slice(0, 5).join(', ');
    const count = `${failed.data.length}${failed.has_more ? '+' : ''}`;
    return fail(
      `${count} event(s) with failed deliveries (${types})`,
      'deliveries-failed',
      evidence,
    );
  }
  if (pending.length > 0) {
    return warn(
      `${pending.length} recent event(s) still have unacknowledged deliveries`,
      { reason: 'deliveries-pending', ...evidence },
    );
  }
  return pass(
    `No failed deliveries; ${recent.data.length} recent event(s) read`,
    evidence,
  );
}
