/** The Stripe emulator's operations, shared by its HTTP routes, Beacon and the pages. */
import type Stripe from 'stripe';

import type { PlanPrice } from '../catalogue.js';
import type { SandboxClock } from '../clock.js';
import type { DeliveryEngine } from './deliveries.js';
import { recordEvent } from './events.js';
import { buildEndpoint, buildSession, clearRequirements } from './objects.js';
import type { PaymentResult } from './payment.js';
import { paySession } from './payment.js';
import { randomId } from '../random.js';
import type { AccountLedger, EndpointRecord, StripeStore } from './store.js';

export const MAX_ENDPOINTS_PER_ACCOUNT = 16;
const DEFAULT_SESSION_LIFETIME_S = 24 * 3600;

export interface SessionRequest {
  plan: PlanPrice;
  quantity: number;
  successUrl: string;
  cancelUrl: string | null;
  clientReferenceId: string | null;
  metadata: Record<string, string>;
  expiresAt: number | null;
}

export interface EndpointRequest {
  url: string;
  enabledEvents: string[];
  description: string | null;
  metadata: Record<string, string>;
  ownedByBeacon: boolean;
}

export class StripeEmulator {
  constructor(
    readonly store: StripeStore,
    readonly deliveries: DeliveryEngine,
    readonly clock: SandboxClock,
    /** e.g. http://127.0.0.1:PORT, known once the server listens. */
    private readonly baseUrl: () => string,
  ) {}

  /** Creates an open session on the ledger. */
  createSession(ledger: AccountLedger, request: SessionRequest): Stripe.Checkout.Session {
    const now = this.clock.nowSeconds();
    const session = buildSession({
      ...request,
      created: now,
      expiresAt: request.expiresAt ?? now + DEFAULT_SESSION_LIFETIME_S,
      pageUrl: (id) => `${this.baseUrl()}/checkout/${id}`,
    });
    ledger.sessions.set(session.id, session);
    ledger.sessionItems.set(session.id, {
      priceId: request.plan.stripePriceId,
      quantity: request.quantity,
    });
    return session;
  }

  /** Expires an open session (explicitly, or because its time has passed). */
  expireSession(ledger: AccountLedger, session: Stripe.Checkout.Session): void {
    if (session.status !== 'open') return;
    session.status = 'expired';
    session.url = null;
    const record = recordEvent(
      ledger,
      { type: 'checkout.session.expired', object: session },
      this.clock,
    );
    this.deliveries.dispatch(ledger, [record]);
  }

  /** Expires the session if its expires_at has passed; call before serving it. */
  refreshExpiry(ledger: AccountLedger, session: Stripe.Checkout.Session): void {
    if (session.status === 'open' && session.expires_at <= this.clock.nowSeconds()) {
      this.expireSession(ledger, session);
    }
  }

  /** Pays an open session and starts delivering the payment's events. */
  pay(
    ledger: AccountLedger,
    session: Stripe.Checkout.Session,
    email: string,
  ): PaymentResult {
    const result = paySession(this.store, ledger, session, email, this.clock);
    this.deliveries.dispatch(ledger, result.events);
    return result;
  }

  /** Registers an endpoint; the caller checks the cap first. */
  addEndpoint(ledger: AccountLedger, request: EndpointRequest): EndpointRecord {
    const endpoint = buildEndpoint({ ...request, created: this.clock.nowSeconds() });
    const record: EndpointRecord = {
      endpoint,
      secret: `whsec_${randomId(32)}`,
      ownedByBeacon: request.ownedByBeacon,
    };
    ledger.endpoints.set(endpoint.id, record);
    return record;
  }

  /** Finishes onboarding: the account can charge; emits account.updated. */
  completeOnboarding(ledger: AccountLedger): void {
    const { account } = ledger;
    if (account.charges_enabled && account.details_submitted) return;
    const previous = {
      charges_enabled: account.charges_enabled,
      payouts_enabled: account.payouts_enabled,
      details_submitted: account.details_submitted,
      requirements: structuredClone(account.requirements),
    };
    account.charges_enabled = true;
    account.payouts_enabled = true;
    account.details_submitted = true;
    account.requirements = clearRequirements();
    account.capabilities = { card_payments: 'active', transfers: 'active' };
    const record = recordEvent(
      ledger,
      { type: 'account.updated', object: account, previousAttributes: previous },
      this.clock,
    );
    this.deliveries.dispatch(ledger, [record]);
  }
}
