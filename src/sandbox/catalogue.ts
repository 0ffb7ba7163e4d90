/** Beacon's plan catalogue as the sandbox sells it, and the VAT it adds. */
export type BillingCycle = 'monthly' | 'yearly';

export interface PlanPrice {
  plan: string;
  billingCycle: BillingCycle;
  /** EUR cents, VAT excluded. */
  amount: number;
  currency: 'eur';
  /** The emulator's Stripe price id. */
  stripePriceId: string;
  lookupKey: string;
}

/** Mainland Portugal's normal VAT rate, in percent. */
export const VAT_RATE_PERCENT = 23;

const PLANS: ReadonlyArray<Omit<PlanPrice, 'stripePriceId' | 'lookupKey' | 'currency'>> =
  [
    { plan: 'plus', billingCycle: 'monthly', amount: 2900 },
    { plan: 'plus', billingCycle: 'yearly', amount: 29000 },
    { plan: 'basic', billingCycle: 'monthly', amount: 900 },
    { plan: 'basic', billingCycle: 'yearly', amount: 9000 },
  ];

/** The catalogue with stable price ids (they are public, not secrets). */
export const PLAN_CATALOGUE: readonly PlanPrice[] = PLANS.map((p) => ({
  ...p,
  currency: 'eur',
  lookupKey: `${p.plan}_${p.billingCycle}`,
  stripePriceId: `price_sandbox_${p.plan}_${p.billingCycle}`,
}));

/** The plan for a plan name and cycle, or undefined. */
export function findPlan(plan: string, billingCycle: string): PlanPrice | undefined {
  return PLAN_CATALOGUE.find((p) => p.plan === plan && p.billingCycle === billingCycle);
}

/** The plan behind a Stripe price id, or undefined. */
export function planForPrice(priceId: string): PlanPrice | undefined {
  return PLAN_CATALOGUE.find((p) => p.stripePriceId === priceId);
}

/** VAT in cents for a net amount in cents, rounded to the cent. */
export function vatOf(netCents: number): number {
  return Math.round((netCents * VAT_RATE_PERCENT) / 100);
}

/** What the customer pays: net plus VAT, in cents. */
export function grossOf(netCents: number): number {
  return netCents + vatOf(netCents);
}
