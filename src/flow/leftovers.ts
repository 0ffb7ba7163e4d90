/**
 * Endpoints earlier runs left behind. Stripe allows duplicate URLs and at most
 * 16 endpoints, so tunnel endpoints pile up unless something removes them.
 */
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type Stripe from 'stripe';
import { writeFileAtomic } from '../io/atomic-file.js';
import { SECRET_NAMES } from '../vault/store.js';
import { findOrphanedRuns } from './journal.js';
import { pass, warn, type Outcome } from './outcome.js';
import type { FlowDeps } from './types.js';

export const ENDPOINT_CAP = 16;
/** A tagged endpoint older than this, with no journal here, is treated as abandoned. */
const ABANDONED_AFTER_SECONDS = 3600;

export function isOurEndpoint(endpoint: Stripe.WebhookEndpoint): boolean {
  return (
    endpoint.metadata?.created_by === 'beacon-quickstart' &&
    endpoint.metadata?.temporary === 'true'
  );
}

async function deleteEndpoint(stripe: Stripe, id: string): Promise<boolean> {
  try {
    await stripe.webhookEndpoints.del(id);
    return true;
  } catch (error) {
    // Already gone is as good as deleted.
    return (error as { statusCode?: number }).statusCode === 404;
  }
}

/** The signing secret of a deleted endpoint is useless; keep the vault tidy. */
async function forgetSecret(deps: FlowDeps, endpointId: string): Promise<void> {
  await deps.vault.delete(SECRET_NAMES.webhookSecret(endpointId)).catch(() => false);
}

/** Removes orphans of dead runs (by journal) and abandoned tagged endpoints; reports the rest. */
export async function cleanUpLeftovers(
  deps: FlowDeps,
  listed?: Stripe.WebhookEndpoint[],
): Promise<Outcome> {
  const { stripe, journal } = deps;
  const here = journal.snapshot;
  const removed: string[] = [];

  const { orphans, unreadable } = await findOrphanedRuns(
    dirname(journal.path),
    here.runId,
  );
  for (const orphan of orphans) {
    const sameStripe =
      orphan.data.stripeUrl === here.stripeUrl &&
      orphan.data.stripeAccountId === here.stripeAccountId;
    if (!sameStripe) continue;
    for (const endpoint of orphan.data.endpoints.filter((e) => !e.deleted)) {
      if (await deleteEndpoint(stripe, endpoint.id)) {
        endpoint.deleted = true;
        removed.push(endpoint.id);
        await forgetSecret(deps, endpoint.id);
      }
    }
    if (orphan.data.endpoints.every((e) => e.deleted))
      await rm(orphan.path, { force: true });
    else await writeFileAtomic(orphan.path, JSON.stringify(orphan.data, null, 2) + '\n');
  }

  const all =
    listed ??
    (await stripe.webhookEndpoints
      .list({ limit: 100 })
      .autoPagingToArray({ limit: 1000 }));
  const now = Math.floor(Date.now() / 1000);
  const leftovers: string[] = [];
  for (const endpoint of all) {
    if (!isOurEndpoint(endpoint) || endpoint.metadata.run_id === here.runId) continue;
    if (removed.includes(endpoint.id)) continue;
    if (
      now - endpoint.created > ABANDONED_AFTER_SECONDS &&
      (await deleteEndpoint(stripe, endpoint.id))
    ) {
      removed.push(endpoint.id);
      await forgetSecret(deps, endpoint.id);
    } else {
      leftovers.push(endpoint.id);
    }
  }

  const total = all.filter((e) => !removed.includes(e.id)).length;
  const headroom = ENDPOINT_CAP - total;
  const evidence = {
    removed,
    leftovers,
    total,
    cap: ENDPOINT_CAP,
    headroom,
    unreadableJournals: unreadable,
  };
  if (leftovers.length > 0) {
    return warn(`${leftovers.length} recent endpoint(s) of other runs remain`, {
      reason: 'stale-endpoints',
      ...evidence,
    });
  }
  if (headroom < 3) {
    return warn(`${total} of ${ENDPOINT_CAP} endpoints used: little headroom`, {
      reason: 'stale-endpoints',
      ...evidence,
    });
  }
  const note = removed.length > 0 ? `removed ${removed.length} leftover(s); ` : '';
  return pass(`${note}${total} of ${ENDPOINT_CAP} endpoints used`, evidence);
}

/** Deletes this run's temporary endpoints and their vaulted secrets; never throws. */
export async function removeOwnEndpoints(deps: FlowDeps): Promise<string[]> {
  const failures: string[] = [];
  for (const endpoint of deps.journal.snapshot.endpoints.filter((e) => !e.deleted)) {
    const ok = await deleteEndpoint(deps.stripe, endpoint.id);
    if (!ok) {
      failures.push(endpoint.id);
      continue;
    }
    await forgetSecret(deps, endpoint.id);
    await deps.journal
      .update((j) => {
        const entry = j.endpoints.find((e) => e.id === endpoint.id);
        if (entry) entry.deleted = true;
      })
      .catch(() => undefined);
  }
  return failures;
}
