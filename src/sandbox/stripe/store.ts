/** The Stripe emulator's state: one ledger per account, plus the shared price list. */
import type Stripe from 'stripe';

export interface EndpointRecord {
  endpoint: Stripe.WebhookEndpoint;
  /** The signing secret; shown to the API only in the creation response. */
  secret: string;
  /** Registered by Beacon itself (its intake), not through the API. */
  ownedByBeacon: boolean;
}

export interface DeliveryState {
  attempts: number;
  succeeded: boolean;
  lastStatus: number | null;
}

export interface EventRecord {
  event: Stripe.Event;
  /** Per endpoint id. */
  deliveries: Map<string, DeliveryState>;
}

export interface AccountLedger {
  account: Stripe.Account;
  secretKey: string;
  endpoints: Map<string, EndpointRecord>;
  sessions: Map<string, Stripe.Checkout.Session>;
  customers: Map<string, Stripe.Customer>;
  subscriptions: Map<string, Stripe.Subscription>;
  invoices: Map<string, Stripe.Invoice>;
  /** What each session sells (Stripe keeps line items apart from the session). */
  sessionItems: Map<string, { priceId: string; quantity: number }>;
  /** Oldest first; lists reverse it. */
  events: EventRecord[];
}

export class StripeStore {
  readonly ledgers = new Map<string, AccountLedger>();
  /** Shared by every account (real Stripe keeps prices per account; no check here needs that). */
  readonly prices = new Map<string, Stripe.Price>();
  private readonly byKey = new Map<string, string>();

  /** Adds an account reachable with `secretKey`. */
  addAccount(account: Stripe.Account, secretKey: string): AccountLedger {
    const ledger: AccountLedger = {
      account,
      secretKey,
      endpoints: new Map(),
      sessions: new Map(),
      customers: new Map(),
      subscriptions: new Map(),
      invoices: new Map(),
      sessionItems: new Map(),
      events: [],
    };
    this.ledgers.set(account.id, ledger);
    this.byKey.set(secretKey, account.id);
    return ledger;
  }

  /** The ledger a secret key belongs to. */
  ledgerForKey(secretKey: string): AccountLedger | undefined {
    const accountId = this.byKey.get(secretKey);
    return accountId === undefined ? undefined : this.ledgers.get(accountId);
  }

  /** The ledger of an account id. */
  ledger(accountId: string): AccountLedger | undefined {
    return this.ledgers.get(accountId);
  }

  /** The ledger holding a checkout session, with the session. */
  findSession(
    sessionId: string,
  ): { ledger: AccountLedger; session: Stripe.Checkout.Session } | undefined {
    for (const ledger of this.ledgers.values()) {
      const session = ledger.sessions.get(sessionId);
      if (session) return { ledger, session };
    }
    return undefined;
  }

  /** Totals across accounts, for the inspect endpoint. */
  totals(): {
    checkouts: number;
    subscriptions: number;
    webhookEndpoints: number;
    events: number;
  } {
    const sum = { checkouts: 0, subscriptions: 0, webhookEndpoints: 0, events: 0 };
    for (const ledger of this.ledgers.values()) {
      sum.checkouts += ledger.sessions.size;
      sum.subscriptions += ledger.subscriptions.size;
      sum.webhookEndpoints += ledger.endpoints.size;
      sum.events += ledger.events.length;
    }
    return sum;
  }
}
