/**
 * Records every API call and the servers' clocks for the report's timeline,
 * `--verbose` and clock-skew checks. It sees methods, paths, statuses, ids
 * and timings only: never bodies or credentials.
 */
import type { ApiCallRecord, DeliveryRecord } from '../report/model.js';
import type { Clock } from './context.js';

export interface ClockSample {
  service: ApiCallRecord['service'];
  /** Server time minus local time, in seconds (positive: the server is ahead). */
  offsetSeconds: number;
}

export class ApiLog {
  readonly calls: ApiCallRecord[] = [];
  readonly deliveries: DeliveryRecord[] = [];
  readonly clockSamples: ClockSample[] = [];

  constructor(
    private readonly clock: Clock,
    readonly startedAt: number,
    private readonly onLine?: (line: string) => void,
  ) {}

  /** Milliseconds since the run started. */
  sinceStart(at = this.clock.now()): number {
    return Math.max(0, at - this.startedAt);
  }

  record(call: ApiCallRecord): void {
    this.calls.push(call);
    if (!this.onLine) return;
    const parts = [
      call.service,
      call.method,
      call.path,
      call.status === null ? 'no response' : String(call.status),
      `${Math.round(call.durationMs)}ms`,
    ];
    if (call.attempt > 1) parts.push(`attempt ${call.attempt}`);
    if (call.requestId) parts.push(`request ${call.requestId}`);
    if (call.idempotencyKey) parts.push(`idempotency-key ${call.idempotencyKey}`);
    if (call.error) parts.push(call.error);
    this.onLine(parts.join(' '));
  }

  recordDelivery(delivery: DeliveryRecord): void {
    this.deliveries.push(delivery);
    if (!this.onLine) return;
    const verdict = delivery.verified
      ? 'verified'
      : `rejected (${delivery.reason ?? 'unknown'})`;
    const dup = delivery.duplicate ? ' duplicate' : '';
    this.onLine(
      `webhook ${delivery.type ?? '?'} ${delivery.eventId ?? '?'} ${verdict}${dup}`,
    );
  }

  /** Notes a server's `Date` header against the local clock at receipt. */
  observeDate(
    service: ClockSample['service'],
    dateHeader: string | null,
    at = this.clock.now(),
  ) {
    if (!dateHeader) return;
    const serverMs = Date.parse(dateHeader);
    if (Number.isNaN(serverMs)) return;
    this.clockSamples.push({ service, offsetSeconds: (serverMs - at) / 1000 });
  }

  /** Median offset per service; `Date` has one-second resolution, so small values are noise. */
  clockOffsets(): Partial<Record<ClockSample['service'], number>> {
    const result: Partial<Record<ClockSample['service'], number>> = {};
    for (const service of ['beacon', 'stripe'] as const) {
      const values = this.clockSamples
        .filter((s) => s.service === service)
        .map((s) => s.offsetSeconds)
        .sort((a, b) => a - b);
      if (values.length === 0) continue;
      result[service] = Math.round(values[Math.floor(values.length / 2)]!);
    }
    return result;
  }

  /** Calls that needed more than one attempt, for retry evidence. */
  retriedCalls(): ApiCallRecord[] {
    return this.calls.filter((c) => c.attempt > 1);
  }
}
