/** Reading Stripe's form-encoded parameters (bracket notation) and writing its lists. */
import qs from 'qs';

import { invalidParam, missingParam } from './errors.js';

export type Params = Record<string, unknown>;

/** Parses `a[b]=1&c[0]=x` style text, as Stripe accepts it. */
export function parseForm(text: string): Params {
  return qs.parse(text, { arrayLimit: 100, depth: 5, parameterLimit: 2000 }) as Params;
}

/** A string parameter, or undefined when absent. */
export function optionalString(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidParam(name, 'expected a string.');
  return value;
}

/** A non-empty string parameter. */
export function requiredString(params: Params, name: string): string {
  const value = optionalString(params, name);
  if (value === undefined || value === '') throw missingParam(name);
  return value;
}

/** An integer parameter, or undefined when absent. */
export function optionalInteger(params: Params, name: string): number | undefined {
  const text = optionalString(params, name);
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text)) throw invalidParam(name, 'expected an integer.');
  return Number(text);
}

/** A list of strings (`x[]=a&x[]=b` or `x[0]=a`). */
export function stringList(params: Params, name: string): string[] | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  const items = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null
      ? Object.values(value)
      : [value];
  if (!items.every((item) => typeof item === 'string')) {
    throw invalidParam(name, 'expected a list of strings.');
  }
  return items as string[];
}

/** A list of objects (`line_items[0][price]=…`). */
export function objectList(params: Params, name: string): Params[] | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  const items = Array.isArray(value)
    ? value
    : typeof value === 'object' && value
      ? Object.values(value)
      : null;
  if (!items || !items.every((item) => item && typeof item === 'object')) {
    throw invalidParam(name, 'expected a list of objects.');
  }
  return items as Params[];
}

/** Metadata as string pairs; an empty value means "remove the key" on updates. */
export function metadataParam(params: Params): Record<string, string> | undefined {
  const value = params['metadata'];
  if (value === undefined) return undefined;
  if (value === '') return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidParam('metadata', 'expected a hash of strings.');
  }
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string')
      throw invalidParam(`metadata[${key}]`, 'expected a string.');
    out[key] = item;
  }
  return out;
}

export interface StripeList<T> {
  object: 'list';
  url: string;
  has_more: boolean;
  data: T[];
}

/** One page of a newest-first list, honouring limit, starting_after and ending_before. */
export function listPage<T extends { id: string }>(
  newestFirst: T[],
  query: Params,
  url: string,
): StripeList<T> {
  const limit = optionalInteger(query, 'limit') ?? 10;
  if (limit < 1 || limit > 100) throw invalidParam('limit', 'must be between 1 and 100.');
  let items = newestFirst;
  const after = optionalString(query, 'starting_after');
  const before = optionalString(query, 'ending_before');
  if (after !== undefined)
    items = items.slice(indexOrFail(items, after, 'starting_after') + 1);
  if (before !== undefined) {
    const end = indexOrFail(items, before, 'ending_before');
    items = items.slice(Math.max(0, end - limit), end);
  }
  return {
    object: 'list',
    url,
    has_more: items.length > limit,
    data: items.slice(0, limit),
  };
}

function indexOrFail<T extends { id: string }>(
  items: T[],
  id: string,
  param: string,
): number {
  const index = items.findIndex((item) => item.id === id);
  if (index < 0) throw invalidParam(param, `no object with id '${id}' in this list.`);
  return index;
}
