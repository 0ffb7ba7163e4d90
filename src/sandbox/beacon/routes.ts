/** HTTP front of the Beacon emulator: intake, auth, scope, faults, then the handler. */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Headers } from '../http.js';
import { bearerToken, header, readBody, sendJson } from '../http.js';
import { fingerprintOf } from '../idempotency.js';
import { prefixedId } from '../random.js';
import * as billing from './billing.js';
import type { BeaconCall, BeaconResult } from './call.js';
import * as connect from './connect.js';
import type { BeaconDeps } from './deps.js';
import { BeaconHttpError } from './errors.js';
import { receiveEvent } from './intake.js';
import * as ops from './operations.js';
import type { IntakePath } from './state.js';
import { INTAKE_PATHS } from './state.js';

type Handler = (call: BeaconCall) => BeaconResult | Promise<BeaconResult>;

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handler: Handler;
  /** Only the token description answers a token without the integration scope. */
  scopeExempt?: boolean;
}

const SEG = '([^/]+)';

const ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/auth\/token$/,
    handler: connect.tokenInfo,
    scopeExempt: true,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/organizations/${SEG}/stripe-connection$`),
    handler: connect.stripeConnection,
  },
  {
    method: 'POST',
    pattern: /^\/connect\/accounts\/onboarding-links$/,
    handler: connect.createOnboardingLink,
  },
  { method: 'GET', pattern: /^\/billing\/plans$/, handler: billing.listPlans },
  {
    method: 'POST',
    pattern: /^\/billing\/subscription-checkouts$/,
    handler: billing.createCheckout,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/billing/subscriptions/${SEG}$`),
    handler: billing.getSubscription,
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/billing/subscriptions/${SEG}/confirm$`),
    handler: billing.confirmSubscription,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/webhooks/events/${SEG}$`),
    handler: getWebhookEvent,
  },
  { method: 'GET', pattern: /^\/fiscal\/setup-state$/, handler: ops.fiscalSetupState },
  { method: 'GET', pattern: /^\/fiscal\/documents$/, handler: ops.fiscalDocuments },
  { method: 'GET', pattern: /^\/health$/, handler: ops.health },
  { method: 'GET', pattern: /^\/metrics\/fiscal$/, handler: ops.fiscalMetrics },
  { method: 'GET', pattern: /^\/metrics\/webhooks$/, handler: ops.webhookMetrics },
  { method: 'GET', pattern: /^\/alerts$/, handler: ops.listAlerts },
];

/** The checkout route: under flaky-api it fails after doing the work, not before. */
const CHECKOUT_PATH = '/billing/subscription-checkouts';

function getWebhookEvent(call: BeaconCall): BeaconResult {
  const id = call.ids[0] ?? '';
  const record = call.org.events.get(id);
  if (!record)
    throw new BeaconHttpError(404, 'not_found', `Event ${id} was never received.`);
  return { status: 200, body: record };
}

/** Serves one /beacon/v1 request; `path` is the part after /beacon/v1. */
export async function handleBeacon(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  url: URL,
  deps: BeaconDeps,
): Promise<void> {
  const requestId = prefixedId('req', 14);
  const base: Headers = { 'X-Request-Id': requestId, Date: deps.clock.httpDate() };
  const method = req.method ?? 'GET';
  try {
    const raw = method === 'POST' ? await readBody(req) : Buffer.alloc(0);
    const result = await dispatch({ req, method, path, url, raw }, deps);
    sendJson(res, result.status, result.body, { ...base, ...(result.headers ?? {}) });
    deps.log(`beacon: ${method} ${path} ${result.status} ${requestId}`);
  } catch (error) {
    if (!(error instanceof BeaconHttpError)) throw error;
    const body = { code: error.code, message: error.message, request_id: requestId };
    sendJson(res, error.status, body, { ...base, ...error.headers });
    deps.log(`beacon: ${method} ${path} ${error.status} ${error.code} ${requestId}`);
  }
}

interface Request {
  req: IncomingMessage;
  method: string;
  path: string;
  url: URL;
  raw: Buffer;
}

async function dispatch(request: Request, deps: BeaconDeps): Promise<BeaconResult> {
  const intake = INTAKE_PATHS.find((p) => p === request.path);
  if (intake && request.method === 'POST') return intakeResult(intake, request, deps);
  const route = findRoute(request);
  if (!route)
    throw new BeaconHttpError(
      404,
      'not_found',
      `No route ${request.method} ${request.path}.`,
    );
  const call = authenticate(request, route.route, route.ids, deps);
  const key = call.idempotencyKey;
  const identity = key ?? fingerprintOf({ path: request.path, body: call.body });
  const failsAfter = request.path === CHECKOUT_PATH;
  if (!failsAfter) throwInjected(request.method, identity, deps);
  const result = await route.route.handler(call);
  if (failsAfter) throwInjected(request.method, identity, deps);
  return result;
}

function intakeResult(
  path: IntakePath,
  request: Request,
  deps: BeaconDeps,
): BeaconResult {
  const ack = receiveEvent(
    path,
    request.raw,
    header(request.req, 'stripe-signature'),
    deps,
  );
  return { status: 200, body: ack };
}

function findRoute(request: Request): { route: Route; ids: string[] } | undefined {
  for (const route of ROUTES) {
    if (route.method !== request.method) continue;
    const found = route.pattern.exec(request.path);
    if (found) return { route, ids: found.slice(1).map(decodeURIComponent) };
  }
  return undefined;
}

function authenticate(
  request: Request,
  route: Route,
  ids: string[],
  deps: BeaconDeps,
): BeaconCall {
  const token = bearerToken(request.req);
  const org = token === undefined ? undefined : deps.state.orgForToken(token);
  if (!org || deps.faults.beaconAuth === 'invalid-token') {
    throw new BeaconHttpError(
      401,
      'invalid_token',
      'The access token is missing, invalid or expired.',
    );
  }
  if (deps.faults.beaconAuth === 'missing-scope' && !route.scopeExempt) {
    throw new BeaconHttpError(
      403,
      'insufficient_scope',
      'The access token lacks the integration scope.',
    );
  }
  return {
    org,
    deps,
    body: parseJson(request),
    query: request.url.searchParams,
    ids,
    idempotencyKey: header(request.req, 'idempotency-key'),
  };
}

function parseJson(request: Request): unknown {
  if (request.method !== 'POST') return undefined;
  const text = request.raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new BeaconHttpError(400, 'invalid_payload', 'body: is not valid JSON');
  }
}

/** flaky-api: a deterministic 429/5xx; a 429 tells the client when to come back. */
function throwInjected(method: string, identity: string, deps: BeaconDeps): void {
  if (!deps.faults.flaky) return;
  const failure = deps.flaky.failureFor(method, identity);
  if (!failure) return;
  deps.log(`beacon: injected ${failure.status} on ${method}`);
  const headers: Record<string, string> = {};
  if (failure.retryAfterSeconds)
    headers['Retry-After'] = String(failure.retryAfterSeconds);
  const code = failure.status === 429 ? 'rate_limited' : 'unavailable';
  const message =
    failure.status === 429
      ? 'Too many requests; slow down.'
      : 'Temporary failure; retry.';
  throw new BeaconHttpError(failure.status, code, message, headers);
}
