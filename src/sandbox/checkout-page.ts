/** The hosted checkout page: a plain HTML form that pays a session with a test card. */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type Stripe from 'stripe';

import { grossOf } from './catalogue.js';
import type { ScenarioFaults } from './faults.js';
import { escapeHtml, readBody, sendPage, sendRedirect } from './http.js';
import type { StripeEmulator } from './stripe/emulator.js';
import { sessionPlan } from './stripe/payment.js';
import type { AccountLedger } from './stripe/store.js';

/** The card number that pays. */
export const TEST_CARD_NUMBER = '4242424242424242';
/** The card number that is declined. */
export const DECLINED_CARD_NUMBER = '4000000000000002';

export interface CheckoutPageDeps {
  stripe: StripeEmulator;
  faults: ScenarioFaults;
  headers: () => Record<string, string>;
  log: (line: string) => void;
}

/** Serves /checkout/... (GET the page, POST …/pay, and the default return page). */
export async function handleCheckoutPage(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: CheckoutPageDeps,
): Promise<void> {
  const parts = url.pathname.split('/').filter(Boolean);
  const sessionId = parts[1] ?? '';
  if (sessionId === 'return' || sessionId === 'cancelled') {
    return sendPage(
      res,
      200,
      'Checkout finished',
      `<p>You may close this page (${escapeHtml(sessionId)}).</p>`,
      deps,
    );
  }
  const found = deps.stripe.store.findSession(sessionId);
  if (!found)
    return sendPage(res, 404, 'Not found', '<p>No such checkout session.</p>', deps);
  const { ledger, session } = found;
  if (req.method === 'GET' && parts.length === 2)
    return showSession(res, ledger, session, deps);
  if (req.method === 'POST' && parts[2] === 'pay' && parts.length === 3) {
    return paySession(req, res, ledger, session, deps);
  }
  return sendPage(res, 404, 'Not found', '<p>Unknown checkout page.</p>', deps);
}

/** Whether the session can still be paid; expires it first when it should be. */
function payable(
  ledger: AccountLedger,
  session: Stripe.Checkout.Session,
  deps: CheckoutPageDeps,
): boolean {
  // checkout-expired: the session's time is up by the moment the user arrives.
  if (deps.faults.expireBeforePayment) deps.stripe.expireSession(ledger, session);
  deps.stripe.refreshExpiry(ledger, session);
  return session.status === 'open';
}

/** 410 for a session that can no longer be paid, saying why. */
function gone(
  res: ServerResponse,
  session: Stripe.Checkout.Session,
  deps: CheckoutPageDeps,
): void {
  const expired = session.status === 'expired';
  const title = expired ? 'Checkout expired' : 'Checkout already paid';
  const text = expired
    ? 'This checkout session has expired.'
    : 'This session is already paid.';
  sendPage(res, 410, title, `<p>${text}</p>`, deps);
}

function showSession(
  res: ServerResponse,
  ledger: AccountLedger,
  session: Stripe.Checkout.Session,
  deps: CheckoutPageDeps,
): void {
  if (!payable(ledger, session, deps)) return gone(res, session, deps);
  const { plan, quantity } = sessionPlan(deps.stripe.store, ledger, session.id);
  const total = (grossOf(plan.amount * quantity) / 100).toFixed(2);
  const name = escapeHtml(plan.plan);
  const cycle = escapeHtml(plan.billingCycle);
  const body = `
<p data-testid="plan">Plan: ${name} (${cycle})</p>
<p data-testid="total">Total: EUR ${total} (VAT 23% included)</p>
<form method="post" action="/checkout/${escapeHtml(session.id)}/pay">
  <label>Email <input name="email" type="email" data-testid="email" required></label>
  <label>Card number
    <input name="card_number" inputmode="numeric" data-testid="card-number" required>
  </label>
  <button type="submit" data-testid="pay">Pay EUR ${total}</button>
</form>`;
  sendPage(res, 200, 'Sandbox checkout', body, deps);
}

async function paySession(
  req: IncomingMessage,
  res: ServerResponse,
  ledger: AccountLedger,
  session: Stripe.Checkout.Session,
  deps: CheckoutPageDeps,
): Promise<void> {
  const form = new URLSearchParams((await readBody(req)).toString('utf8'));
  if (!payable(ledger, session, deps)) return gone(res, session, deps);
  const card = (form.get('card_number') ?? '').replace(/[\s-]/g, '');
  const email = form.get('email') || 'customer@example.com';
  if (card === DECLINED_CARD_NUMBER) {
    return sendPage(res, 402, 'Card declined', '<p>Your card was declined.</p>', deps);
  }
  if (card !== TEST_CARD_NUMBER) {
    return sendPage(
      res,
      400,
      'Card not accepted',
      `<p>Use the test card ${TEST_CARD_NUMBER}.</p>`,
      deps,
    );
  }
  deps.stripe.pay(ledger, session, email);
  deps.log(`checkout: ${session.id} paid`);
  sendRedirect(
    res,
    session.success_url?.replaceAll('{CHECKOUT_SESSION_ID}', session.id) ?? '/',
    deps.headers(),
  );
}
