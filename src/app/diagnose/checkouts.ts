/**
 * Checkout and confirm: recent checkout sessions in Stripe, and whether
 * Beacon confirmed the subscription of every one that was paid. A complete
 * session whose subscription Beacon does not know, or still holds as
 * `pending_confirmation`, is the `missing-confirmation` pattern.
 */
import type Stripe from 'stripe';
import { isNotVerifiable, type Subscription } from '../../beacon/client.js';
import { BeaconApiError } from '../../errors.js';
import { fail, pass, skip, warn, type Outcome } from '../../flow/outcome.js';
import { observeStripeDate } from '../../stripe/client.js';
import type { DiagnoseDeps, DiagnoseState, PaidCheckout } from './types.js';

/** Subscriptions looked up in Beacon at most, so a busy account stays quick. */
const MAX_LOOKUPS = 20;

/** Runs the checkout step: reads the recent (or focused) sessions. */
export async function runCheckoutChecks(
  deps: DiagnoseDeps,
  state: DiagnoseState,
): Promise<void> {
  const { checks } = deps;
  if (state.stripeUnreadable) {
    checks.skip('diagnose.recent-checkouts', 'Stripe refused the key');
    return;
  }
  await checks.check('diagnose.recent-checkouts', async () => {
    const sessions = await readSessions(deps);
    state.paid = paidOf(sessions);
    if (deps.focus.subscriptionId && state.paid.length === 0)
      state.paid = [await subscriptionOnly(deps, deps.focus.subscriptionId)];
    return describeSessions(deps, sessions);
  });
}

/** Runs the confirm step: Beacon's view of every paid checkout found. */
export async function runConfirmChecks(
  deps: DiagnoseDeps,
  state: DiagnoseState,
): Promise<void> {
  const { checks } = deps;
  if (state.beaconRejected) {
    checks.skip('diagnose.checkouts', 'Beacon refused the token');
    return;
  }
  if (checks.find('diagnose.recent-checkouts')?.status !== 'pass') {
    checks.skip('diagnose.checkouts', 'The checkout sessions could not be read');
    return;
  }
  await checks.check('diagnose.checkouts', () => confirmations(deps, state.paid));
}

/** The focused session, the focused subscription's sessions, or the most recent ones. */
async function readSessions(deps: DiagnoseDeps): Promise<Stripe.Checkout.Session[]> {
  const { focus } = deps;
  if (focus.checkoutSessionId) {
    const session = await deps.stripe.checkout.sessions.retrieve(focus.checkoutSessionId);
    observeStripeDate(deps.log, session);
    return [session];
  }
  const list = await deps.stripe.checkout.sessions.list({
    limit: deps.recentLimit,
    ...(focus.subscriptionId ? { subscription: focus.subscriptionId } : {}),
  });
  observeStripeDate(deps.log, list);
  return list.data;
}

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}

function paidOf(sessions: Stripe.Checkout.Session[]): PaidCheckout[] {
  return sessions.flatMap((s) => {
    const subscriptionId = idOf(s.subscription);
    if (s.status !== 'complete' || !subscriptionId) return [];
    return [{ sessionId: s.id, subscriptionId, stripeStatus: s.payment_status }];
  });
}

/** A subscription asked about by id when no session of it was listed. */
async function subscriptionOnly(deps: DiagnoseDeps, id: string): Promise<PaidCheckout> {
  const sub = await deps.stripe.subscriptions.retrieve(id);
  return { sessionId: null, subscriptionId: sub.id, stripeStatus: sub.status };
}

function describeSessions(
  deps: DiagnoseDeps,
  sessions: Stripe.Checkout.Session[],
): Outcome {
  const byStatus: Record<string, number> = {};
  for (const s of sessions) {
    const status = s.status ?? 'unknown';
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  }
  const evidence = {
    read: sessions.length,
    byStatus,
    sessions: sessions.slice(0, MAX_LOOKUPS).map((s) => ({
      id: s.id,
      status: s.status,
      paymentStatus: s.payment_status,
      subscriptionId: idOf(s.subscription),
      created: new Date(s.created * 1000).toISOString(),
    })),
    ...(deps.focus.checkoutSessionId ? { focus: deps.focus.checkoutSessionId } : {}),
    ...(deps.focus.subscriptionId
      ? { focusSubscription: deps.focus.subscriptionId }
      : {}),
  };
  const summary = Object.entries(byStatus)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  return pass(
    sessions.length === 0 ? 'No recent checkout sessions' : `Read ${summary}`,
    evidence,
  );
}

type Lookup =
  | { kind: 'confirmed'; sub: Subscription }
  | { kind: 'unconfirmed'; status: string }
  | { kind: 'unknown' };

async function lookUp(deps: DiagnoseDeps, subscriptionId: string): Promise<Lookup> {
  try {
    const sub = await deps.beacon.getSubscription(subscriptionId);
    if (sub.status === 'pending_confirmation' || !sub.confirmedAt)
      return { kind: 'unconfirmed', status: sub.status };
    return { kind: 'confirmed', sub };
  } catch (error) {
    // A missing endpoint is "not verifiable"; a missing subscription is a finding.
    if (isNotVerifiable(error)) throw error;
    if (error instanceof BeaconApiError && error.status === 404)
      return { kind: 'unknown' };
    throw error;
  }
}

async function confirmations(deps: DiagnoseDeps, paid: PaidCheckout[]): Promise<Outcome> {
  if (paid.length === 0) return skip('No paid checkout to compare with Beacon');
  const looked = paid.slice(0, MAX_LOOKUPS);
  const unconfirmed: Array<PaidCheckout & { beaconStatus: string }> = [];
  const confirmed: string[] = [];
  for (const item of looked) {
    const result = await lookUp(deps, item.subscriptionId);
    if (result.kind === 'confirmed') confirmed.push(item.subscriptionId);
    else
      unconfirmed.push({
        ...item,
        beaconStatus: result.kind === 'unknown' ? 'unknown to Beacon' : result.status,
      });
  }
  const evidence = {
    checked: looked.length,
    notChecked: paid.length - looked.length,
    confirmed,
    unconfirmed,
  };
  if (unconfirmed.length > 0) {
    const first = unconfirmed[0]!;
    return fail(
      `${unconfirmed.length} paid checkout(s) not confirmed in Beacon ` +
        `(e.g. ${first.subscriptionId}: ${first.beaconStatus})`,
      'not-confirmed',
      evidence,
    );
  }
  if (paid.length > looked.length)
    return warn(
      `${looked.length} confirmed; ${paid.length - looked.length} not checked`,
      evidence,
    );
  return pass(`${confirmed.length} paid checkout(s), all confirmed in Beacon`, evidence);
}
