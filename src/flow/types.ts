/** What the five steps share: their dependencies and the state they pass on. */
import type Stripe from 'stripe';
import type { BeaconClient, StripeConnection } from '../beacon/client.js';
import type { ApiLog } from '../io/api-log.js';
import type { Context } from '../io/context.js';
import type { Target } from '../report/model.js';
import type { Outcome } from './outcome.js';
import type { SecretStore } from '../vault/store.js';
import type { EventStore } from '../webhooks/event-store.js';
import type { LocalServer } from '../webhooks/local-server.js';
import type { ProbeRegistry } from '../webhooks/receiver.js';
import type { Journal } from './journal.js';
import type { Payer } from './payer.js';
import type { CheckRecorder } from './recorder.js';
import type { ReturnCallback } from './return-callback.js';

export interface FlowConfig {
  target: Target;
  /** From --org, the environment, config, or the token itself (null until known). */
  organizationId: string | null;
  plan: string;
  billingCycle: string;
  beaconUrl: string;
  stripeUrl: string;
  /** Overall bound for waits (return, events, processing), in ms. */
  timeoutMs: number;
  /** How long to wait for webhook deliveries after payment, in ms. */
  webhookWaitMs: number;
  scenario?: string;
}

/** The URL Stripe will deliver to, and how it reaches this machine. */
export interface WebhookTarget {
  url: string;
  kind: 'loopback' | 'tunnel' | 'given' | 'none';
  /** Why there is none, when kind is 'none'. */
  unavailableReason?: string;
  /**
   * The public-URL check's outcome when opening the carrier already decided
   * it: a tunnel that failed to open, or a forwarder that proves less.
   */
  preset?: Outcome;
}

export interface FlowDeps {
  ctx: Context;
  config: FlowConfig;
  beacon: BeaconClient;
  stripe: Stripe;
  log: ApiLog;
  vault: SecretStore;
  journal: Journal;
  server: LocalServer;
  events: EventStore;
  probes: ProbeRegistry;
  webhook: WebhookTarget;
  payer: Payer;
  returns: ReturnCallback;
  checks: CheckRecorder;
  runId: string;
  operationId: string;
  signal: AbortSignal;
  /** Progress for a person (stderr); silent in --json/--ci. */
  note: (line: string) => void;
}

export interface FlowState {
  beaconRejectedToken?: 'invalid-token' | 'missing-scope';
  organizationId?: string;
  connection?: StripeConnection;
  account?: Stripe.Account;
  canCharge?: boolean;
  endpoint?: { id: string; secret: string; url: string };
  /** Secrets the receiver accepts (read back from the vault). */
  signingSecrets: string[];
  idempotencyKey?: string;
  checkoutSessionId?: string;
  checkoutUrl?: string;
  sessionsCreated: string[];
  paid?: boolean;
  /** Paid by an earlier (killed) attempt of this operation, seen on `--resume`. */
  paidEarlier?: boolean;
  returned?: boolean;
  session?: Stripe.Checkout.Session;
  subscriptionId?: string;
  invoiceId?: string;
  eventsProcessed: Map<string, boolean>;
}

export function initialState(): FlowState {
  return { signingSecrets: [], sessionsCreated: [], eventsProcessed: new Map() };
}
