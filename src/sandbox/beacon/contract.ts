/** Beacon's OpenAPI contract, loaded once, with ajv validators for its schemas. */
import { readFileSync } from 'node:fs';

import Ajv2020Module from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { parse } from 'yaml';

// Three levels up from src/sandbox/beacon (or dist/sandbox/beacon) is the package root.
const CONTRACT_URL = new URL('../../../contract/beacon.openapi.yaml', import.meta.url);
const SCHEMA_ID = 'beacon-contract';

type AjvInstance = InstanceType<typeof Ajv2020Module.default>;

let cached: { document: Record<string, unknown>; ajv: AjvInstance } | undefined;

function load(): { document: Record<string, unknown>; ajv: AjvInstance } {
  if (cached) return cached;
  const document = parse(readFileSync(CONTRACT_URL, 'utf8')) as Record<string, unknown>;
  const Ajv = Ajv2020Module.default;
  // The document is OpenAPI, not pure JSON Schema: its extra keywords are ignored.
  const ajv = new Ajv({ strict: false, allErrors: false });
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  ajv.addFormat(
    'date-time',
    (value: string) => !Number.isNaN(Date.parse(value)) && /T/.test(value),
  );
  ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
  ajv.addSchema(document, SCHEMA_ID);
  cached = { document, ajv };
  return cached;
}

/** The parsed contract document. */
export function contractDocument(): Record<string, unknown> {
  return load().document;
}

/** A validator for `#/components/schemas/<name>`. */
export function schemaValidator(name: string): ValidateFunction {
  return pointerValidator(`#/components/schemas/${name}`);
}

/** A validator for any JSON pointer into the contract, e.g. a response schema. */
export function pointerValidator(pointer: string): ValidateFunction {
  const validate = load().ajv.getSchema(`${SCHEMA_ID}${pointer}`);
  if (!validate) throw new Error(`The Beacon contract has no schema at ${pointer}.`);
  return validate;
}

/** The first validation problem as "field: reason", for an invalid_payload message. */
export function describeFirstError(validate: ValidateFunction): string {
  const error = validate.errors?.[0];
  if (!error) return 'invalid body';
  const missing = (error.params as { missingProperty?: string }).missingProperty;
  if (missing) return `${fieldPath(error.instancePath, missing)}: is required`;
  return `${fieldPath(error.instancePath) || 'body'}: ${error.message ?? 'is invalid'}`;
}

function fieldPath(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (extra) parts.push(extra);
  return parts.join('.');
}
