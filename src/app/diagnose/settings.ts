/**
 * Validates diagnose's options once, up front, and resolves where it reads
 * from and with which credentials (files, then environment, then vault).
 * Nothing downstream meets a bad value or has to know where one came from.
 */
import { DEFAULT_BEACON_URL } from '../../beacon/client.js';
import {
  BEACON_TOKEN,
  resolveSecret,
  STRIPE_KEY,
  type ResolvedSecret,
} from '../../config/secrets.js';
import {
  loadFileSettings,
  validateBaseUrl,
  validateOrganizationId,
  type FileSettings,
} from '../../config/settings.js';
import { UsageError } from '../../errors.js';
import type { Context } from '../../io/context.js';
import { DEFAULT_STRIPE_URL } from '../../stripe/client.js';
import type { SecretStore } from '../../vault/store.js';
import type { DiagnoseFocus } from './types.js';

export interface DiagnoseOptions {
  org?: string;
  orgsFile?: string;
  credentialsFile?: string;
  concurrency?: number;
  outDir?: string;
  checkoutSession?: string;
  subscription?: string;
  stripeAccount?: string;
  beaconUrl?: string;
  stripeUrl?: string;
  beaconTokenFile?: string;
  stripeKeyFile?: string;
  bundle?: string;
  recent?: number;
  json: boolean;
  verbose: boolean;
}

/** Where a setting's value came from, for the bundle's configuration. */
export type SettingSource = 'flag' | 'env' | 'config file' | 'default';

export interface Setting<T> {
  value: T;
  source: SettingSource;
}

export interface DiagnoseSettings {
  organizationId: Setting<string> | null;
  beaconUrl: Setting<string>;
  stripeUrl: Setting<string>;
  stripeAccount: string | undefined;
  focus: DiagnoseFocus;
  recentLimit: number;
  concurrency: number;
  token: ResolvedSecret | null;
  key: ResolvedSecret | null;
}

export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 64;
export const DEFAULT_RECENT = 20;

const PATTERNS = {
  checkoutSession: /^cs_[A-Za-z0-9_]{1,200}$/,
  subscription: /^sub_[A-Za-z0-9_]{1,200}$/,
  stripeAccount: /^acct_[A-Za-z0-9]{1,64}$/,
};

/** Refuses an id of the wrong shape, naming the flag and the expected form. */
export function checkId(
  value: string | undefined,
  kind: keyof typeof PATTERNS,
  flag: string,
): string | undefined {
  if (value === undefined) return undefined;
  if (PATTERNS[kind].test(value)) return value;
  const prefix = { checkoutSession: 'cs_', subscription: 'sub_', stripeAccount: 'acct_' };
  throw new UsageError(`${flag} "${value}" is not a ${prefix[kind]}… id.`);
}

export function isStripeAccountId(value: string): boolean {
  return PATTERNS.stripeAccount.test(value);
}

function first<T>(candidates: Array<[T | undefined, SettingSource]>): Setting<T> | null {
  for (const [value, source] of candidates) {
    if (value === undefined) continue;
    if (typeof value === 'string' && value.trim() === '') continue;
    return { value, source };
  }
  return null;
}

/**
 * Batch mode writes per-organization reports, not a bundle: a support bundle
 * covers one organization, so --bundle with --orgs is refused rather than
 * silently ignored.
 */
function checkCombinations(options: DiagnoseOptions): void {
  if (options.orgsFile === undefined) {
    const batchOnly = [
      options.credentialsFile !== undefined && '--credentials-file',
      options.outDir !== undefined && '--out-dir',
    ].filter((f): f is string => typeof f === 'string');
    if (batchOnly.length > 0)
      throw new UsageError(`${batchOnly.join(' and ')} only apply with --orgs FILE.`);
    return;
  }
  const single = [
    options.org !== undefined && '--org',
    options.checkoutSession !== undefined && '--checkout-session',
    options.subscription !== undefined && '--subscription',
    options.bundle !== undefined && '--bundle',
  ].filter((f): f is string => typeof f === 'string');
  if (single.length > 0) {
    throw new UsageError(`--orgs cannot be combined with ${single.join(', ')}.`, {
      suggestion:
        'Batch saves every report under --out-dir; run one organization at a time for a bundle.',
    });
  }
}

function checkBundlePath(path: string | undefined): void {
  if (path === undefined) return;
  if (!/\.(tar\.gz|tgz)$/.test(path))
    throw new UsageError(`--bundle must name a .tar.gz file: ${path}`);
}

function urlSetting(
  flag: string | undefined,
  env: string | undefined,
  file: string | undefined,
  fallback: string,
  name: '--beacon-url' | '--stripe-url',
): Setting<string> {
  const chosen = first<string>([
    [flag, 'flag'],
    [env, 'env'],
    [file, 'config file'],
  ]) ?? { value: fallback, source: 'default' as const };
  return { value: validateBaseUrl(chosen.value.trim(), name), source: chosen.source };
}

function organizationSetting(
  options: DiagnoseOptions,
  env: NodeJS.ProcessEnv,
  files: FileSettings,
): Setting<string> | null {
  if (options.orgsFile !== undefined) return null;
  const chosen = first<string>([
    [options.org, 'flag'],
    [env.BEACON_ORGANIZATION_ID, 'env'],
    [files.organizationId, 'config file'],
  ]);
  if (!chosen) {
    throw new UsageError('diagnose needs the organization to look at.', {
      suggestion:
        'Pass --org ID (or set BEACON_ORGANIZATION_ID), or --orgs FILE for several.',
    });
  }
  return { value: validateOrganizationId(chosen.value.trim()), source: chosen.source };
}

/** Checks every flag and resolves the shared credentials (either may be absent). */
export async function resolveDiagnoseSettings(
  options: DiagnoseOptions,
  ctx: Context,
  vault: SecretStore | null,
): Promise<DiagnoseSettings> {
  checkCombinations(options);
  checkBundlePath(options.bundle);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
    throw new UsageError(`--concurrency must be 1 to ${MAX_CONCURRENCY}: ${concurrency}`);
  const recentLimit = options.recent ?? DEFAULT_RECENT;
  if (!Number.isInteger(recentLimit) || recentLimit < 1 || recentLimit > 100)
    throw new UsageError(`--recent must be 1 to 100: ${recentLimit}`);
  const focus: DiagnoseFocus = {};
  const session = checkId(
    options.checkoutSession,
    'checkoutSession',
    '--checkout-session',
  );
  const subscription = checkId(options.subscription, 'subscription', '--subscription');
  if (session) focus.checkoutSessionId = session;
  if (subscription) focus.subscriptionId = subscription;
  const stripeAccount = checkId(
    options.stripeAccount,
    'stripeAccount',
    '--stripe-account',
  );

  const files = await loadFileSettings(ctx.cwd, ctx.env);
  const organizationId = organizationSetting(options, ctx.env, files);
  const beaconUrl = urlSetting(
    options.beaconUrl,
    ctx.env.BEACON_API_URL,
    files.beaconUrl,
    DEFAULT_BEACON_URL,
    '--beacon-url',
  );
  const stripeUrl = urlSetting(
    options.stripeUrl,
    ctx.env.STRIPE_API_URL,
    files.stripeUrl,
    DEFAULT_STRIPE_URL,
    '--stripe-url',
  );
  const token = await resolveSecret(
    BEACON_TOKEN,
    options.beaconTokenFile,
    ctx.env,
    vault,
    ctx.stdin,
  );
  const key = await resolveSecret(
    STRIPE_KEY,
    options.stripeKeyFile,
    ctx.env,
    vault,
    ctx.stdin,
  );
  return {
    organizationId,
    beaconUrl,
    stripeUrl,
    stripeAccount,
    focus,
    recentLimit,
    concurrency,
    token,
    key,
  };
}
