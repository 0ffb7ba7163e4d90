/** The Stripe endpoints the product calls, one small function each. */
import type Stripe from 'stripe';

import { planForPrice } from '../catalogue.js';
import type { StripeEmulator } from './emulator.js';
import { MAX_ENDPOINTS_PER_ACCOUNT } from './emulator.js';
import { StripeHttpError, invalidParam, missingParam, noSuch } from './errors.js';
import { deliveryFailed } from './events.js';
import type { Params } from './forms.js';
import {
  listPage,
  metadataParam,
  objectList,
  optionalInteger,
  optionalString,
  requiredString,
  stringList,
} from './forms.js';
import type { AccountLedger, EndpointRecord } from './store.js';

export interface StripeCall {
  ledger: AccountLedger;
  emulator: StripeEmulator;
  params: Params;
  query: Params;
  /** Path captures, e.g. the object id. */
  ids: string[];
  idempotencyKey: string | undefined;
  /** Waits a little, as real processing does; lets concurrent retries overlap. */
  work(): Promise<void>;
}

export interface StripeResult {
  status: number;
  body: unknown;
}

const ok = (body: unknown): StripeResult => ({ status: 200, body });

function id(call: StripeCall): string {
  return call.ids[0] ?? '';
}

/** GET /v1/account */
export function getOwnAccount(call: StripeCall): StripeResult {
  return ok(call.ledger.account);
}

/** GET /v1/accounts/:id (only the key's own account is visible). */
export function getAccount(call: StripeCall): StripeResult {
  if (id(call) !== call.ledger.account.id) throw noSuch('account', id(call));
  return ok(call.ledger.account);
}

function endpointOf(call: StripeCall): EndpointRecord {
  const record = call.ledger.endpoints.get(id(call));
  if (!record) throw noSuch('webhook endpoint', id(call));
  return record;
}

/** POST /v1/webhook_endpoints — the only answer that carries the secret. */
export function createEndpoint(call: StripeCall): StripeResult {
  const url = requiredString(call.params, 'url');
  if (!URL.canParse(url)) throw invalidParam('url', 'must be an absolute URL.');
  const enabledEvents = stringList(call.params, 'enabled_events');
  if (!enabledEvents || enabledEvents.length === 0) throw missingParam('enabled_events');
  if (call.ledger.endpoints.size >= MAX_ENDPOINTS_PER_ACCOUNT) {
    throw new StripeHttpError(
      400,
      'invalid_request_error',
      `This account already has ${MAX_ENDPOINTS_PER_ACCOUNT} webhook endpoints, the most allowed.`,
      'webhook_endpoint_limit_reached',
    );
  }
  const record = call.emulator.addEndpoint(call.ledger, {
    url,
    enabledEvents,
    description: optionalString(call.params, 'description') ?? null,
    metadata: metadataParam(call.params) ?? {},
    ownedByBeacon: false,
  });
  return ok({ ...record.endpoint, secret: record.secret });
}

/** GET /v1/webhook_endpoints */
export function listEndpoints(call: StripeCall): StripeResult {
  const all = [...call.ledger.endpoints.values()].map((r) => r.endpoint).reverse();
  return ok(listPage(all, call.query, '/v1/webhook_endpoints'));
}

/** GET /v1/webhook_endpoints/:id */
export function getEndpoint(call: StripeCall): StripeResult {
  return ok(endpointOf(call).endpoint);
}

/** POST /v1/webhook_endpoints/:id */
export function updateEndpoint(call: StripeCall): StripeResult {
  const { endpoint } = endpointOf(call);
  const url = optionalString(call.params, 'url');
  if (url !== undefined && !URL.canParse(url))
    throw invalidParam('url', 'must be an absolute URL.');
  if (url !== undefined) endpoint.url = url;
  const events = stringList(call.params, 'enabled_events');
  if (events !== undefined) endpoint.enabled_events = events;
  const description = optionalString(call.params, 'description');
  if (description !== undefined) endpoint.description = description || null;
  const disabled = optionalString(call.params, 'disabled');
  if (disabled !== undefined)
    endpoint.status = disabled === 'true' ? 'disabled' : 'enabled';
  mergeMetadata(endpoint.metadata, metadataParam(call.params));
  return ok(endpoint);
}

function mergeMetadata(
  target: Stripe.Metadata,
  changes: Record<string, string> | undefined,
): void {
  if (!changes) return;
  for (const [key, value] of Object.entries(changes)) {
    if (value === '') delete target[key];
    else target[key] = value;
  }
}

/** DELETE /v1/webhook_endpoints/:id */
export function deleteEndpoint(call: StripeCall): StripeResult {
  const { endpoint } = endpointOf(call);
  call.ledger.endpoints.delete(endpoint.id);
  return ok({ id: endpoint.id, object: 'webhook_endpoint', deleted: true });
}

function sessionOf(call: StripeCall): Stripe.Checkout.Session {
  const session = call.ledger.sessions.get(id(call));
  if (!session) throw noSuch('checkout.session', id(call));
  call.emulator.refreshExpiry(call.ledger, session);
  return session;
}

/** POST /v1/checkout/sessions (subscription mode only, one recurring price). */
export async function createSession(call: StripeCall): Promise<StripeResult> {
  const { params } = call;
  const mode = requiredString(params, 'mode');
  if (mode !== 'subscription')
    throw invalidParam('mode', 'the sandbox sells subscriptions only.');
  const line = objectList(params, 'line_items')?.[0];
  if (!line) throw missingParam('line_items');
  const priceId = requiredString(line, 'price');
  const plan = planForPrice(priceId);
  if (!plan)
    throw new StripeHttpError(
      400,
      'invalid_request_error',
      `No such price: '${priceId}'`,
      'resource_missing',
      'line_items[0][price]',
    );
  const quantity = optionalInteger(line, 'quantity') ?? 1;
  if (quantity < 1) throw invalidParam('line_items[0][quantity]', 'must be at least 1.');
  const expiresAt = checkExpiry(call, optionalInteger(params, 'expires_at'));
  await call.work();
  const session = call.emulator.createSession(call.ledger, {
    plan,
    quantity,
    successUrl: requiredString(params, 'success_url'),
    cancelUrl: optionalString(params, 'cancel_url') ?? null,
    clientReferenceId: optionalString(params, 'client_reference_id') ?? null,
    metadata: metadataParam(params) ?? {},
    expiresAt: expiresAt ?? null,
  });
  return ok(session);
}

/** Stripe accepts an expiry from 30 minutes to 24 hours ahead. */
function checkExpiry(
  call: StripeCall,
  expiresAt: number | undefined,
): number | undefined {
  if (expiresAt === undefined) return undefined;
  const ahead = expiresAt - call.emulator.clock.nowSeconds();
  if (ahead < 30 * 60 - 5 || ahead > 24 * 3600 + 5) {
    throw invalidParam('expires_at', 'must be between 30 minutes and 24 hours from now.');
  }
  return expiresAt;
}

/** GET /v1/checkout/sessions/:id */
export function getSession(call: StripeCall): StripeResult {
  return ok(sessionOf(call));
}

/** GET /v1/checkout/sessions (filters: status, subscription, customer) */
export function listSessions(call: StripeCall): StripeResult {
  const filters = ['status', 'subscription', 'customer'] as const;
  const all = [...call.ledger.sessions.values()].reverse().filter((session) => {
    call.emulator.refreshExpiry(call.ledger, session);
    return filters.every((name) => {
      const wanted = optionalString(call.query, name);
      return wanted === undefined || session[name] === wanted;
    });
  });
  return ok(listPage(all, call.query, '/v1/checkout/sessions'));
}

/** POST /v1/checkout/sessions/:id/expire */
export function expireSession(call: StripeCall): StripeResult {
  const session = sessionOf(call);
  if (session.status !== 'open') {
    throw new StripeHttpError(
      400,
      'invalid_request_error',
      `Only an open session can be expired; this one is ${session.status}.`,
      'checkout_session_not_open',
    );
  }
  call.emulator.expireSession(call.ledger, session);
  return ok(session);
}

/** GET /v1/customers/:id */
export function getCustomer(call: StripeCall): StripeResult {
  const customer = call.ledger.customers.get(id(call));
  if (!customer) throw noSuch('customer', id(call));
  return ok(customer);
}

/** GET /v1/subscriptions/:id */
export function getSubscription(call: StripeCall): StripeResult {
  const subscription = call.ledger.subscriptions.get(id(call));
  if (!subscription) throw noSuch('subscription', id(call));
  return ok(subscription);
}

/** GET /v1/subscriptions (filters: customer, status) */
export function listSubscriptions(call: StripeCall): StripeResult {
  const customer = optionalString(call.query, 'customer');
  const status = optionalString(call.query, 'status');
  const all = [...call.ledger.subscriptions.values()].reverse().filter((s) => {
    if (customer !== undefined && s.customer !== customer) return false;
    return status === undefined || status === 'all' || s.status === status;
  });
  return ok(listPage(all, call.query, '/v1/subscriptions'));
}

/** GET /v1/invoices/:id */
export function getInvoice(call: StripeCall): StripeResult {
  const invoice = call.ledger.invoices.get(id(call));
  if (!invoice) throw noSuch('invoice', id(call));
  return ok(invoice);
}

/** GET /v1/invoices (filters: subscription, customer, status) */
export function listInvoices(call: StripeCall): StripeResult {
  const subscription = optionalString(call.query, 'subscription');
  const customer = optionalString(call.query, 'customer');
  const status = optionalString(call.query, 'status');
  const all = [...call.ledger.invoices.values()].reverse().filter((invoice) => {
    const owner = invoice.parent?.subscription_details?.subscription;
    if (subscription !== undefined && owner !== subscription) return false;
    if (customer !== undefined && invoice.customer !== customer) return false;
    return status === undefined || invoice.status === status;
  });
  return ok(listPage(all, call.query, '/v1/invoices'));
}

/** GET /v1/events (filters: type with `*` wildcards, types[], delivery_success) */
export function listEvents(call: StripeCall): StripeResult {
  const type = optionalString(call.query, 'type');
  const types = stringList(call.query, 'types');
  const success = optionalString(call.query, 'delivery_success');
  const all = [...call.ledger.events].reverse().filter((record) => {
    if (type !== undefined && !typeMatches(type, record.event.type)) return false;
    if (types !== undefined && !types.includes(record.event.type)) return false;
    if (success === 'false') return deliveryFailed(record);
    if (success === 'true') return !deliveryFailed(record);
    return true;
  });
  return ok(
    listPage(
      all.map((r) => r.event),
      call.query,
      '/v1/events',
    ),
  );
}

function typeMatches(pattern: string, type: string): boolean {
  if (!pattern.includes('*')) return pattern === type;
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`).test(type);
}

function eventOf(call: StripeCall) {
  const record = call.ledger.events.find((r) => r.event.id === id(call));
  if (!record) throw noSuch('event', id(call));
  return record;
}

/** GET /v1/events/:id */
export function getEvent(call: StripeCall): StripeResult {
  return ok(eventOf(call).event);
}

/** POST /v1/events/:id/retry — resends to the endpoints that have not acknowledged it. */
export function retryEvent(call: StripeCall): StripeResult {
  const record = eventOf(call);
  call.emulator.deliveries.redeliver(call.ledger, record);
  return ok(record.event);
}

/** GET /v1/prices/:id */
export function getPrice(call: StripeCall): StripeResult {
  const price = call.emulator.store.prices.get(id(call));
  if (!price) throw noSuch('price', id(call));
  return ok(price);
}

/** GET /v1/prices (filter: lookup_keys[]) */
export function listPrices(call: StripeCall): StripeResult {
  const keys = stringList(call.query, 'lookup_keys');
  const all = [...call.emulator.store.prices.values()].filter(
    (p) => keys === undefined || (p.lookup_key !== null && keys.includes(p.lookup_key)),
  );
  return ok(listPage(all, call.query, '/v1/prices'));
}
