/** What every diagnose check reads from: clients, the log and the recorder. */
import type Stripe from 'stripe';
import type { BeaconClient, StripeConnection } from '../../beacon/client.js';
import type { CheckRecorder } from '../../flow/recorder.js';
import type { ApiLog } from '../../io/api-log.js';

/** A checkout session or subscription the support person asked about. */
export interface DiagnoseFocus {
  checkoutSessionId?: string;
  subscriptionId?: string;
}

export interface DiagnoseDeps {
  /** Only read methods of these clients are ever called. */
  beacon: BeaconClient;
  stripe: Stripe;
  log: ApiLog;
  checks: CheckRecorder;
  organizationId: string;
  beaconUrl: string;
  focus: DiagnoseFocus;
  /** How many recent checkout sessions and events to read. */
  recentLimit: number;
  signal: AbortSignal;
}

/** A complete checkout session (or a subscription asked about) to compare with Beacon. */
export interface PaidCheckout {
  sessionId: string | null;
  subscriptionId: string;
  stripeStatus: string | null;
}

/** What earlier checks learnt, for later ones to skip or focus. */
export interface DiagnoseState {
  /** Set when Beacon refused the token: its other reads would only repeat that. */
  beaconRejected: 'invalid-token' | 'missing-scope' | null;
  connection: StripeConnection | null;
  account: Stripe.Account | null;
  /** The Stripe side could not be read (bad key): its checks are skipped. */
  stripeUnreadable: boolean;
  paid: PaidCheckout[];
}

export function initialDiagnoseState(): DiagnoseState {
  return {
    beaconRejected: null,
    connection: null,
    account: null,
    stripeUnreadable: false,
    paid: [],
  };
}
