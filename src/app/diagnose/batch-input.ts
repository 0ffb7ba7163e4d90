/**
 * Batch input: the organizations file (one id a line, optionally followed by
 * the connected account to act for) and the optional per-organization
 * credentials file. A bad line is that line's error, not the whole batch's.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../../errors.js';
import { isStripeAccountId } from './settings.js';

export interface BatchEntry {
  line: number;
  /** As written, for the table even when it is not a valid id. */
  organizationId: string;
  stripeAccount?: string;
  /** Set when the line cannot be diagnosed at all. */
  error?: string;
}

export interface OrgCredentials {
  beaconToken?: string;
  stripeKey?: string;
  stripeAccount?: string;
}

const ORG_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_ORGS = 10_000;

async function readText(path: string, what: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `Cannot read the ${what} ${path}: ${(error as Error).message}`,
      {
        suggestion: `Check the path given to ${flag}.`,
      },
    );
  }
}

/** Parses one line of the organizations file. */
export function parseOrgLine(text: string, line: number): BatchEntry | null {
  const content = text.replace(/#.*$/, '').trim();
  if (content === '') return null;
  const [organizationId = '', account, ...rest] = content.split(/\s+/);
  const entry: BatchEntry = { line, organizationId: organizationId.slice(0, 80) };
  if (rest.length > 0) {
    entry.organizationId = content.slice(0, 80);
    entry.error = 'expected "ORG_ID [acct_…]"';
  } else if (!ORG_ID.test(organizationId)) entry.error = 'not an organization id';
  else if (account !== undefined && !isStripeAccountId(account))
    entry.error = `"${account.slice(0, 40)}" is not an acct_… id`;
  else if (account !== undefined) entry.stripeAccount = account;
  return entry;
}

/** Reads the organizations file; blank lines and `#` comments are ignored. */
export async function readOrgsFile(path: string): Promise<BatchEntry[]> {
  const text = await readText(path, 'organizations file', '--orgs');
  const entries = text
    .split(/\r?\n/)
    .map((line, index) => parseOrgLine(line, index + 1))
    .filter((e): e is BatchEntry => e !== null);
  if (entries.length === 0)
    throw new ConfigError(`${path} lists no organization.`, {
      suggestion: 'Write one organization id a line (# starts a comment).',
    });
  if (entries.length > MAX_ORGS)
    throw new ConfigError(`${path} lists more than ${MAX_ORGS} organizations.`);
  return entries;
}

function credentialsEntry(path: string, org: string, value: unknown): OrgCredentials {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError(`${path}: the entry for ${org} must be an object.`);
  const result: OrgCredentials = {};
  for (const [field, v] of Object.entries(value)) {
    if (field !== 'beaconToken' && field !== 'stripeKey' && field !== 'stripeAccount')
      throw new ConfigError(`${path}: unknown field "${field}" for ${org}.`, {
        suggestion: 'Known fields: beaconToken, stripeKey, stripeAccount.',
      });
    if (typeof v !== 'string' || v.trim() === '')
      throw new ConfigError(`${path}: "${field}" for ${org} must be a non-empty string.`);
    result[field] = v.trim();
  }
  if (result.stripeAccount !== undefined && !isStripeAccountId(result.stripeAccount))
    throw new ConfigError(`${path}: stripeAccount for ${org} is not an acct_… id.`);
  return result;
}

/**
 * Reads `{ "org_…": { "beaconToken", "stripeKey", "stripeAccount" } }`; errors
 * never quote a value, since every value may be a secret.
 */
export async function readCredentialsFile(
  path: string,
): Promise<Map<string, OrgCredentials>> {
  const text = await readText(path, 'credentials file', '--credentials-file');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${path} is not valid JSON.`, {
      suggestion: 'Write one JSON object keyed by organization id.',
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ConfigError(`${path} must hold a JSON object keyed by organization id.`);
  const result = new Map<string, OrgCredentials>();
  for (const [org, value] of Object.entries(parsed))
    result.set(org, credentialsEntry(path, org, value));
  return result;
}

/** Every secret value of a credentials file, for redaction. */
export function credentialSecrets(all: Map<string, OrgCredentials>): string[] {
  return [...all.values()].flatMap((c) =>
    [c.beaconToken, c.stripeKey].filter((v): v is string => typeof v === 'string'),
  );
}
