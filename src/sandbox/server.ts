/** The one loopback server: routes by path prefix to the emulators and pages. */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { handleBeacon } from './beacon/routes.js';
import type { BeaconDeps } from './beacon/deps.js';
import { handleCheckoutPage } from './checkout-page.js';
import { BodyTooLargeError, sendJson } from './http.js';
import { handleOnboardingPage } from './onboarding-page.js';
import { prefixedId } from './random.js';
import type { StripeRouteDeps } from './stripe/routes.js';
import { handleStripe } from './stripe/routes.js';
import type { ScenarioName } from './scenarios.js';
import type { TransportFaultInjector } from './transport-faults.js';
import type { SandboxCounts } from './types.js';

export interface ServerDeps {
  scenario: ScenarioName;
  beacon: BeaconDeps;
  stripe: StripeRouteDeps;
  counts: () => SandboxCounts;
  /** Injected transport faults (tests only). */
  transport?: TransportFaultInjector;
}

const BEACON_PREFIX = '/beacon/v1';

/** Creates (but does not start) the sandbox's HTTP server. */
export function createSandboxServer(deps: ServerDeps): http.Server {
  return http.createServer((req, res) => {
    route(req, res, deps).catch((error: unknown) => fail(res, error, deps));
  });
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ServerDeps,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname;
  const api =
    path === BEACON_PREFIX ||
    path.startsWith(`${BEACON_PREFIX}/`) ||
    path.startsWith('/v1/');
  if (api && deps.transport) {
    if (await deps.transport.intercept(req, res, path, genericHeaders(deps))) return;
  }
  if (path === BEACON_PREFIX || path.startsWith(`${BEACON_PREFIX}/`)) {
    return handleBeacon(
      req,
      res,
      path.slice(BEACON_PREFIX.length) || '/',
      url,
      deps.beacon,
    );
  }
  if (path.startsWith('/v1/')) return handleStripe(req, res, url, deps.stripe);
  if (path.startsWith('/checkout/'))
    return handleCheckoutPage(req, res, url, pageDeps(deps));
  if (path.startsWith('/connect/onboarding/')) {
    return handleOnboardingPage(req, res, url, {
      ...pageDeps(deps),
      beacon: deps.beacon.state,
      clock: deps.beacon.clock,
    });
  }
  if (path === '/_sandbox/inspect' && req.method === 'GET') {
    return sendJson(
      res,
      200,
      { scenario: deps.scenario, counts: deps.counts() },
      dateHeader(deps),
    );
  }
  sendJson(
    res,
    404,
    { code: 'not_found', message: `Nothing at ${path}.` },
    dateHeader(deps),
  );
}

function pageDeps(deps: ServerDeps) {
  return {
    stripe: deps.beacon.stripe,
    faults: deps.beacon.faults,
    headers: () => dateHeader(deps),
    log: deps.beacon.log,
  };
}

function dateHeader(deps: ServerDeps): Record<string, string> {
  return { Date: deps.beacon.clock.httpDate() };
}

/** Answers that no emulator produced still carry both APIs' request-id headers. */
function genericHeaders(deps: ServerDeps): Record<string, string> {
  const id = prefixedId('req', 14);
  return { ...dateHeader(deps), 'Request-Id': id, 'X-Request-Id': id };
}

function fail(res: ServerResponse, error: unknown, deps: ServerDeps): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof BodyTooLargeError) {
    const headers = { ...genericHeaders(deps), Connection: 'close' };
    sendJson(res, 413, { code: 'payload_too_large', message: error.message }, headers);
    return;
  }
  deps.beacon.log(
    `sandbox: internal error: ${error instanceof Error ? error.message : String(error)}`,
  );
  const body = {
    code: 'internal_error',
    message: 'The sandbox failed to serve this request.',
  };
  sendJson(res, 500, body, genericHeaders(deps));
}
