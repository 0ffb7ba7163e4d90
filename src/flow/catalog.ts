/**
 * The stable ids and titles of the five steps and their checks. JSON, JUnit,
 * tests and docs all refer to these ids: never rename one.
 */
import type { StepId } from '../report/model.js';

export interface StepDefinition {
  id: StepId;
  title: string;
  checks: ReadonlyArray<{ id: string; title: string }>;
}

export const STEPS: ReadonlyArray<StepDefinition> = [
  {
    id: 'connect',
    title: 'Connect Stripe',
    checks: [
      { id: 'connect.token', title: 'Beacon token accepted with the integration scope' },
      { id: 'connect.test-mode', title: 'Stripe key, account and Beacon mode are test' },
      { id: 'connect.account', title: 'Organization connected to a Standard account' },
      { id: 'connect.charges-enabled', title: 'Account can accept charges' },
      { id: 'connect.details-submitted', title: 'Account details submitted' },
      { id: 'connect.requirements', title: 'No requirements due or past due' },
    ],
  },
  {
    id: 'webhooks',
    title: 'Configure webhooks',
    checks: [
      { id: 'webhooks.public-url', title: 'Webhook URL is safe and reachable' },
      { id: 'webhooks.round-trip', title: 'A probe through the URL arrives intact' },
      { id: 'webhooks.endpoint', title: 'Temporary Stripe endpoint registered' },
      { id: 'webhooks.secret-vaulted', title: 'Signing secret stored in the vault' },
      { id: 'webhooks.signature', title: 'Signatures verified; forgeries rejected' },
      { id: 'webhooks.clock-skew', title: 'Local clock agrees with the servers' },
      { id: 'webhooks.beacon-intake', title: "Beacon's intake endpoints registered" },
      {
        id: 'webhooks.stale-endpoints',
        title: 'No leftover endpoints; room under the cap',
      },
    ],
  },
  {
    id: 'checkout',
    title: 'Create checkout',
    checks: [
      { id: 'checkout.created', title: 'Checkout created with an Idempotency-Key' },
      { id: 'checkout.idempotent', title: 'Same key and body return the same session' },
      { id: 'checkout.session-open', title: 'Stripe shows the session open' },
      { id: 'checkout.redirect', title: 'Payer sent to the checkout page' },
    ],
  },
  {
    id: 'confirm',
    title: 'Confirm outcome',
    checks: [
      { id: 'confirm.return', title: 'Return callback arrived with the session' },
      {
        id: 'confirm.session-complete',
        title: 'Stripe shows the session complete and paid',
      },
      { id: 'confirm.subscription', title: 'Beacon confirmed an active subscription' },
      { id: 'confirm.events-received', title: 'Required events arrived, verified' },
      { id: 'confirm.events-processed', title: 'Beacon processed the same events' },
    ],
  },
  {
    id: 'operations',
    title: 'Validate operations',
    checks: [
      { id: 'operations.health', title: 'Beacon services up' },
      { id: 'operations.dashboard-state', title: 'Dashboard state matches Stripe' },
      { id: 'operations.fiscal-setup', title: 'Fiscal setup ready' },
      { id: 'operations.fiscal-document', title: 'Fiscal document meets the PT rules' },
      { id: 'operations.metrics', title: 'Error rates and backlog within targets' },
      { id: 'operations.alerts', title: 'No open critical alerts' },
    ],
  },
];

export const ALL_CHECK_IDS: readonly string[] = STEPS.flatMap((s) =>
  s.checks.map((c) => c.id),
);

/** The events the flow waits for after payment; Stripe sends them in no order. */
export const REQUIRED_EVENTS = [
  'checkout.session.completed',
  'customer.subscription.created',
  'invoice.paid',
  'invoice.payment_succeeded',
] as const;

/** Events the temporary endpoint subscribes to (required plus useful context). */
export const SUBSCRIBED_EVENTS = [
  ...REQUIRED_EVENTS,
  'customer.subscription.updated',
  'checkout.session.expired',
  'invoice.payment_failed',
] as const;

export function checkTitle(id: string): string {
  for (const step of STEPS) {
    const found = step.checks.find((c) => c.id === id);
    if (found) return found.title;
  }
  return id;
}
