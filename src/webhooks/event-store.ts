/**
 * Verified events de-duplicated by `event.id`, with delivery counts, and the
 * rejected deliveries with their reasons. Waiters wake on arrival: no polling.
 */
import { EventEmitter } from 'node:events';
import type Stripe from 'stripe';
import type { RejectionReason } from './verify.js';

export interface StoredEvent {
  id: string;
  type: string;
  deliveries: number;
  firstReceivedAt: number;
  event: Stripe.Event;
}

export interface Rejection {
  reason: RejectionReason;
  detail: string;
  receivedAt: number;
  /** Seconds between the signature's `t` and receipt (positive: signed in the past). */
  ageSeconds: number | null;
}

export interface EventStoreOptions {
  /**
   * How many distinct events to remember (oldest forgotten first), so a
   * long-running listener stays bounded; a run of the flow keeps them all.
   */
  maxEvents?: number;
}

export class EventStore {
  private readonly events = new Map<string, StoredEvent>();
  readonly rejections: Rejection[] = [];
  private readonly emitter = new EventEmitter();
  private readonly maxEvents: number;

  constructor(options: EventStoreOptions = {}) {
    this.maxEvents = options.maxEvents ?? Number.POSITIVE_INFINITY;
  }

  /** The stored event with this id, if it is still remembered. */
  get(id: string): StoredEvent | undefined {
    return this.events.get(id);
  }

  /** Adds a verified event; returns true when it was a repeat delivery. */
  addVerified(event: Stripe.Event, receivedAt: number): boolean {
    const existing = this.events.get(event.id);
    if (existing) {
      existing.deliveries += 1;
      this.emitter.emit('change');
      return true;
    }
    if (this.events.size >= this.maxEvents) {
      const oldest = this.events.keys().next().value;
      if (oldest !== undefined) this.events.delete(oldest);
    }
    this.events.set(event.id, {
      id: event.id,
      type: event.type,
      deliveries: 1,
      firstReceivedAt: receivedAt,
      event,
    });
    this.emitter.emit('change');
    return false;
  }

  addRejection(rejection: Rejection): void {
    this.rejections.push(rejection);
    if (this.rejections.length > this.maxEvents) this.rejections.shift();
    this.emitter.emit('change');
  }

  list(): StoredEvent[] {
    return [...this.events.values()];
  }

  byType(type: string): StoredEvent[] {
    return this.list().filter((e) => e.type === type);
  }

  /** Types from `types` not yet seen (optionally only for one object id). */
  missing(types: readonly string[], filter?: (e: StoredEvent) => boolean): string[] {
    const seen = new Set(
      this.list()
        .filter(filter ?? (() => true))
        .map((e) => e.type),
    );
    return types.filter((t) => !seen.has(t));
  }

  /**
   * Resolves once `done()` holds, re-checking on every delivery, or when the
   * time runs out or the signal aborts (resolving false).
   */
  waitUntil(
    done: () => boolean,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (value: boolean) => {
        clearTimeout(timer);
        this.emitter.off('change', onChange);
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const onChange = () => {
        if (done()) finish(true);
      };
      const onAbort = () => finish(false);
      const timer = setTimeout(() => finish(done()), timeoutMs);
      this.emitter.on('change', onChange);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
