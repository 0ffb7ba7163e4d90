/**
 * The embedded sandbox: a stateful Beacon + Stripe emulator on one loopback
 * port, so the whole quickstart runs offline against the same client code.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { BeaconDeps } from './beacon/deps.js';
import { BeaconState } from './beacon/state.js';
import { createClock } from './clock.js';
import { FlakyPattern, faultsFor } from './faults.js';
import { chooseBrokenRule } from './fiscal-issuer.js';
import { IdempotencyStore } from './idempotency.js';
import { randomId, seededRandom } from './random.js';
import type { ScenarioName } from './scenarios.js';
import { isScenarioName } from './scenarios.js';
import {
  newOrganization,
  seedOrganization,
  seedPrices,
  seedUnconfirmedCheckout,
} from './seed.js';
import { createSandboxServer } from './server.js';
import { DeliveryEngine } from './stripe/deliveries.js';
import { StripeEmulator } from './stripe/emulator.js';
import type { StripeRouteDeps } from './stripe/routes.js';
import { StripeStore } from './stripe/store.js';
import { createTaskScope } from './tasks.js';
import { TransportFaultInjector } from './transport-faults.js';
import type {
  SandboxCounts,
  SandboxHandle,
  SandboxOptions,
  SandboxOrganization,
} from './types.js';

export type {
  SandboxCounts,
  SandboxHandle,
  TransportFaultCounts,
  TransportFaults,
  SandboxOptions,
  SandboxOrganization,
} from './types.js';
export { BREAKABLE_FISCAL_RULES } from './fiscal-issuer.js';
export { TEST_CARD_NUMBER, DECLINED_CARD_NUMBER } from './checkout-page.js';
export { faultsFor } from './faults.js';

/** Starts the sandbox on 127.0.0.1 and seeds it for the scenario. */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const scenario = checkScenario(options.scenario ?? 'happy');
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const parts = wire(scenario, seed, options);
  const transport = new TransportFaultInjector(options.faults ?? {});
  const server = createSandboxServer({
    scenario,
    ...parts,
    ...(options.faults ? { transport } : {}),
  });
  const port = await listen(server, options.port ?? 0);
  parts.setBaseUrl(`http://127.0.0.1:${port}`);
  const baseUrl = parts.beacon.baseUrl();
  parts.beacon.log(`sandbox: ${scenario} on ${baseUrl} (seed ${seed})`);
  const orgs = seedWorld(parts.beacon, options.extraOrganizations ?? 0);
  const main = orgs[0] as SandboxOrganization;
  return {
    scenario,
    beaconUrl: `${baseUrl}/beacon/v1`,
    stripeUrl: baseUrl,
    inspectUrl: `${baseUrl}/_sandbox/inspect`,
    ...main,
    organizations: orgs,
    counts: parts.counts,
    faultCounts: () => transport.counts(),
    close: () => closeServer(server, parts.beacon.scope),
  };
}

interface Wiring {
  beacon: BeaconDeps;
  stripe: StripeRouteDeps;
  counts: () => SandboxCounts;
  setBaseUrl: (url: string) => void;
}

/** Builds the emulators and what they share; nothing listens yet. */
function wire(scenario: ScenarioName, seed: number, options: SandboxOptions): Wiring {
  const random = seededRandom(seed);
  const faults = faultsFor(scenario);
  // An unknown rule id is refused whatever the scenario, so a typo never goes unnoticed.
  const rule =
    options.fiscalRule !== undefined || faults.breakFiscalDocument
      ? chooseBrokenRule(options.fiscalRule, random)
      : undefined;
  const log = options.log ?? (() => undefined);
  const clock = createClock(faults.clockOffsetMs);
  const scope = createTaskScope();
  let baseUrl = '';
  const foreignSecret = `whsec_${randomId(32)}`;
  const deliveries = new DeliveryEngine({
    clock,
    random,
    faults,
    scope,
    foreignSecret,
    log,
  });
  const store = new StripeStore();
  const emulator = new StripeEmulator(store, deliveries, clock, () => baseUrl);
  const beacon: BeaconDeps = {
    state: new BeaconState(),
    stripe: emulator,
    faults,
    clock,
    random,
    scope,
    idempotency: new IdempotencyStore(),
    flaky: new FlakyPattern(),
    brokenFiscalRule: faults.breakFiscalDocument ? rule : undefined,
    baseUrl: () => baseUrl,
    log,
  };
  const stripe: StripeRouteDeps = {
    emulator,
    faults,
    flaky: new FlakyPattern(),
    idempotency: new IdempotencyStore(),
    clock,
    scope,
    log,
  };
  const counts = (): SandboxCounts => ({
    ...store.totals(),
    fiscalDocuments: beacon.state.documentCount(),
  });
  return { beacon, stripe, counts, setBaseUrl: (url) => (baseUrl = url) };
}

/** Prices, the organizations, and what the scenario puts there before the run. */
function seedWorld(beacon: BeaconDeps, extra: number): SandboxOrganization[] {
  seedPrices(beacon);
  const orgs = [newOrganization()];
  for (let i = 0; i < extra; i++) orgs.push(newOrganization());
  const seeded = orgs.map((org) => seedOrganization(org, beacon));
  if (beacon.faults.seedUnconfirmedCheckout && seeded[0]) {
    seedUnconfirmedCheckout(seeded[0], beacon);
  }
  return orgs;
}

function checkScenario(name: string): ScenarioName {
  if (!isScenarioName(name)) throw new Error(`Unknown sandbox scenario "${name}".`);
  return name;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server, scope: { close(): void }): Promise<void> {
  scope.close();
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
