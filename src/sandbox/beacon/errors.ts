/** Beacon's error body: `{code, message, request_id}`. */
export class BeaconHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** 404 for an unknown id of some kind. */
export function notFound(what: string): BeaconHttpError {
  return new BeaconHttpError(404, 'not_found', `${what} not found.`);
}
