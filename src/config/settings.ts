/**
 * Non-secret settings: flags > environment > project file > user file.
 * Validated once, here, so nothing downstream meets a bad value.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, UsageError } from '../errors.js';
import { configDir } from '../io/paths.js';

export const BILLING_CYCLES = ['monthly', 'yearly'] as const;
export const PROJECT_CONFIG_FILE = '.beacon-quickstart.json';

export interface FileSettings {
  organizationId?: string;
  plan?: string;
  billingCycle?: string;
  beaconUrl?: string;
  stripeUrl?: string;
}

const SETTING_KEYS: Array<keyof FileSettings> = [
  'organizationId',
  'plan',
  'billingCycle',
  'beaconUrl',
  'stripeUrl',
];

async function readSettingsFile(path: string): Promise<FileSettings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${path} is not valid JSON.`, {
      suggestion: 'Fix or remove the file.',
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`${path} must hold a JSON object.`);
  }
  const result: FileSettings = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!SETTING_KEYS.includes(key as keyof FileSettings)) {
      throw new ConfigError(`${path}: unknown setting "${key}".`, {
        suggestion: `Known settings: ${SETTING_KEYS.join(', ')}. Secrets never go in this file.`,
      });
    }
    if (typeof value !== 'string')
      throw new ConfigError(`${path}: "${key}" must be a string.`);
    result[key as keyof FileSettings] = value;
  }
  return result;
}

/** Project file, then user file; the first that sets a key wins. */
export async function loadFileSettings(
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<FileSettings> {
  const project = await readSettingsFile(join(cwd, PROJECT_CONFIG_FILE));
  const user = await readSettingsFile(join(configDir(env), 'config.json'));
  return { ...user, ...project };
}

/** First defined, non-empty value. */
export function pick(...values: Array<string | undefined>): string | undefined {
  return values.find((v) => v !== undefined && v.trim() !== '')?.trim();
}

/** Checks a base URL: http(s), no credentials, https unless it is loopback. */
export function validateBaseUrl(value: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} is not a valid URL: ${value}`, {
      suggestion: `Give an absolute URL, e.g. ${flag === '--beacon-url' ? 'https://api.beacon.pt/v1' : 'https://api.stripe.com'}.`,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`${flag} must use https: ${value}`);
  }
  if (url.username || url.password) {
    throw new UsageError(`${flag} must not contain credentials.`, {
      suggestion: 'Pass credentials through their files or environment variables.',
    });
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new UsageError(`${flag} must use https for a non-loopback host: ${value}`);
  }
  if (url.search || url.hash)
    throw new UsageError(`${flag} must not have a query or fragment: ${value}`);
  return url.toString().replace(/\/+$/, '');
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

export function validatePlan(plan: string): string {
  if (!/^[a-z0-9][a-z0-9_-]{0,39}$/.test(plan)) {
    throw new UsageError(`--plan "${plan}" is not a plan name.`, {
      suggestion: 'Plan names are lower-case letters, digits, - and _ (e.g. plus).',
    });
  }
  return plan;
}

export function validateBillingCycle(cycle: string): string {
  if (!(BILLING_CYCLES as readonly string[]).includes(cycle)) {
    throw new UsageError(
      `--billing-cycle "${cycle}" is not one of ${BILLING_CYCLES.join(', ')}.`,
    );
  }
  return cycle;
}

export function validateOrganizationId(id: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
    throw new UsageError(`--org "${id}" is not an organization id.`, {
      suggestion: 'Organization ids are letters, digits, - and _ (see Beacon settings).',
    });
  }
  return id;
}

/** Seconds from a flag, bounded. */
export function parseSeconds(value: string, flag: string, max = 3600): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max) {
    throw new UsageError(
      `${flag} must be more than 0 and at most ${max} seconds: ${value}`,
    );
  }
  return n;
}
