/**
 * Typed errors. Each carries a suggestion a person can act on; only the CLI
 * entry point turns them into exit codes and output.
 */
export const EXIT = {
  ok: 0,
  checksFailed: 1,
  usage: 2,
  interrupted: 130,
} as const;

export interface ErrorDetails {
  suggestion?: string;
  cause?: unknown;
}

/** Base class: a message that names the problem, and what to do about it. */
export class QuickstartError extends Error {
  readonly suggestion: string | undefined;
  readonly exitCode: number = EXIT.usage;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.suggestion = details.suggestion;
  }
}

/** A bad flag or argument. */
export class UsageError extends QuickstartError {}

/** Missing or invalid configuration: credentials, URLs, plan, secrets. */
export class ConfigError extends QuickstartError {}

/** The user pressed Ctrl-C (or the process got SIGINT/SIGTERM). */
export class InterruptedError extends QuickstartError {
  override readonly exitCode: number = EXIT.interrupted;
  constructor() {
    super('Interrupted.');
  }
}

/** A call to Beacon's API failed with an HTTP status; keeps Beacon's own fields. */
export class BeaconApiError extends QuickstartError {
  override readonly exitCode: number = EXIT.checksFailed;
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    readonly requestId: string | null,
    readonly method: string,
    readonly path: string,
    details: ErrorDetails = {},
  ) {
    super(message, details);
  }
}

/** Beacon could not be reached at all (DNS, refused connection, timeout). */
export class BeaconNetworkError extends QuickstartError {
  override readonly exitCode: number = EXIT.checksFailed;
  constructor(
    message: string,
    readonly method: string,
    readonly path: string,
    details: ErrorDetails = {},
  ) {
    super(message, details);
  }
}

/** A short human description of any thrown value, without a stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
