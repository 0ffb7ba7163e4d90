/** What Beacon keeps per organization, and across them. */
import type { components } from '../../beacon/schema.generated.js';
import type { FiscalDocument, IssuerProfile } from '../fiscal-issuer.js';

export type SubscriptionRecord = components['schemas']['Subscription'];
export type WebhookEventRecord = components['schemas']['WebhookEventRecord'];
export type Alert = components['schemas']['Alert'];

/** The two intake paths Beacon registers at Stripe. */
export const INTAKE_PATHS = ['/webhooks/stripe', '/webhooks/stripe/billing'] as const;
export type IntakePath = (typeof INTAKE_PATHS)[number];

export interface OnboardingLinkRecord {
  accountId: string;
  returnUrl: string;
  expiresAtMs: number;
}

export interface BeaconOrg {
  organizationId: string;
  accessToken: string;
  stripeAccountId: string;
  connected: boolean;
  /** Signing secrets of the intake endpoints Beacon registered, by path. */
  intakeSecrets: Map<IntakePath, string>;
  subscriptions: Map<string, SubscriptionRecord>;
  events: Map<string, WebhookEventRecord>;
  documents: FiscalDocument[];
  /** Invoices a document was already issued for. */
  invoicedIds: Set<string>;
  alerts: Alert[];
  issuer: IssuerProfile;
}

export interface IntakeOutcome {
  atMs: number;
  ok: boolean;
}

export class BeaconState {
  readonly orgs = new Map<string, BeaconOrg>();
  readonly onboardingLinks = new Map<string, OnboardingLinkRecord>();
  readonly intakeLog: IntakeOutcome[] = [];
  private readonly byToken = new Map<string, string>();

  /** Adds an organization reachable with its access token. */
  add(org: BeaconOrg): void {
    this.orgs.set(org.organizationId, org);
    this.byToken.set(org.accessToken, org.organizationId);
  }

  /** The organization of an access token. */
  orgForToken(token: string): BeaconOrg | undefined {
    const id = this.byToken.get(token);
    return id === undefined ? undefined : this.orgs.get(id);
  }

  /** The organization connected to a Stripe account. */
  orgForAccount(accountId: string): BeaconOrg | undefined {
    for (const org of this.orgs.values())
      if (org.stripeAccountId === accountId) return org;
    return undefined;
  }

  /** Fiscal documents across organizations, for the inspect counts. */
  documentCount(): number {
    let sum = 0;
    for (const org of this.orgs.values()) sum += org.documents.length;
    return sum;
  }
}
