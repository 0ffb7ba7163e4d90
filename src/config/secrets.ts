/**
 * Where credentials come from, in order: an explicit file (or `-` for
 * stdin), the environment (CI), the vault. Never from a flag value.
 */
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ConfigError } from '../errors.js';
import type { SecretStore } from '../vault/store.js';

export interface SecretSpec {
  /** Human name for messages, e.g. "Beacon access token". */
  label: string;
  fileFlag: string;
  envVar: string;
  vaultName: string;
}

export interface ResolvedSecret {
  value: string;
  source: 'file' | 'stdin' | 'env' | 'vault';
}

async function readStdin(stdin: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Resolves one secret; null when no source has it. */
export async function resolveSecret(
  spec: SecretSpec,
  file: string | undefined,
  env: NodeJS.ProcessEnv,
  vault: SecretStore | null,
  stdin: Readable,
): Promise<ResolvedSecret | null> {
  if (file !== undefined) {
    let text: string;
    try {
      text = file === '-' ? await readStdin(stdin) : await readFile(file, 'utf8');
    } catch (error) {
      throw new ConfigError(
        `Cannot read the ${spec.label} from ${file}: ${(error as Error).message}`,
        {
          suggestion: `Check the path given to ${spec.fileFlag}.`,
        },
      );
    }
    const value = text.trim();
    if (!value)
      throw new ConfigError(`${file === '-' ? 'stdin' : file} is empty (${spec.label}).`);
    return { value, source: file === '-' ? 'stdin' : 'file' };
  }
  const fromEnv = env[spec.envVar]?.trim();
  if (fromEnv) return { value: fromEnv, source: 'env' };
  const fromVault = vault ? await vault.get(spec.vaultName).catch(() => null) : null;
  if (fromVault) return { value: fromVault, source: 'vault' };
  return null;
}

export const BEACON_TOKEN: SecretSpec = {
  label: 'Beacon access token',
  fileFlag: '--beacon-token-file',
  envVar: 'BEACON_ACCESS_TOKEN',
  vaultName: 'beacon-access-token',
};

export const STRIPE_KEY: SecretSpec = {
  label: 'Stripe secret key',
  fileFlag: '--stripe-key-file',
  envVar: 'STRIPE_SECRET_KEY',
  vaultName: 'stripe-secret-key',
};

export const NGROK_TOKEN: SecretSpec = {
  label: 'ngrok authtoken',
  fileFlag: '--ngrok-token-file',
  envVar: 'NGROK_AUTHTOKEN',
  vaultName: 'ngrok-authtoken',
};
