/**
 * The pieces of a run `init` wires around the flow: the webhook receiver on
 * the local server and the run's journal. They are built as `validate`
 * builds them, so both commands record and verify the same way.
 */
import { join } from 'node:path';
import { Journal } from '../../flow/journal.js';
import type { FlowState } from '../../flow/types.js';
import type { ApiLog } from '../../io/api-log.js';
import { RECEIVER_PATH } from '../../tunnel/index.js';
import type { Tunnel } from '../../tunnel/types.js';
import { EventStore } from '../../webhooks/event-store.js';
import type { LocalServer } from '../../webhooks/local-server.js';
import { createWebhookReceiver, ProbeRegistry } from '../../webhooks/receiver.js';

/** Routes the receiver; it trusts the run's vaulted secrets and the tunnel's own. */
export function routeReceiver(
  server: LocalServer,
  log: ApiLog,
  state: FlowState,
  tunnel: Tunnel,
): { events: EventStore; probes: ProbeRegistry } {
  const events = new EventStore();
  const probes = new ProbeRegistry();
  server.route(
    RECEIVER_PATH,
    createWebhookReceiver({
      store: events,
      // The Stripe CLI signs what it forwards with its own secret.
      secrets: () => [...state.signingSecrets, ...tunnel.signingSecrets],
      probes,
      sinceStart: (at) => log.sinceStart(at),
      onDelivery: (d) =>
        log.recordDelivery({
          eventId: d.eventId,
          type: d.type,
          receivedAtMs: d.receivedAtMs,
          verified: d.verified,
          duplicate: d.duplicate,
          ...(d.reason ? { reason: d.reason } : {}),
        }),
    }),
  );
  return { events, probes };
}

export interface JournalStart {
  dir: string;
  runId: string;
  operationId: string;
  target: 'sandbox' | 'beacon';
  stripeUrl: string;
  organizationId: string;
  startedAt: number;
}

/** Creates the run's journal, which lets a later run clean up after a killed one. */
export function openJournal(start: JournalStart): Promise<Journal> {
  return Journal.create(join(start.dir, 'runs'), {
    runId: start.runId,
    operationId: start.operationId,
    idempotencyKey: `chk_${start.operationId}`,
    target: start.target,
    stripeUrl: start.stripeUrl,
    stripeAccountId: null,
    organizationId: start.organizationId,
    pid: process.pid,
    status: 'running',
    startedAt: new Date(start.startedAt).toISOString(),
    endpoints: [],
    checkoutSessions: [],
  });
}
