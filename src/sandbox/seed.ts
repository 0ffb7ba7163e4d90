/** What a sandbox starts with: organizations, accounts, prices, Beacon's intake endpoints. */
import { SUBSCRIBED_EVENTS } from '../flow/catalog.js';
import type { BeaconDeps } from './beacon/deps.js';
import { beaconRoot } from './beacon/deps.js';
import { seedAlerts } from './beacon/operations.js';
import type { BeaconOrg } from './beacon/state.js';
import { INTAKE_PATHS } from './beacon/state.js';
import { ensureRecord } from './beacon/subscriptions.js';
import { PLAN_CATALOGUE, findPlan } from './catalogue.js';
import { atcudCode, companyNif } from './fiscal-issuer.js';
import { randomId } from './random.js';
import { buildAccount, buildPrice } from './stripe/objects.js';
import type { SandboxOrganization } from './types.js';

/** Beacon's intake endpoints listen for the flow's events and onboarding updates. */
const INTAKE_EVENTS = [...SUBSCRIBED_EVENTS, 'account.updated'];

/** Fresh credentials for one organization. */
export function newOrganization(): SandboxOrganization {
  return {
    organizationId: `org_${randomId(16)}`,
    accessToken: `bqs_sandbox_${randomId(32)}`,
    stripeSecretKey: `sk_test_sandbox_${randomId(32)}`,
    stripeAccountId: `acct_${randomId(16)}`,
  };
}

/** Puts the plan catalogue's prices in the Stripe store. */
export function seedPrices(deps: BeaconDeps): void {
  const created = deps.clock.nowSeconds();
  for (const plan of PLAN_CATALOGUE)
    deps.stripe.store.prices.set(plan.stripePriceId, buildPrice(plan, created));
}

/** Creates the organization on both sides; extra organizations get the same scenario. */
export function seedOrganization(org: SandboxOrganization, deps: BeaconDeps): BeaconOrg {
  const { faults, random } = deps;
  const account = buildAccount(
    org.stripeAccountId,
    faults.account,
    deps.clock.nowSeconds() - 86_400,
  );
  deps.stripe.store.addAccount(account, org.stripeSecretKey);
  const beaconOrg: BeaconOrg = {
    organizationId: org.organizationId,
    accessToken: org.accessToken,
    stripeAccountId: org.stripeAccountId,
    connected: faults.connected,
    intakeSecrets: new Map(),
    subscriptions: new Map(),
    events: new Map(),
    documents: [],
    invoicedIds: new Set(),
    alerts: [],
    issuer: {
      nif: companyNif(random),
      name: 'Sandbox Software Lda',
      atcudCode: atcudCode(random),
      certificateNumber: String(random.int(1000, 9999)),
      nextSequence: random.int(1, 400),
    },
  };
  deps.state.add(beaconOrg);
  if (faults.registerBeaconIntake) registerIntake(beaconOrg, deps);
  seedAlerts(beaconOrg, deps);
  return beaconOrg;
}

function registerIntake(org: BeaconOrg, deps: BeaconDeps): void {
  const ledger = deps.stripe.store.ledger(org.stripeAccountId);
  if (!ledger) return;
  for (const path of INTAKE_PATHS) {
    const record = deps.stripe.addEndpoint(ledger, {
      url: `${beaconRoot(deps)}${path}`,
      enabledEvents: [...INTAKE_EVENTS],
      description: 'Beacon intake',
      metadata: { owner: 'beacon' },
      ownedByBeacon: true,
    });
    org.intakeSecrets.set(path, record.secret);
  }
}

/** confirm-skipped: an earlier checkout that was paid but never confirmed. */
export function seedUnconfirmedCheckout(org: BeaconOrg, deps: BeaconDeps): void {
  const ledger = deps.stripe.store.ledger(org.stripeAccountId);
  const plan = findPlan('plus', 'monthly');
  if (!ledger || !plan) return;
  const session = deps.stripe.createSession(ledger, {
    plan,
    quantity: 1,
    successUrl: `${deps.baseUrl()}/checkout/return?session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl: null,
    clientReferenceId: org.organizationId,
    metadata: {
      organizationId: org.organizationId,
      plan: plan.plan,
      billingCycle: plan.billingCycle,
    },
    expiresAt: null,
  });
  const paid = deps.stripe.pay(ledger, session, 'earlier.customer@example.com');
  // Beacon saw this checkout long ago: its record exists before any delivery lands.
  ensureRecord(org, paid.subscription, deps).checkoutSessionId = session.id;
  deps.log(`sandbox: seeded unconfirmed checkout ${session.id}`);
}
