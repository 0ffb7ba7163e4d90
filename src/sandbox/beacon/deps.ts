/** What the Beacon emulator's pieces need from the sandbox around them. */
import type { FiscalRuleId } from '../../fiscal/rules.js';
import type { SandboxClock } from '../clock.js';
import type { FlakyPattern, ScenarioFaults } from '../faults.js';
import type { IdempotencyStore } from '../idempotency.js';
import type { SeededRandom } from '../random.js';
import type { StripeEmulator } from '../stripe/emulator.js';
import type { TaskScope } from '../tasks.js';
import type { BeaconState } from './state.js';

export interface BeaconDeps {
  state: BeaconState;
  stripe: StripeEmulator;
  faults: ScenarioFaults;
  clock: SandboxClock;
  random: SeededRandom;
  scope: TaskScope;
  idempotency: IdempotencyStore;
  flaky: FlakyPattern;
  /** The rule fiscal documents break in `fiscal-invalid`. */
  brokenFiscalRule: FiscalRuleId | undefined;
  /** e.g. http://127.0.0.1:PORT */
  baseUrl: () => string;
  log: (line: string) => void;
}

/** Beacon's API root, e.g. http://127.0.0.1:PORT/beacon/v1 */
export function beaconRoot(deps: BeaconDeps): string {
  return `${deps.baseUrl()}/beacon/v1`;
}
