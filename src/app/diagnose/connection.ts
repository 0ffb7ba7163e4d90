/** Connect: the token, the organization's connection and the account's readiness. */
import Stripe from 'stripe';
import { BeaconApiError } from '../../errors.js';
import { fail, pass, warn, type Outcome } from '../../flow/outcome.js';
import { observeStripeDate } from '../../stripe/client.js';
import type { DiagnoseDeps, DiagnoseState } from './types.js';

const REQUIRED_SCOPE = 'integration';

/** Runs the connect step's checks. */
export async function runConnectionChecks(
  deps: DiagnoseDeps,
  state: DiagnoseState,
): Promise<void> {
  const { checks } = deps;
  await checks.check('diagnose.token', () => tokenCheck(deps, state));
  if (state.beaconRejected) {
    checks.skip('diagnose.connection', 'Beacon refused the token');
    return;
  }
  await checks.check('diagnose.connection', () => connectionCheck(deps, state));
}

async function tokenCheck(deps: DiagnoseDeps, state: DiagnoseState): Promise<Outcome> {
  let token;
  try {
    token = await deps.beacon.getToken();
  } catch (error) {
    if (error instanceof BeaconApiError && (error.status === 401 || error.status === 403))
      state.beaconRejected = error.status === 401 ? 'invalid-token' : 'missing-scope';
    throw error;
  }
  const evidence = {
    organizationId: token.organizationId,
    scopes: token.scopes,
    mode: token.mode,
  };
  if (token.organizationId !== deps.organizationId) {
    state.beaconRejected = 'missing-scope';
    return fail(
      `The token belongs to ${token.organizationId}, not ${deps.organizationId}`,
      'missing-scope',
      evidence,
    );
  }
  if (token.mode === 'live')
    return fail('The Beacon token is a live-mode token', 'live-mode', evidence);
  if (!token.scopes.includes(REQUIRED_SCOPE)) {
    state.beaconRejected = 'missing-scope';
    return fail(
      `The token lacks the "${REQUIRED_SCOPE}" scope`,
      'missing-scope',
      evidence,
    );
  }
  return pass(`Token for ${token.organizationId}, test mode`, evidence);
}

/** The Stripe account as the key sees it; null (and noted) when the key is refused. */
async function readAccount(
  deps: DiagnoseDeps,
  state: DiagnoseState,
): Promise<Stripe.Account> {
  try {
    const account = await deps.stripe.accounts.retrieveCurrent();
    observeStripeDate(deps.log, account);
    state.account = account;
    return account;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeAuthenticationError)
      state.stripeUnreadable = true;
    throw error;
  }
}

async function connectionCheck(
  deps: DiagnoseDeps,
  state: DiagnoseState,
): Promise<Outcome> {
  const connection = await deps.beacon.getConnection(deps.organizationId);
  state.connection = connection;
  const account = await readAccount(deps, state);
  const requirements = account.requirements;
  const due = {
    currentlyDue: requirements?.currently_due ?? [],
    pastDue: requirements?.past_due ?? [],
    disabledReason: requirements?.disabled_reason ?? null,
  };
  const evidence = {
    status: connection.status,
    mode: connection.mode,
    stripeAccountId: connection.stripeAccountId ?? null,
    accountType: connection.accountType ?? null,
    keyAccountId: account.id,
    chargesEnabled: account.charges_enabled,
    detailsSubmitted: account.details_submitted,
    ...due,
  };
  if (connection.status !== 'connected' || !connection.stripeAccountId) {
    return fail(
      `Beacon shows the organization ${connection.status}`,
      'not-connected',
      evidence,
    );
  }
  if (connection.stripeAccountId !== account.id) {
    return fail(
      `Beacon is connected to ${connection.stripeAccountId}, but the key reads ${account.id}`,
      'account-mismatch',
      evidence,
    );
  }
  if (connection.mode === 'live')
    return fail('Beacon reports the connection in live mode', 'live-mode', evidence);
  const dueCount = due.currentlyDue.length + due.pastDue.length;
  if (!account.charges_enabled || !account.details_submitted || dueCount > 0) {
    const parts = [
      account.charges_enabled ? null : 'charges disabled',
      account.details_submitted ? null : 'details not submitted',
      dueCount > 0 ? `${dueCount} requirement(s) due` : null,
    ].filter(Boolean);
    return fail(
      `Account ${account.id}: ${parts.join(', ')}`,
      'charges-disabled',
      evidence,
    );
  }
  if (connection.accountType !== 'standard') {
    return warn(
      `Connected to a ${connection.accountType ?? 'unknown'} account, not Standard`,
      evidence,
    );
  }
  return pass(`Connected to Standard account ${account.id}; can charge`, evidence);
}
