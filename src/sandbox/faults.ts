/**
 * What each scenario changes. The emulators consult these small answers
 * instead of testing scenario names, so a scenario is defined in one place.
 */
import type { ScenarioName } from './scenarios.js';

export type AccountState = 'ready' | 'charges-disabled';
export type BeaconAuthFault = 'none' | 'invalid-token' | 'missing-scope';

export interface ScenarioFaults {
  account: AccountState;
  /** Whether Beacon shows the organization connected at start. */
  connected: boolean;
  beaconAuth: BeaconAuthFault;
  /** Sign deliveries to endpoints Beacon does not own with a foreign secret. */
  foreignSigningSecret: boolean;
  /** How far the servers' clock is from the host's, in milliseconds. */
  clockOffsetMs: number;
  /** Whether confirm really activates the subscription. */
  confirmActivates: boolean;
  /** Seed one paid checkout whose confirm never came. */
  seedUnconfirmedCheckout: boolean;
  /** First checkout creation per key answers 409 although it created the session. */
  firstCheckoutInFlight: boolean;
  deliverWebhooks: boolean;
  /** Some events of a batch go out twice. */
  duplicateDeliveries: boolean;
  registerBeaconIntake: boolean;
  /** Deterministic 429/5xx on both APIs. */
  flaky: boolean;
  /** Sessions expire as soon as the hosted page is reached. */
  expireBeforePayment: boolean;
  breakFiscalDocument: boolean;
  fiscalReady: boolean;
  openCriticalAlert: boolean;
  webhooksServiceDown: boolean;
}

const BASE: ScenarioFaults = {
  account: 'ready',
  connected: true,
  beaconAuth: 'none',
  foreignSigningSecret: false,
  clockOffsetMs: 0,
  confirmActivates: true,
  seedUnconfirmedCheckout: false,
  firstCheckoutInFlight: false,
  deliverWebhooks: true,
  duplicateDeliveries: true,
  registerBeaconIntake: true,
  flaky: false,
  expireBeforePayment: false,
  breakFiscalDocument: false,
  fiscalReady: true,
  openCriticalAlert: false,
  webhooksServiceDown: false,
};

const CHANGES: Record<ScenarioName, Partial<ScenarioFaults>> = {
  happy: {},
  'charges-disabled': { account: 'charges-disabled' },
  'not-connected': { connected: false },
  'invalid-token': { beaconAuth: 'invalid-token' },
  'missing-scope': { beaconAuth: 'missing-scope' },
  'wrong-signing-secret': { foreignSigningSecret: true },
  'clock-drift': { clockOffsetMs: -600_000 },
  'confirm-skipped': { confirmActivates: false, seedUnconfirmedCheckout: true },
  'duplicate-submit': { firstCheckoutInFlight: true },
  'webhook-dropped': { deliverWebhooks: false },
  'intake-missing': { registerBeaconIntake: false },
  'flaky-api': { flaky: true },
  'checkout-expired': { expireBeforePayment: true },
  'fiscal-invalid': { breakFiscalDocument: true },
  'fiscal-not-ready': { fiscalReady: false },
  'critical-alert': { openCriticalAlert: true },
  degraded: { webhooksServiceDown: true },
};

/** The faults a scenario switches on. */
export function faultsFor(scenario: ScenarioName): ScenarioFaults {
  return { ...BASE, ...CHANGES[scenario] };
}

/** One injected failure: what to answer instead of the real response. */
export interface InjectedFailure {
  status: 429 | 500 | 502 | 503;
  retryAfterSeconds?: number;
}

const GET_FAILURES: InjectedFailure[] = [
  { status: 503 },
  { status: 429, retryAfterSeconds: 1 },
  { status: 502 },
  { status: 500 },
];

/**
 * Decides, deterministically, which requests of a flaky API fail: the first
 * attempt of each distinct mutating request, and every fourth read (cycling
 * through 503, 429, 502 and 500, so a 429 is one read in sixteen).
 */
export class FlakyPattern {
  private readonly seenMutations = new Set<string>();
  private reads = 0;

  /** The failure for this request, or undefined to serve it normally. */
  failureFor(method: string, identity: string): InjectedFailure | undefined {
    if (method === 'GET') return this.readFailure();
    if (this.seenMutations.has(identity)) return undefined;
    this.seenMutations.add(identity);
    return { status: 503 };
  }

  private readFailure(): InjectedFailure | undefined {
    this.reads += 1;
    if (this.reads % 4 !== 0) return undefined;
    return GET_FAILURES[(this.reads / 4 - 1) % GET_FAILURES.length];
  }
}
