/** Step 1, Connect Stripe: token, test mode, connection, and the account's readiness. */
import { BeaconApiError } from '../../errors.js';
import { observeStripeDate } from '../../stripe/client.js';
import { fail, pass, warn } from '../outcome.js';
import type { FlowDeps, FlowState } from '../types.js';

const REQUIRED_SCOPE = 'integration';

export async function runConnectStep(deps: FlowDeps, state: FlowState): Promise<void> {
  const { checks, beacon, stripe, config } = deps;

  await checks.check('connect.token', async () => {
    try {
      const token = await beacon.getToken();
      state.organizationId = config.organizationId ?? token.organizationId;
      const evidence = {
        organizationId: token.organizationId,
        scopes: token.scopes,
        mode: token.mode,
      };
      if (config.organizationId && token.organizationId !== config.organizationId) {
        state.beaconRejectedToken = 'missing-scope';
        return fail(
          `The token belongs to ${token.organizationId}, not ${config.organizationId}`,
          'missing-scope',
          evidence,
        );
      }
      if (!token.scopes.includes(REQUIRED_SCOPE)) {
        state.beaconRejectedToken = 'missing-scope';
        return fail(
          `The token lacks the "${REQUIRED_SCOPE}" scope`,
          'missing-scope',
          evidence,
        );
      }
      return pass(
        `Token for ${token.organizationId} with the ${REQUIRED_SCOPE} scope`,
        evidence,
      );
    } catch (error) {
      if (
        error instanceof BeaconApiError &&
        (error.status === 401 || error.status === 403)
      ) {
        state.beaconRejectedToken =
          error.status === 401 ? 'invalid-token' : 'missing-scope';
      }
      state.organizationId ??= config.organizationId ?? undefined;
      throw error;
    }
  });

  if (!state.organizationId) {
    const why = 'No organization id: pass --org or set BEACON_ORGANIZATION_ID';
    for (const id of [
      'connect.test-mode',
      'connect.account',
      'connect.charges-enabled',
    ]) {
      checks.skip(id, why);
    }
    checks.skip('connect.details-submitted', why);
    checks.skip('connect.requirements', why);
    state.canCharge = false;
    return;
  }

  await checks.check('connect.account', async () => {
    const organizationId = state.organizationId as string;
    const account = await stripe.accounts.retrieveCurrent();
    observeStripeDate(deps.log, account);
    state.account = account;
    let connection;
    try {
      connection = await beacon.getConnection(organizationId);
    } catch (error) {
      if (error instanceof BeaconApiError && error.status === 403) {
        state.beaconRejectedToken ??= 'missing-scope';
      }
      throw error;
    }
    state.connection = connection;
    const evidence = {
      organizationId: connection.organizationId,
      status: connection.status,
      stripeAccountId: connection.stripeAccountId ?? null,
      accountType: connection.accountType ?? null,
      keyAccountId: account.id,
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
        `Beacon is connected to ${connection.stripeAccountId}, but the Stripe key is for ${account.id}`,
        'account-mismatch',
        evidence,
      );
    }
    if (connection.accountType !== 'standard') {
      return warn(
        `Connected to a ${connection.accountType ?? 'unknown'} account, not Standard`,
        evidence,
      );
    }
    return pass(`Connected to Standard account ${account.id}`, evidence);
  });

  await checks.check('connect.test-mode', async () => {
    const evidence = {
      stripeKey: 'test',
      beaconMode: state.connection?.mode ?? null,
    };
    if (state.connection?.mode === 'live') {
      return fail('Beacon reports the connection in live mode', 'live-mode', evidence);
    }
    if (!state.connection) {
      return warn(
        "Test key; Beacon's mode is unknown (the connection could not be read)",
        evidence,
      );
    }
    return pass('Test key, and Beacon in test mode', evidence);
  });

  const account = state.account;
  const connected = state.connection?.status === 'connected';
  if (!account || !connected) {
    const why = state.beaconRejectedToken
      ? 'Beacon rejected the token'
      : !account
        ? 'The Stripe account could not be read'
        : 'The organization is not connected';
    for (const id of [
      'connect.charges-enabled',
      'connect.details-submitted',
      'connect.requirements',
    ]) {
      checks.skip(id, why);
    }
    state.canCharge = false;
    return;
  }

  const requirements = account.requirements;
  const due = {
    currentlyDue: requirements?.currently_due ?? [],
    pastDue: requirements?.past_due ?? [],
    disabledReason: requirements?.disabled_reason ?? null,
  };
  await checks.check('connect.charges-enabled', async () => {
    const evidence = {
      accountId: account.id,
      chargesEnabled: account.charges_enabled,
      ...due,
    };
    if (!account.charges_enabled) {
      return fail(
        `Account ${account.id} cannot accept charges yet`,
        'charges-disabled',
        evidence,
      );
    }
    return pass('charges_enabled is true', evidence);
  });
  await checks.check('connect.details-submitted', async () => {
    const evidence = {
      accountId: account.id,
      detailsSubmitted: account.details_submitted,
    };
    if (!account.details_submitted) {
      return fail('Onboarding details were not submitted', 'charges-disabled', evidence);
    }
    return pass('details_submitted is true', evidence);
  });
  await checks.check('connect.requirements', async () => {
    const fields = [...new Set([...due.currentlyDue, ...due.pastDue])];
    const count = fields.length;
    if (count > 0 || due.disabledReason) {
      return fail(
        `${count} requirement(s) due${fields.length > 0 ? ` (${listFields(fields)})` : ''}` +
          (due.disabledReason ? `; disabled: ${due.disabledReason}` : ''),
        'charges-disabled',
        due,
      );
    }
    return pass('Nothing currently due or past due', due);
  });
  state.canCharge = account.charges_enabled && account.details_submitted;
}

/** A few requirement names for the message; the evidence has them all. */
function listFields(fields: string[]): string {
  const shown = fields.slice(0, 4).join(', ');
  return fields.length > 4 ? `${shown}, and ${fields.length - 4} more` : shown;
}
