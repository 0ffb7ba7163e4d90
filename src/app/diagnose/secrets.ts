/**
 * Every secret value this run could possibly have seen, from every source,
 * so the redactor can remove them from what is written for support — not
 * only the ones in use, but also whatever sits in the environment and vault.
 */
import { REDACTED } from '../../bundle/redact.js';
import type { ResolvedSecret } from '../../config/secrets.js';
import type { SecretStore } from '../../vault/store.js';
import type { DiagnoseSettings } from './settings.js';

/** Environment variables that hold secrets for this tool or its neighbours. */
const SECRET_ENV_VARS = [
  'BEACON_ACCESS_TOKEN',
  'STRIPE_SECRET_KEY',
  'STRIPE_API_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'NGROK_AUTHTOKEN',
];

/** Collects secret values from the resolved credentials, the environment and the vault. */
export async function knownSecrets(
  settings: DiagnoseSettings,
  env: NodeJS.ProcessEnv,
  vault: SecretStore | null,
  extra: Iterable<string> = [],
): Promise<Set<string>> {
  const found = new Set<string>(extra);
  if (settings.token) found.add(settings.token.value);
  if (settings.key) found.add(settings.key.value);
  for (const name of SECRET_ENV_VARS) {
    const value = env[name]?.trim();
    if (value) found.add(value);
  }
  for (const value of await vaultValues(vault)) found.add(value);
  return found;
}

async function vaultValues(vault: SecretStore | null): Promise<string[]> {
  if (!vault) return [];
  try {
    const names = await vault.list();
    const values = await Promise.all(names.map((n) => vault.get(n)));
    return values.filter((v): v is string => typeof v === 'string' && v !== '');
  } catch {
    // An unreadable vault contributed no secret to this run either.
    return [];
  }
}

/** How a secret appears in the effective configuration: never its value. */
export function describeSecret(secret: ResolvedSecret | null): {
  value: string | null;
  source: string;
} {
  if (!secret) return { value: null, source: 'not set' };
  return { value: REDACTED, source: secret.source };
}

/** The effective configuration for the bundle, every secret shown as `[redacted]`. */
export function effectiveConfig(
  settings: DiagnoseSettings,
  vault: SecretStore | null,
): Record<string, unknown> {
  return {
    command: 'diagnose',
    organizationId: settings.organizationId,
    beaconUrl: settings.beaconUrl,
    stripeUrl: settings.stripeUrl,
    stripeAccount: settings.stripeAccount ?? null,
    focus: settings.focus,
    recentLimit: settings.recentLimit,
    credentials: {
      beaconAccessToken: describeSecret(settings.token),
      stripeSecretKey: describeSecret(settings.key),
    },
    vault: vault?.description ?? null,
  };
}
