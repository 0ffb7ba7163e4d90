/**
 * Where credentials come from, in order: an explicit file (or `-` for
 * stdin), the environment (CI), the vault. Never from a flag value.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ConfigError, QuickstartError, UsageError } from '../errors.js';
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

/** No credential is anywhere near this long; /dev/zero or a log file given by mistake is. */
export const MAX_SECRET_BYTES = 64 * 1024;

/** Which stdin streams a credential was already read from, and for what. */
const stdinReadFor = new WeakMap<Readable, string>();

async function readCapped(source: Readable, label: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    const buffer = Buffer.from(chunk as Buffer);
    size += buffer.length;
    if (size > MAX_SECRET_BYTES) {
      source.destroy();
      throw new ConfigError(
        `The ${label} is longer than ${MAX_SECRET_BYTES} bytes: not a credential.`,
        {
          suggestion: 'Point the flag at a file that holds only the credential.',
        },
      );
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readStdin(stdin: Readable, spec: SecretSpec): Promise<string> {
  const earlier = stdinReadFor.get(stdin);
  if (earlier) {
    throw new UsageError(
      `Only one credential can come from stdin; ${earlier} already did.`,
      {
        suggestion: `Give ${spec.fileFlag} a file instead of -.`,
      },
    );
  }
  stdinReadFor.set(stdin, `the ${spec.label}`);
  return readCapped(stdin, spec.label);
}

async function readSecretFile(path: string, spec: SecretSpec): Promise<string> {
  const info = await stat(path);
  if (info.isDirectory()) throw new Error('it is a directory');
  if (info.isFile() && info.size > MAX_SECRET_BYTES) {
    throw new ConfigError(
      `${path} is ${info.size} bytes: too long to be the ${spec.label}.`,
      {
        suggestion: `Point ${spec.fileFlag} at a file that holds only the credential.`,
      },
    );
  }
  return readCapped(createReadStream(path), spec.label);
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
      text =
        file === '-' ? await readStdin(stdin, spec) : await readSecretFile(file, spec);
    } catch (error) {
      if (error instanceof QuickstartError) throw error;
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
