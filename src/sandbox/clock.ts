/** The sandbox servers' clock, which a scenario may set behind the real one. */
export interface SandboxClock {
  nowMs(): number;
  /** Unix seconds, as Stripe timestamps are. */
  nowSeconds(): number;
  /** ISO-8601 UTC of `ms` (default: now). */
  iso(ms?: number): string;
  /** The HTTP `Date` header value for now. */
  httpDate(): string;
}

/** A clock `offsetMs` behind (negative) or ahead of the host's. */
export function createClock(offsetMs: number): SandboxClock {
  const nowMs = (): number => Date.now() + offsetMs;
  return {
    nowMs,
    nowSeconds: () => Math.floor(nowMs() / 1000),
    iso: (ms?: number) => new Date(ms ?? nowMs()).toISOString(),
    httpDate: () => new Date(nowMs()).toUTCString(),
  };
}
