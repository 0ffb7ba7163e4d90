/**
 * The typed Beacon client. Types come from contract/beacon.openapi.yaml (via
 * openapi-typescript); this file adds auth, idempotency keys and the mapping of
 * error bodies to BeaconApiError. The same client talks to the sandbox and to
 * the real Beacon: only the base URL and token differ.
 */
import createClient from 'openapi-fetch';
import { BeaconApiError, BeaconNetworkError } from '../errors.js';
import type { ApiLog } from '../io/api-log.js';
import {
  createRetryingFetch,
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
} from './retrying-fetch.js';
import type { components, paths } from './schema.generated.js';

export type Schemas = components['schemas'];
export type StripeConnection = Schemas['StripeConnection'];
export type Subscription = Schemas['Subscription'];
export type SubscriptionCheckout = Schemas['SubscriptionCheckout'];
export type SubscriptionCheckoutRequest = Schemas['SubscriptionCheckoutRequest'];
export type FiscalDocument = Schemas['FiscalDocument'];
export type Health = Schemas['Health'];

export const DEFAULT_BEACON_URL = 'https://api.beacon.pt/v1';

/** Operations Beacon's docs do not describe; a 404 on them means "not verifiable". */
export const ASSUMED_OPERATIONS = new Set([
  'GET /auth/token',
  'GET /organizations/{organization_id}/stripe-connection',
  'GET /billing/plans',
  'GET /billing/subscriptions/{subscription_id}',
  'GET /webhooks/events/{event_id}',
  'GET /fiscal/documents',
  'GET /metrics/webhooks',
  'GET /alerts',
]);

export interface BeaconClientOptions {
  baseUrl: string;
  accessToken: string;
  log: ApiLog;
  signal?: AbortSignal;
  retry?: Partial<RetryPolicy>;
}

interface FetchOutcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export class BeaconClient {
  private readonly http;
  readonly baseUrl: string;

  constructor(options: BeaconClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.http = createClient<paths>({
      baseUrl: this.baseUrl,
      headers: {
        Authorization: `Bearer ${options.accessToken}`,
        'User-Agent': 'beacon-quickstart',
      },
      fetch: createRetryingFetch({
        policy,
        log: options.log,
        signal: options.signal,
        basePath: new URL(this.baseUrl).pathname,
      }),
    });
  }

  /** GET /auth/token (assumed). */
  getToken() {
    return this.call('GET /auth/token', () => this.http.GET('/auth/token'));
  }

  /** GET /organizations/{id}/stripe-connection (assumed). */
  getConnection(organizationId: string) {
    return this.call('GET /organizations/{organization_id}/stripe-connection', () =>
      this.http.GET('/organizations/{organization_id}/stripe-connection', {
        params: { path: { organization_id: organizationId } },
      }),
    );
  }

  /** GET /billing/plans (assumed). */
  listPlans() {
    return this.call('GET /billing/plans', () => this.http.GET('/billing/plans'));
  }

  /** POST /billing/subscription-checkouts; the key makes retries and replays safe. */
  async createCheckout(body: SubscriptionCheckoutRequest, idempotencyKey: string) {
    const outcome = await this.callRaw('POST /billing/subscription-checkouts', () =>
      this.http.POST('/billing/subscription-checkouts', {
        params: { header: { 'Idempotency-Key': idempotencyKey } },
        body,
      }),
    );
    return {
      checkout: outcome.data as SubscriptionCheckout,
      replayed: outcome.response.headers.get('idempotent-replayed') === 'true',
      status: outcome.response.status,
      requestId: outcome.response.headers.get('x-request-id'),
    };
  }

  /** POST /billing/subscriptions/{id}/confirm. */
  confirmSubscription(
    subscriptionId: string,
    body: Schemas['ConfirmRequest'],
    idempotencyKey: string,
  ) {
    return this.call('POST /billing/subscriptions/{subscription_id}/confirm', () =>
      this.http.POST('/billing/subscriptions/{subscription_id}/confirm', {
        params: {
          path: { subscription_id: subscriptionId },
          header: { 'Idempotency-Key': idempotencyKey },
        },
        body,
      }),
    );
  }

  /** GET /billing/subscriptions/{id} (assumed). */
  getSubscription(subscriptionId: string) {
    return this.call('GET /billing/subscriptions/{subscription_id}', () =>
      this.http.GET('/billing/subscriptions/{subscription_id}', {
        params: { path: { subscription_id: subscriptionId } },
      }),
    );
  }

  /** GET /webhooks/events/{id} (assumed). */
  getWebhookEvent(eventId: string) {
    return this.call('GET /webhooks/events/{event_id}', () =>
      this.http.GET('/webhooks/events/{event_id}', {
        params: { path: { event_id: eventId } },
      }),
    );
  }

  /** POST /connect/accounts/onboarding-links. */
  createOnboardingLink(body: Schemas['OnboardingLinkRequest'], idempotencyKey: string) {
    return this.call('POST /connect/accounts/onboarding-links', () =>
      this.http.POST('/connect/accounts/onboarding-links', {
        params: { header: { 'Idempotency-Key': idempotencyKey } },
        body,
      }),
    );
  }

  getFiscalSetupState(mode: 'test' | 'live') {
    return this.call('GET /fiscal/setup-state', () =>
      this.http.GET('/fiscal/setup-state', { params: { query: { mode } } }),
    );
  }

  /** GET /fiscal/documents (assumed), oldest first. */
  listFiscalDocuments(query: { subscriptionId?: string; invoiceId?: string }) {
    return this.call('GET /fiscal/documents', () =>
      this.http.GET('/fiscal/documents', { params: { query } }),
    );
  }

  /** GET /health; a 503 still carries the health body, so it is data, not an error. */
  async getHealth(): Promise<Health> {
    const outcome = await this.callRaw(
      'GET /health',
      () => this.http.GET('/health'),
      [503],
    );
    return outcome.data as Health;
  }

  getFiscalMetrics() {
    return this.call('GET /metrics/fiscal', () => this.http.GET('/metrics/fiscal'));
  }

  /** GET /metrics/webhooks (assumed). */
  getWebhookMetrics() {
    return this.call('GET /metrics/webhooks', () => this.http.GET('/metrics/webhooks'));
  }

  /** GET /alerts (assumed). */
  listAlerts(query: { status?: 'open' | 'resolved'; severity?: 'P1' | 'P2' | 'P3' }) {
    return this.call('GET /alerts', () =>
      this.http.GET('/alerts', { params: { query } }),
    );
  }

  private async call<T>(
    operation: string,
    run: () => Promise<FetchOutcome<T>>,
  ): Promise<T> {
    const outcome = await this.callRaw(operation, run);
    return outcome.data as T;
  }

  private async callRaw<T>(
    operation: string,
    run: () => Promise<FetchOutcome<T>>,
    acceptStatuses: number[] = [],
  ): Promise<FetchOutcome<T>> {
    const [method = 'GET', path = operation] = operation.split(' ');
    let outcome: FetchOutcome<T>;
    try {
      outcome = await run();
    } catch (error) {
      throw new BeaconNetworkError(
        `Beacon could not be reached (${method} ${path})`,
        method,
        path,
        {
          cause: error,
          suggestion: `Check --beacon-url (${this.baseUrl}) and the network.`,
        },
      );
    }
    const { response } = outcome;
    if (response.ok || acceptStatuses.includes(response.status)) {
      if (acceptStatuses.includes(response.status) && outcome.data === undefined) {
        outcome.data = outcome.error as T;
      }
      return outcome;
    }
    throw toApiError(operation, method, path, response, outcome.error);
  }
}

/** Turns Beacon's `{code, message, request_id}` into a typed error with a hint. */
function toApiError(
  operation: string,
  method: string,
  path: string,
  response: Response,
  body: unknown,
): BeaconApiError {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  const code = typeof fields.code === 'string' ? fields.code : null;
  const serverMessage =
    typeof fields.message === 'string' ? fields.message : response.statusText;
  const requestId =
    (typeof fields.request_id === 'string' ? fields.request_id : null) ??
    response.headers.get('x-request-id');
  const assumed = ASSUMED_OPERATIONS.has(operation);
  const error = new BeaconApiError(
    `Beacon answered ${response.status} to ${method} ${path}: ${serverMessage}`,
    response.status,
    code,
    requestId,
    method,
    path,
    { suggestion: suggestionFor(response.status) },
  );
  Object.defineProperty(error, 'assumed', { value: assumed, enumerable: false });
  return error;
}

/** True when a real Beacon lacks an endpoint this tool only assumes. */
export function isNotVerifiable(error: unknown): boolean {
  return (
    error instanceof BeaconApiError &&
    error.status === 404 &&
    (error as BeaconApiError & { assumed?: boolean }).assumed === true &&
    (error.code === null || error.code === 'route_not_found')
  );
}

function suggestionFor(status: number): string | undefined {
  if (status === 401)
    return 'The access token is missing, invalid or expired: issue a new one.';
  if (status === 403)
    return 'The token lacks the integration scope or another organization.';
  if (status === 409)
    return 'The operation was already applied or is in flight: reuse its result.';
  if (status === 429) return 'Beacon is throttling: wait and retry later.';
  if (status >= 500) return 'Beacon had a transient failure: retry later.';
  return undefined;
}
