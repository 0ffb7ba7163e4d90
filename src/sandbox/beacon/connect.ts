/** Beacon's token, connection and onboarding-link endpoints. */
import type { components } from '../../beacon/schema.generated.js';
import { randomId } from '../random.js';
import type { BeaconCall, BeaconResult } from './call.js';
import { idOf, sameOrganization, validBody } from './call.js';
import type { BeaconDeps } from './deps.js';
import type { BeaconOrg } from './state.js';

type Connection = components['schemas']['StripeConnection'];
type OnboardingRequest = components['schemas']['OnboardingLinkRequest'];

const TOKEN_LIFETIME_MS = 3600_000;
const LINK_LIFETIME_MS = 300_000;

/** The scopes a full sandbox token carries. */
export const FULL_SCOPES = [
  'integration',
  'billing',
  'webhooks',
  'fiscal',
  'observability',
];
/** A token that can read but lacks the integration scope. */
export const LIMITED_SCOPES = ['billing:read', 'fiscal:read'];

/** GET /auth/token */
export function tokenInfo(call: BeaconCall): BeaconResult {
  const limited = call.deps.faults.beaconAuth === 'missing-scope';
  return {
    status: 200,
    body: {
      organizationId: call.org.organizationId,
      scopes: limited ? LIMITED_SCOPES : FULL_SCOPES,
      mode: 'test',
      expiresAt: call.deps.clock.iso(call.deps.clock.nowMs() + TOKEN_LIFETIME_MS),
    },
  };
}

/** GET /organizations/:id/stripe-connection */
export function stripeConnection(call: BeaconCall): BeaconResult {
  sameOrganization(call, idOf(call));
  return { status: 200, body: connectionOf(call.org, call.deps) };
}

/** The connection as Beacon mirrors it from the Stripe account. */
export function connectionOf(org: BeaconOrg, deps: BeaconDeps): Connection {
  const account = deps.stripe.store.ledger(org.stripeAccountId)?.account;
  if (!org.connected || !account) {
    return {
      organizationId: org.organizationId,
      status: 'not_connected',
      mode: 'test',
      stripeAccountId: null,
      accountType: null,
      chargesEnabled: false,
      detailsSubmitted: false,
      requirements: { currentlyDue: [], pastDue: [], disabledReason: null },
    };
  }
  const requirements = account.requirements;
  return {
    organizationId: org.organizationId,
    status: 'connected',
    mode: 'test',
    stripeAccountId: account.id,
    accountType: 'standard',
    chargesEnabled: account.charges_enabled,
    detailsSubmitted: account.details_submitted,
    requirements: {
      currentlyDue: requirements?.currently_due ?? [],
      pastDue: requirements?.past_due ?? [],
      disabledReason: requirements?.disabled_reason ?? null,
    },
  };
}

/** POST /connect/accounts/onboarding-links */
export function createOnboardingLink(call: BeaconCall): BeaconResult {
  const body = validBody<OnboardingRequest>(call, 'OnboardingLinkRequest');
  sameOrganization(call, body.organizationId);
  const { deps, org } = call;
  const linkId = randomId(20);
  const expiresAtMs = deps.clock.nowMs() + LINK_LIFETIME_MS;
  deps.state.onboardingLinks.set(linkId, {
    accountId: org.stripeAccountId,
    returnUrl: body.returnUrl,
    expiresAtMs,
  });
  const url = `${deps.baseUrl()}/connect/onboarding/${org.stripeAccountId}?link=${linkId}`;
  return {
    status: 201,
    body: { onboardingUrl: url, expiresAt: deps.clock.iso(expiresAtMs) },
  };
}
