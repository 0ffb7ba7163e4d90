/**
 * Webhook deliveries: each batch of events goes to every endpoint that wants
 * it, shuffled, some twice, with retries on failure, like Stripe's own.
 */
import http from 'node:http';
import https from 'node:https';

import { REQUIRED_EVENTS } from '../../flow/catalog.js';
import type { SandboxClock } from '../clock.js';
import type { ScenarioFaults } from '../faults.js';
import type { SeededRandom } from '../random.js';
import type { TaskScope } from '../tasks.js';
import { signatureHeader } from './signature.js';
import type { AccountLedger, EndpointRecord, EventRecord } from './store.js';

const USER_AGENT = 'Stripe/1.0 (+https://stripe.com/docs/webhooks)';
const RETRY_DELAYS_MS = [50, 200];
const ATTEMPT_TIMEOUT_MS = 5000;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export interface DeliveryDeps {
  clock: SandboxClock;
  random: SeededRandom;
  faults: ScenarioFaults;
  scope: TaskScope;
  /** Signs deliveries to non-Beacon endpoints when the scenario says so. */
  foreignSecret: string;
  log: (line: string) => void;
}

interface Job {
  record: EventRecord;
  payload: string;
}

export class DeliveryEngine {
  constructor(private readonly deps: DeliveryDeps) {}

  /** Starts delivering a batch of just-recorded events of one account. */
  dispatch(ledger: AccountLedger, records: EventRecord[]): void {
    if (!this.deps.faults.deliverWebhooks) {
      this.markDropped(records);
      return;
    }
    const repeats = this.chooseRepeats(records);
    const payloads = new Map(records.map((r) => [r, JSON.stringify(r.event, null, 2)]));
    for (const endpoint of ledger.endpoints.values()) {
      const wanted = records.filter((r) => r.deliveries.has(endpoint.endpoint.id));
      if (wanted.length === 0) continue;
      const order = this.orderFor([
        ...wanted,
        ...repeats.filter((r) => wanted.includes(r)),
      ]);
      const jobs = order.map((record) => ({
        record,
        payload: payloads.get(record) ?? '',
      }));
      void this.runQueue(endpoint, jobs);
    }
  }

  /** Sends one event again to every endpoint that has not acknowledged it. */
  redeliver(ledger: AccountLedger, record: EventRecord): void {
    if (!this.deps.faults.deliverWebhooks) return;
    const payload = JSON.stringify(record.event, null, 2);
    for (const [endpointId, state] of record.deliveries) {
      const endpoint = ledger.endpoints.get(endpointId);
      if (!endpoint || state.succeeded) continue;
      void this.attempt(endpoint, { record, payload }, 1);
    }
  }

  private markDropped(records: EventRecord[]): void {
    for (const record of records) {
      for (const state of record.deliveries.values()) state.lastStatus = 0;
    }
    if (records.length > 0) this.deps.log(`webhooks: dropped ${records.length} event(s)`);
  }

  /** Two or three events of a payment batch, at least one of them required. */
  private chooseRepeats(records: EventRecord[]): EventRecord[] {
    if (!this.deps.faults.duplicateDeliveries || records.length < 4) return [];
    const { random } = this.deps;
    const required = records.filter((r) =>
      (REQUIRED_EVENTS as readonly string[]).includes(r.event.type),
    );
    const first = required.length > 0 ? random.pick(required) : random.pick(records);
    const others = random.shuffle(records.filter((r) => r !== first));
    return [first, ...others.slice(0, random.int(1, 2))];
  }

  /** Shuffled, but usually with invoice.payment_succeeded ahead of the session completion. */
  private orderFor(records: EventRecord[]): EventRecord[] {
    const order = this.deps.random.shuffle(records);
    const paid = order.findIndex((r) => r.event.type === 'invoice.payment_succeeded');
    const done = order.findIndex((r) => r.event.type === 'checkout.session.completed');
    if (paid > done && done >= 0 && this.deps.random.next() < 0.8) {
      [order[paid], order[done]] = [
        order[done] as EventRecord,
        order[paid] as EventRecord,
      ];
    }
    return order;
  }

  private async runQueue(endpoint: EndpointRecord, jobs: Job[]): Promise<void> {
    for (const job of jobs) {
      if (this.deps.scope.closed) return;
      await this.attempt(endpoint, job, 1);
    }
  }

  private async attempt(
    endpoint: EndpointRecord,
    job: Job,
    attempt: number,
  ): Promise<void> {
    const state = job.record.deliveries.get(endpoint.endpoint.id);
    if (!state || this.deps.scope.closed) return;
    state.attempts += 1;
    const status = await this.post(endpoint, job.payload);
    state.lastStatus = status;
    const ok = status >= 200 && status < 300;
    const { event } = job.record;
    this.deps.log(
      `webhooks: ${event.type} ${event.id} -> ${endpoint.endpoint.id} ${status || 'failed'}`,
    );
    if (ok) {
      this.markSucceeded(job.record, state);
      return;
    }
    const delay = RETRY_DELAYS_MS[attempt - 1];
    if (delay === undefined) return;
    this.deps.scope.later(delay, () => void this.attempt(endpoint, job, attempt + 1));
  }

  private markSucceeded(record: EventRecord, state: { succeeded: boolean }): void {
    if (state.succeeded) return;
    state.succeeded = true;
    record.event.pending_webhooks = Math.max(0, record.event.pending_webhooks - 1);
  }

  private secretFor(endpoint: EndpointRecord): string {
    const foreign = this.deps.faults.foreignSigningSecret && !endpoint.ownedByBeacon;
    return foreign ? this.deps.foreignSecret : endpoint.secret;
  }

  /** POSTs one signed delivery; resolves to the status, or 0 on a connection failure. */
  private post(endpoint: EndpointRecord, payload: string): Promise<number> {
    const url = new URL(endpoint.endpoint.url);
    // Deliveries stay on this machine: the sandbox never calls out.
    if (!LOOPBACK_HOSTS.has(url.hostname)) return Promise.resolve(0);
    const timestamp = this.deps.clock.nowSeconds();
    const headers = {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(payload)),
      'User-Agent': USER_AGENT,
      'Stripe-Signature': signatureHeader(payload, this.secretFor(endpoint), timestamp),
      Connection: 'close',
    };
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve) => {
      const request = transport.request(url, { method: 'POST', headers, agent: false });
      request.setTimeout(ATTEMPT_TIMEOUT_MS, () => request.destroy());
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', () => resolve(0));
      request.on('close', () => resolve(0));
      this.deps.scope.track(request);
      request.end(payload);
    });
  }
}
