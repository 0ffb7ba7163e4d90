/** Issuing the fiscal document for a subscription's first paid invoice. */
import { issueFiscalDocument } from '../fiscal-issuer.js';
import type { BeaconDeps } from './deps.js';
import type { BeaconOrg } from './state.js';
import { addTimeline } from './subscriptions.js';

/** Issues once per first paid invoice; later calls for the same invoice do nothing. */
export function issueForInvoice(
  org: BeaconOrg,
  invoiceId: string,
  deps: BeaconDeps,
): void {
  if (org.invoicedIds.has(invoiceId)) return;
  const invoice = deps.stripe.store.ledger(org.stripeAccountId)?.invoices.get(invoiceId);
  if (!invoice || invoice.status !== 'paid') return;
  if (invoice.billing_reason !== 'subscription_create') return;
  const subscriptionId = invoice.parent?.subscription_details?.subscription;
  if (typeof subscriptionId !== 'string') return;
  org.invoicedIds.add(invoiceId);
  const paidAt = (invoice.status_transitions.paid_at ?? deps.clock.nowSeconds()) * 1000;
  const document = issueFiscalDocument(
    {
      profile: org.issuer,
      stripeInvoiceId: invoice.id,
      subscriptionId,
      netCents: invoice.subtotal,
      chargedCents: invoice.amount_paid,
      paidAt: new Date(paidAt),
      ...(deps.brokenFiscalRule ? { broken: deps.brokenFiscalRule } : {}),
    },
    deps.random,
  );
  org.documents.push(document);
  const record = org.subscriptions.get(subscriptionId);
  if (record) addTimeline(record, 'fiscal.document.issued', null, deps);
  deps.log(`beacon: issued fiscal document ${document.number} for ${invoice.id}`);
}
