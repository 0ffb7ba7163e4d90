/** Tracks the sandbox's timers and outgoing requests so close() can stop them all. */
import type { ClientRequest } from 'node:http';

export interface TaskScope {
  /** Runs `fn` after `ms` unless the scope is closed first. */
  later(ms: number, fn: () => void): void;
  /** Registers an outgoing request; it is destroyed on close. */
  track(request: ClientRequest): void;
  readonly closed: boolean;
  close(): void;
}

/** A fresh scope with nothing pending. */
export function createTaskScope(): TaskScope {
  const timers = new Set<NodeJS.Timeout>();
  const requests = new Set<ClientRequest>();
  let closed = false;
  return {
    later(ms, fn) {
      if (closed) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!closed) fn();
      }, ms);
      timers.add(timer);
    },
    track(request) {
      if (closed) {
        request.destroy();
        return;
      }
      requests.add(request);
      request.on('close', () => requests.delete(request));
    },
    get closed() {
      return closed;
    },
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const request of requests) request.destroy();
      requests.clear();
    },
  };
}
