/** Builders for the Stripe objects the emulator serves. */
import type Stripe from 'stripe';

import type { PlanPrice } from '../catalogue.js';
import { grossOf, vatOf } from '../catalogue.js';
import type { AccountState } from '../faults.js';
import { prefixedId } from '../random.js';
import { stripeObject } from './shape.js';

/** The API version events and endpoints report (the one stripe v23 pins). */
export const API_VERSION = '2026-11-18.endive';

const MISSING_DETAILS = [
  'business_profile.mcc',
  'business_profile.url',
  'external_account',
  'tos_acceptance.date',
  'tos_acceptance.ip',
];

/** A Standard account, ready to charge or still missing requirements. */
export function buildAccount(
  id: string,
  state: AccountState,
  created: number,
): Stripe.Account {
  const ready = state === 'ready';
  return stripeObject<Stripe.Account>({
    id,
    object: 'account',
    type: 'standard',
    country: 'PT',
    default_currency: 'eur',
    email: null,
    created,
    charges_enabled: ready,
    payouts_enabled: ready,
    details_submitted: ready,
    business_profile: { name: 'Sandbox Lda', url: ready ? 'https://example.pt' : null },
    capabilities: {
      card_payments: ready ? 'active' : 'inactive',
      transfers: ready ? 'active' : 'inactive',
    },
    requirements: ready ? clearRequirements() : pendingRequirements(),
    metadata: {},
  });
}

/** Requirements with nothing due. */
export function clearRequirements(): Stripe.Account.Requirements {
  return stripeObject<Stripe.Account.Requirements>({
    currently_due: [],
    past_due: [],
    eventually_due: [],
    pending_verification: [],
    disabled_reason: null,
    errors: [],
    current_deadline: null,
  });
}

function pendingRequirements(): Stripe.Account.Requirements {
  return stripeObject<Stripe.Account.Requirements>({
    currently_due: [...MISSING_DETAILS],
    past_due: [...MISSING_DETAILS],
    eventually_due: [...MISSING_DETAILS],
    pending_verification: [],
    disabled_reason: 'requirements.past_due',
    errors: [],
    current_deadline: null,
  });
}

/** A recurring EUR price for one plan of the catalogue. */
export function buildPrice(plan: PlanPrice, created: number): Stripe.Price {
  return stripeObject<Stripe.Price>({
    id: plan.stripePriceId,
    object: 'price',
    active: true,
    currency: plan.currency,
    unit_amount: plan.amount,
    unit_amount_decimal: String(plan.amount),
    type: 'recurring',
    billing_scheme: 'per_unit',
    tax_behavior: 'exclusive',
    recurring: {
      interval: plan.billingCycle === 'monthly' ? 'month' : 'year',
      interval_count: 1,
      usage_type: 'licensed',
    },
    lookup_key: plan.lookupKey,
    nickname: `${plan.plan} ${plan.billingCycle}`,
    product: `prod_sandbox_${plan.plan}`,
    metadata: { plan: plan.plan, billingCycle: plan.billingCycle },
    livemode: false,
    created,
  });
}

export interface EndpointFields {
  url: string;
  enabledEvents: string[];
  description: string | null;
  metadata: Record<string, string>;
  created: number;
}

/** A webhook endpoint as lists and reads show it (no secret). */
export function buildEndpoint(fields: EndpointFields): Stripe.WebhookEndpoint {
  return stripeObject<Stripe.WebhookEndpoint>({
    id: prefixedId('we'),
    object: 'webhook_endpoint',
    url: fields.url,
    enabled_events: fields.enabledEvents,
    description: fields.description,
    metadata: fields.metadata,
    status: 'enabled',
    api_version: null,
    application: null,
    created: fields.created,
    livemode: false,
  });
}

export interface SessionFields {
  plan: PlanPrice;
  quantity: number;
  successUrl: string;
  cancelUrl: string | null;
  clientReferenceId: string | null;
  metadata: Record<string, string>;
  created: number;
  expiresAt: number;
  pageUrl: (sessionId: string) => string;
}

/** An open subscription-mode session. */
export function buildSession(fields: SessionFields): Stripe.Checkout.Session {
  const id = prefixedId('cs_test', 58);
  const net = fields.plan.amount * fields.quantity;
  return stripeObject<Stripe.Checkout.Session>({
    id,
    object: 'checkout.session',
    mode: 'subscription',
    status: 'open',
    payment_status: 'unpaid',
    ui_mode: 'hosted_page' as Stripe.Checkout.Session.UiMode,
    url: fields.pageUrl(id),
    success_url: fields.successUrl,
    cancel_url: fields.cancelUrl,
    client_reference_id: fields.clientReferenceId,
    metadata: fields.metadata,
    currency: 'eur',
    amount_subtotal: net,
    amount_total: grossOf(net),
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: vatOf(net) },
    customer: null,
    customer_email: null,
    subscription: null,
    invoice: null,
    payment_intent: null,
    livemode: false,
    created: fields.created,
    expires_at: fields.expiresAt,
  });
}

/** A customer made at payment. */
export function buildCustomer(
  email: string,
  created: number,
  metadata: Record<string, string>,
): Stripe.Customer {
  return stripeObject<Stripe.Customer>({
    id: prefixedId('cus', 14),
    object: 'customer',
    email,
    name: null,
    created,
    currency: 'eur',
    livemode: false,
    metadata,
  });
}

export interface SubscriptionFields {
  customerId: string;
  plan: PlanPrice;
  price: Stripe.Price;
  quantity: number;
  metadata: Record<string, string>;
  created: number;
  paymentMethodId: string;
}

/** A subscription in `incomplete` state; payment makes it active. */
export function buildSubscription(fields: SubscriptionFields): Stripe.Subscription {
  const id = prefixedId('sub', 24);
  const periodEnd = addPeriod(fields.created, fields.plan.billingCycle);
  return stripeObject<Stripe.Subscription>({
    id,
    object: 'subscription',
    status: 'incomplete',
    customer: fields.customerId,
    currency: 'eur',
    collection_method: 'charge_automatically',
    default_payment_method: fields.paymentMethodId,
    cancel_at_period_end: false,
    items: {
      object: 'list',
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
      data: [
        {
          id: prefixedId('si', 14),
          object: 'subscription_item',
          price: fields.price,
          quantity: fields.quantity,
          subscription: id,
          created: fields.created,
          current_period_start: fields.created,
          current_period_end: periodEnd,
          metadata: {},
        },
      ],
    },
    latest_invoice: null,
    metadata: fields.metadata,
    livemode: false,
    created: fields.created,
    start_date: fields.created,
  });
}

/** When a period starting at `start` (unix seconds) ends. */
export function addPeriod(start: number, cycle: PlanPrice['billingCycle']): number {
  const date = new Date(start * 1000);
  if (cycle === 'monthly') date.setUTCMonth(date.getUTCMonth() + 1);
  else date.setUTCFullYear(date.getUTCFullYear() + 1);
  return Math.floor(date.getTime() / 1000);
}

export interface InvoiceFields {
  customerId: string;
  subscription: Stripe.Subscription;
  plan: PlanPrice;
  quantity: number;
  created: number;
}

/** A draft invoice for the subscription's first period. */
export function buildInvoice(fields: InvoiceFields): Stripe.Invoice {
  const net = fields.plan.amount * fields.quantity;
  return stripeObject<Stripe.Invoice>({
    id: prefixedId('in', 24),
    object: 'invoice',
    status: 'draft',
    customer: fields.customerId,
    currency: 'eur',
    subtotal: net,
    total: grossOf(net),
    amount_due: grossOf(net),
    amount_paid: 0,
    amount_remaining: grossOf(net),
    billing_reason: 'subscription_create',
    collection_method: 'charge_automatically',
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: {
        subscription: fields.subscription.id,
        metadata: fields.subscription.metadata,
      },
    },
    period_start: fields.created,
    period_end: fields.created,
    status_transitions: {
      finalized_at: null,
      paid_at: null,
      marked_uncollectible_at: null,
      voided_at: null,
    },
    livemode: false,
    created: fields.created,
    metadata: {},
  });
}
