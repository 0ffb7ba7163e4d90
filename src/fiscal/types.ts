/**
 * Shapes the fiscal validator reads and returns. The document shape is the one
 * in Beacon's contract; the context carries what only the rest of the run knows.
 */
import type { components } from '../beacon/schema.generated.js';
import type { FiscalRuleId } from './rules.js';

export type FiscalDocument = components['schemas']['FiscalDocument'];

/** What Stripe charged for the invoice the document covers. */
export interface ChargedAmount {
  /** Minor units of `currency`, as Stripe reports amounts. */
  amount: number;
  currency: string;
  /** EUR per unit of `currency`; needed when the currency is not EUR. */
  eurRate?: number;
  /** ISO 8601 date-time of the payment. */
  paidAt?: string;
}

export interface FiscalContext {
  /** Overrides `doc.charged` when given. */
  charged?: ChargedAmount;
  /** Earlier documents of the same series, for the consecutive-numbering rule. */
  previous?: FiscalDocument[];
}

export type FindingSeverity = 'error' | 'warning';

export interface FiscalFinding {
  rule: FiscalRuleId;
  severity: FindingSeverity;
  /** Path of the offending field, e.g. `buyer.taxId`, `qr.O`, `taxBands[0].tax`. */
  field: string;
  /** The offending value as found (empty when the field is missing). */
  value: string;
  /** One sentence naming the field, the rule and the value. */
  message: string;
}
