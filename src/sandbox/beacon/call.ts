/** One authenticated Beacon request, as the handlers see it. */
import { schemaValidator, describeFirstError } from './contract.js';
import type { BeaconDeps } from './deps.js';
import { BeaconHttpError } from './errors.js';
import type { BeaconOrg } from './state.js';

export interface BeaconCall {
  org: BeaconOrg;
  deps: BeaconDeps;
  /** Parsed JSON body (POST), or undefined. */
  body: unknown;
  query: URLSearchParams;
  ids: string[];
  idempotencyKey: string | undefined;
}

export interface BeaconResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The body, checked against a contract schema; 400 invalid_payload naming the field. */
export function validBody<T>(call: BeaconCall, schema: string): T {
  const validate = schemaValidator(schema);
  if (!validate(call.body)) {
    throw new BeaconHttpError(400, 'invalid_payload', describeFirstError(validate));
  }
  return call.body as T;
}

/** 403 unless the organization named is the token's own. */
export function sameOrganization(call: BeaconCall, organizationId: string): void {
  if (organizationId === call.org.organizationId) return;
  throw new BeaconHttpError(
    403,
    'forbidden_organization',
    'The access token belongs to another organization.',
  );
}

/** The first path capture. */
export function idOf(call: BeaconCall): string {
  return call.ids[0] ?? '';
}
