/**
 * The receiver a validate or init run puts on its local server: verified
 * deliveries go to the run's event store and the timeline.
 */
import type { FlowState } from '../flow/types.js';
import type { ApiLog } from '../io/api-log.js';
import { EventStore } from './event-store.js';
import type { LocalServer } from './local-server.js';
import { createWebhookReceiver, ProbeRegistry } from './receiver.js';

export const RECEIVER_PATH = '/webhooks/stripe';

/** Routes the run's receiver; it trusts the vaulted secrets and a forwarder's own. */
export function routeReceiver(
  server: LocalServer,
  log: ApiLog,
  state: FlowState,
  /** Secrets of a forwarder that signs with its own key (the Stripe CLI). */
  forwarderSecrets: readonly string[] = [],
): { events: EventStore; probes: ProbeRegistry } {
  const events = new EventStore();
  const probes = new ProbeRegistry();
  server.route(
    RECEIVER_PATH,
    createWebhookReceiver({
      store: events,
      // The Stripe CLI signs what it forwards with its own secret.
      secrets: () => [...state.signingSecrets, ...forwarderSecrets],
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
