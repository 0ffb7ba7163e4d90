/** Finds the contract's response schema for a Beacon call and validates a body against it. */
import type { ValidateFunction } from 'ajv';

import { contractDocument, pointerValidator } from '../../src/sandbox/beacon/contract.js';

type Json = Record<string, unknown>;

function pointerPart(text: string): string {
  return encodeURIComponent(text.replace(/~/g, '~0').replace(/\//g, '~1'));
}

function templateFor(path: string): string | undefined {
  const paths = Object.keys(contractDocument()['paths'] as Json);
  return paths.find((template) => {
    const pattern = template.replace(/\{[^}]+\}/g, '[^/]+');
    return new RegExp(`^${pattern}$`).test(path);
  });
}

/** The validator for the response a contract operation declares for `status`. */
export function responseValidator(
  method: string,
  path: string,
  status: number,
): ValidateFunction {
  const template = templateFor(path);
  if (!template) throw new Error(`No contract path for ${path}`);
  const operation = ((contractDocument()['paths'] as Json)[template] as Json)[
    method.toLowerCase()
  ] as Json;
  if (!operation) throw new Error(`No ${method} on ${template}`);
  const responses = operation['responses'] as Json;
  const key = String(status) in responses ? String(status) : 'default';
  const response = responses[key] as Json;
  if ('$ref' in response) return pointerValidator('#/components/schemas/Error');
  const base = `#/paths/${pointerPart(template)}/${method.toLowerCase()}/responses/${key}`;
  return pointerValidator(`${base}/content/${pointerPart('application/json')}/schema`);
}
