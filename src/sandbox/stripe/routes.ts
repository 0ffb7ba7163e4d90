/** HTTP front of the Stripe emulator: auth, faults, idempotency, then the handler. */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { SandboxClock } from '../clock.js';
import type { FlakyPattern, ScenarioFaults } from '../faults.js';
import type { Headers } from '../http.js';
import { bearerToken, header, readBody, sendJson } from '../http.js';
import type { IdempotencyStore } from '../idempotency.js';
import { fingerprintOf } from '../idempotency.js';
import { prefixedId } from '../random.js';
import type { TaskScope } from '../tasks.js';
import type { StripeEmulator } from './emulator.js';
import { StripeHttpError } from './errors.js';
import type { Params } from './forms.js';
import { parseForm } from './forms.js';
import * as h from './handlers.js';
import type { StripeCall, StripeResult } from './handlers.js';
import type { AccountLedger } from './store.js';

type Handler = (call: StripeCall) => StripeResult | Promise<StripeResult>;

interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: RegExp;
  handler: Handler;
}

const ID = '([A-Za-z0-9_]+)';

const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/v1\/account$/, handler: h.getOwnAccount },
  { method: 'GET', pattern: new RegExp(`^/v1/accounts/${ID}$`), handler: h.getAccount },
  { method: 'POST', pattern: /^\/v1\/webhook_endpoints$/, handler: h.createEndpoint },
  { method: 'GET', pattern: /^\/v1\/webhook_endpoints$/, handler: h.listEndpoints },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/webhook_endpoints/${ID}$`),
    handler: h.getEndpoint,
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v1/webhook_endpoints/${ID}$`),
    handler: h.updateEndpoint,
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/v1/webhook_endpoints/${ID}$`),
    handler: h.deleteEndpoint,
  },
  { method: 'POST', pattern: /^\/v1\/checkout\/sessions$/, handler: h.createSession },
  { method: 'GET', pattern: /^\/v1\/checkout\/sessions$/, handler: h.listSessions },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/checkout/sessions/${ID}$`),
    handler: h.getSession,
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v1/checkout/sessions/${ID}/expire$`),
    handler: h.expireSession,
  },
  { method: 'GET', pattern: new RegExp(`^/v1/customers/${ID}$`), handler: h.getCustomer },
  { method: 'GET', pattern: /^\/v1\/subscriptions$/, handler: h.listSubscriptions },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/subscriptions/${ID}$`),
    handler: h.getSubscription,
  },
  { method: 'GET', pattern: /^\/v1\/invoices$/, handler: h.listInvoices },
  { method: 'GET', pattern: new RegExp(`^/v1/invoices/${ID}$`), handler: h.getInvoice },
  { method: 'GET', pattern: /^\/v1\/events$/, handler: h.listEvents },
  { method: 'GET', pattern: new RegExp(`^/v1/events/${ID}$`), handler: h.getEvent },
  {
    method: 'POST',
    pattern: new RegExp(`^/v1/events/${ID}/retry$`),
    handler: h.retryEvent,
  },
  { method: 'GET', pattern: /^\/v1\/prices$/, handler: h.listPrices },
  { method: 'GET', pattern: new RegExp(`^/v1/prices/${ID}$`), handler: h.getPrice },
];

/** Simulated processing time of a mutating call, so concurrent retries can overlap. */
const WORK_MS = 25;

export interface StripeRouteDeps {
  emulator: StripeEmulator;
  faults: ScenarioFaults;
  flaky: FlakyPattern;
  idempotency: IdempotencyStore;
  clock: SandboxClock;
  scope: TaskScope;
  log: (line: string) => void;
}

interface Incoming {
  method: string;
  path: string;
  params: Params;
  query: Params;
  key: string | undefined;
  fingerprint: string;
}

/** Serves one /v1 request. */
export async function handleStripe(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: StripeRouteDeps,
): Promise<void> {
  const requestId = prefixedId('req', 14);
  const base: Headers = { 'Request-Id': requestId, Date: deps.clock.httpDate() };
  const send = (result: StripeResult, extra: Headers = {}): void =>
    sendJson(res, result.status, result.body, { ...base, ...extra });
  try {
    const incoming = await readIncoming(req, url);
    const result = await serve(incoming, bearerToken(req), deps);
    const echo: Headers = incoming.key ? { 'Idempotency-Key': incoming.key } : {};
    send(result.response, { ...echo, ...result.headers });
    deps.log(
      `stripe: ${incoming.method} ${incoming.path} ${result.response.status} ${requestId}`,
    );
  } catch (error) {
    if (!(error instanceof StripeHttpError)) throw error;
    send({ status: error.status, body: error.body() });
  }
}

async function readIncoming(req: IncomingMessage, url: URL): Promise<Incoming> {
  const method = req.method ?? 'GET';
  const raw = method === 'GET' ? '' : (await readBody(req)).toString('utf8');
  const params = parseForm(raw);
  const key = header(req, 'idempotency-key');
  return {
    method,
    path: url.pathname,
    params,
    query: parseForm(url.search.slice(1)),
    key: method === 'POST' ? key : undefined,
    fingerprint: fingerprintOf({ method, path: url.pathname, params }),
  };
}

interface Served {
  response: StripeResult;
  headers: Headers;
}

async function serve(
  incoming: Incoming,
  token: string | undefined,
  deps: StripeRouteDeps,
): Promise<Served> {
  const failure = injectedFailure(incoming, deps);
  if (failure) return failure;
  const ledger =
    token === undefined ? undefined : deps.emulator.store.ledgerForKey(token);
  if (!ledger) return { response: unauthorized(token), headers: {} };
  const match = findRoute(incoming);
  if (!match) return { response: unknownRoute(incoming), headers: {} };
  const call = makeCall(incoming, ledger, match.ids, deps);
  if (incoming.method !== 'POST' || !incoming.key) {
    return { response: await run(match.handler, call), headers: {} };
  }
  return runIdempotent(match.handler, call, incoming, deps);
}

/** Rejected before any work, so nothing is saved under the Idempotency-Key. */
function injectedFailure(incoming: Incoming, deps: StripeRouteDeps): Served | undefined {
  if (!deps.faults.flaky) return undefined;
  const identity = incoming.key ?? incoming.fingerprint;
  const failure = deps.flaky.failureFor(incoming.method, identity);
  if (!failure) return undefined;
  const headers: Headers = { 'Stripe-Should-Retry': 'true' };
  if (failure.retryAfterSeconds)
    headers['Retry-After'] = String(failure.retryAfterSeconds);
  const rateLimited = failure.status === 429;
  const error = new StripeHttpError(
    failure.status,
    rateLimited ? 'rate_limit_error' : 'api_error',
    rateLimited
      ? 'Request rate too high; retry after a pause.'
      : 'Temporary server error; retry.',
    rateLimited ? 'rate_limit' : undefined,
  );
  deps.log(`stripe: injected ${failure.status} on ${incoming.method} ${incoming.path}`);
  return { response: { status: error.status, body: error.body() }, headers };
}

function unauthorized(token: string | undefined): StripeResult {
  const message =
    token === undefined
      ? 'No API key given: send it as a Bearer token in the Authorization header.'
      : 'This API key is not valid here.';
  const error = new StripeHttpError(401, 'invalid_request_error', message);
  return { status: 401, body: error.body() };
}

function unknownRoute(incoming: Incoming): StripeResult {
  const error = new StripeHttpError(
    404,
    'invalid_request_error',
    `No such endpoint: ${incoming.method} ${incoming.path}.`,
  );
  return { status: 404, body: error.body() };
}

function findRoute(incoming: Incoming): { handler: Handler; ids: string[] } | undefined {
  for (const route of ROUTES) {
    if (route.method !== incoming.method) continue;
    const found = route.pattern.exec(incoming.path);
    if (found) return { handler: route.handler, ids: found.slice(1) };
  }
  return undefined;
}

function makeCall(
  incoming: Incoming,
  ledger: AccountLedger,
  ids: string[],
  deps: StripeRouteDeps,
): StripeCall {
  return {
    ledger,
    emulator: deps.emulator,
    params: incoming.params,
    query: incoming.query,
    ids,
    idempotencyKey: incoming.key,
    work: () => new Promise((resolve) => deps.scope.later(WORK_MS, resolve)),
  };
}

async function run(handler: Handler, call: StripeCall): Promise<StripeResult> {
  try {
    return await handler(call);
  } catch (error) {
    if (error instanceof StripeHttpError)
      return { status: error.status, body: error.body() };
    return {
      status: 500,
      body: new StripeHttpError(500, 'api_error', String(error)).body(),
    };
  }
}

/** Stripe's rules: replays of saved answers, 400 on changed params, 409 while running. */
async function runIdempotent(
  handler: Handler,
  call: StripeCall,
  incoming: Incoming,
  deps: StripeRouteDeps,
): Promise<Served> {
  const key = incoming.key ?? '';
  const scope = call.ledger.account.id;
  const outcome = deps.idempotency.begin(scope, key, incoming.fingerprint);
  if (outcome.kind === 'mismatch') return { response: keyMismatch(key), headers: {} };
  if (outcome.kind === 'in-flight') return { response: keyInUse(), headers: {} };
  if (outcome.kind === 'replay') {
    return { response: outcome.saved, headers: { 'Idempotent-Replayed': 'true' } };
  }
  const response = await run(handler, call);
  // Validation failures and conflicts are not saved, so the key can be retried.
  if (response.status === 400 || response.status === 409)
    deps.idempotency.release(scope, key);
  else deps.idempotency.save(scope, key, response);
  return { response, headers: {} };
}

function keyMismatch(key: string): StripeResult {
  const error = new StripeHttpError(
    400,
    'idempotency_error',
    `Idempotency-Key '${key}' was first used with other parameters; a new request needs a new key.`,
  );
  return { status: 400, body: error.body() };
}

function keyInUse(): StripeResult {
  const error = new StripeHttpError(
    409,
    'invalid_request_error',
    'A request with this Idempotency-Key is still being processed; retry shortly.',
    'idempotency_key_in_use',
  );
  return { status: 409, body: error.body() };
}
