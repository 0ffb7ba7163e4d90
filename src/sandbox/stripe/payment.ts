/** Paying a subscription session: the objects a real payment creates, and its events. */
import type Stripe from 'stripe';

import type { PlanPrice } from '../catalogue.js';
import { planForPrice } from '../catalogue.js';
import type { SandboxClock } from '../clock.js';
import { prefixedId } from '../random.js';
import type { EventInput } from './events.js';
import { recordEvent } from './events.js';
import { buildCustomer, buildInvoice, buildSubscription } from './objects.js';
import { stripeObject } from './shape.js';
import type { AccountLedger, EventRecord, StripeStore } from './store.js';

export interface PaymentResult {
  session: Stripe.Checkout.Session;
  subscription: Stripe.Subscription;
  invoice: Stripe.Invoice;
  events: EventRecord[];
}

interface PaymentIds {
  paymentMethod: string;
  paymentIntent: string;
  charge: string;
}

/** The plan and quantity a session sells, read back from its metadata and price. */
export function sessionPlan(
  store: StripeStore,
  ledger: AccountLedger,
  sessionId: string,
): { plan: PlanPrice; price: Stripe.Price; quantity: number } {
  const item = ledger.sessionItems.get(sessionId);
  const plan = item && planForPrice(item.priceId);
  const price = item && store.prices.get(item.priceId);
  if (!item || !plan || !price)
    throw new Error(`Session ${sessionId} sells no known price.`);
  return { plan, price, quantity: item.quantity };
}

/** Completes an open session as a successful card payment would. */
export function paySession(
  store: StripeStore,
  ledger: AccountLedger,
  session: Stripe.Checkout.Session,
  email: string,
  clock: SandboxClock,
): PaymentResult {
  const now = clock.nowSeconds();
  const { plan, price, quantity } = sessionPlan(store, ledger, session.id);
  const ids: PaymentIds = {
    paymentMethod: prefixedId('pm', 24),
    paymentIntent: prefixedId('pi', 24),
    charge: prefixedId('ch', 24),
  };
  const metadata = subscriptionMetadata(session);
  const customer = buildCustomer(email, now, {});
  const subscription = buildSubscription({
    customerId: customer.id,
    plan,
    price,
    quantity,
    metadata,
    created: now,
    paymentMethodId: ids.paymentMethod,
  });
  const invoice = buildInvoice({
    customerId: customer.id,
    subscription,
    plan,
    quantity,
    created: now,
  });
  ledger.customers.set(customer.id, customer);
  ledger.subscriptions.set(subscription.id, subscription);
  ledger.invoices.set(invoice.id, invoice);

  const inputs = paymentEvents({
    ledger,
    session,
    customer,
    subscription,
    invoice,
    ids,
    now,
  });
  const events = inputs.map((input) => recordEvent(ledger, input, clock));
  return { session, subscription, invoice, events };
}

function subscriptionMetadata(session: Stripe.Checkout.Session): Record<string, string> {
  const meta = session.metadata ?? {};
  const out: Record<string, string> = {};
  for (const key of ['plan', 'billingCycle', 'organizationId']) {
    const value = meta[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

interface PaymentContext {
  ledger: AccountLedger;
  session: Stripe.Checkout.Session;
  customer: Stripe.Customer;
  subscription: Stripe.Subscription;
  invoice: Stripe.Invoice;
  ids: PaymentIds;
  now: number;
}

/**
 * Walks the objects through a payment and returns the events in the order
 * they happen; each event snapshots its object at that moment.
 */
function paymentEvents(ctx: PaymentContext): EventInput[] {
  const { customer, subscription, invoice, ids, now } = ctx;
  const out: EventInput[] = [];
  // Snapshot now: later steps of the payment keep changing the same objects.
  const push = (input: EventInput): void => {
    out.push({ ...input, object: structuredClone(input.object) });
  };
  push({ type: 'customer.created', object: customer });
  push({ type: 'payment_method.attached', object: paymentMethod(ids, customer.id, now) });
  push({ type: 'customer.subscription.created', object: subscription });

  push({ type: 'invoice.created', object: invoice });
  invoice.status = 'open';
  invoice.number = `SBX-${invoice.id.slice(-6).toUpperCase()}-0001`;
  invoice.status_transitions.finalized_at = now;
  push({ type: 'invoice.finalized', object: invoice });

  push({ type: 'payment_intent.succeeded', object: paymentIntent(ids, ctx) });
  push({ type: 'charge.succeeded', object: charge(ids, ctx) });

  markInvoicePaid(invoice, now);
  subscription.latest_invoice = invoice.id;
  push({ type: 'invoice.paid', object: invoice });
  push({ type: 'invoice.payment_succeeded', object: invoice });

  subscription.status = 'active';
  push({
    type: 'customer.subscription.updated',
    object: subscription,
    previousAttributes: { status: 'incomplete' },
  });

  completeSession(ctx);
  push({ type: 'checkout.session.completed', object: ctx.session });
  return out;
}

function markInvoicePaid(invoice: Stripe.Invoice, now: number): void {
  invoice.status = 'paid';
  invoice.amount_paid = invoice.total;
  invoice.amount_remaining = 0;
  invoice.status_transitions.paid_at = now;
}

function completeSession(ctx: PaymentContext): void {
  const { session } = ctx;
  session.status = 'complete';
  session.payment_status = 'paid';
  session.url = null;
  session.customer = ctx.customer.id;
  session.customer_email = ctx.customer.email;
  session.subscription = ctx.subscription.id;
  session.invoice = ctx.invoice.id;
}

function paymentMethod(
  ids: PaymentIds,
  customerId: string,
  now: number,
): Stripe.PaymentMethod {
  return stripeObject<Stripe.PaymentMethod>({
    id: ids.paymentMethod,
    object: 'payment_method',
    type: 'card',
    customer: customerId,
    card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2034, country: 'US' },
    created: now,
    livemode: false,
    metadata: {},
  });
}

function paymentIntent(ids: PaymentIds, ctx: PaymentContext): Stripe.PaymentIntent {
  return stripeObject<Stripe.PaymentIntent>({
    id: ids.paymentIntent,
    object: 'payment_intent',
    amount: ctx.invoice.total,
    amount_received: ctx.invoice.total,
    currency: 'eur',
    status: 'succeeded',
    customer: ctx.customer.id,
    payment_method: ids.paymentMethod,
    latest_charge: ids.charge,
    created: ctx.now,
    livemode: false,
    metadata: {},
  });
}

function charge(ids: PaymentIds, ctx: PaymentContext): Stripe.Charge {
  return stripeObject<Stripe.Charge>({
    id: ids.charge,
    object: 'charge',
    amount: ctx.invoice.total,
    amount_captured: ctx.invoice.total,
    currency: 'eur',
    status: 'succeeded',
    paid: true,
    captured: true,
    customer: ctx.customer.id,
    payment_intent: ids.paymentIntent,
    payment_method: ids.paymentMethod,
    created: ctx.now,
    livemode: false,
    metadata: {},
  });
}
