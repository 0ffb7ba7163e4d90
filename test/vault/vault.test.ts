/**
 * The vault: the keychain when one answers, the user-only file otherwise
 * (this machine has no Secret Service, so the fallback is also tested for
 * real), and `vault list|delete|clear` that never show a value.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clearSecrets, deleteSecret, listSecrets } from '../../src/vault/command.js';
import {
  KeychainSecretStore,
  type KeyringModule,
} from '../../src/vault/keychain-store.js';
import { openVault } from '../../src/vault/select.js';
import { cleanEnv, runCli } from '../helpers/cli.js';

/** An in-memory keyring with the @napi-rs/keyring shape. */
function memoryKeyring(): KeyringModule & { items: Map<string, string> } {
  const items = new Map<string, string>();
  const key = (service: string, account: string) => `${service}\u0000${account}`;
  class AsyncEntry {
    constructor(
      private readonly service: string,
      private readonly account: string,
    ) {}
    async getPassword() {
      return items.get(key(this.service, this.account)) ?? null;
    }
    async setPassword(value: string) {
      items.set(key(this.service, this.account), value);
    }
    async deletePassword() {
      return items.delete(key(this.service, this.account));
    }
  }
  return {
    items,
    AsyncEntry,
    findCredentialsAsync: async (service: string) =>
      [...items.keys()]
        .filter((k) => k.startsWith(`${service}\u0000`))
        .map((k) => ({ account: k.split('\u0000')[1]! })),
  };
}

const broken: () => Promise<KeyringModule> = async () => ({
  AsyncEntry: class {
    constructor() {
      throw new Error('no keychain');
    }
  } as unknown as KeyringModule['AsyncEntry'],
  findCredentialsAsync: async () => {
    throw new Error("Couldn't access platform storage");
  },
});

function configEnv() {
  const dir = mkdtempSync(join(tmpdir(), 'bq-vault-'));
  return { XDG_CONFIG_HOME: join(dir, 'config'), HOME: dir };
}

describe('vault selection', () => {
  it('uses the keychain when it answers', async () => {
    const keyring = memoryKeyring();
    const vault = await openVault({ env: configEnv(), loadKeyring: async () => keyring });
    expect(vault.kind).toBe('keychain');
    await vault.store.set('beacon-access-token', 'tok_1');
    expect(await vault.store.get('beacon-access-token')).toBe('tok_1');
    expect(keyring.items.size).toBe(1);
  });

  it('falls back to a 0600 file in the XDG config dir and says why', async () => {
    const env = configEnv();
    const vault = await openVault({ env, loadKeyring: broken });
    expect(vault.kind).toBe('file');
    expect(vault.fallbackReason).toMatch(/no usable keychain/);
    await vault.store.set('stripe-secret-key', 'sk_test_x');
    const path = join(env.XDG_CONFIG_HOME, 'beacon-quickstart', 'secrets.json');
    expect(vault.store.description).toContain(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    // A later run reads it back.
    const later = await openVault({ env, loadKeyring: broken });
    expect(await later.store.get('stripe-secret-key')).toBe('sk_test_x');
  });

  it('falls back on this machine too, whose real keychain does not answer', async () => {
    const vault = await openVault({ env: configEnv() });
    expect(['keychain', 'file']).toContain(vault.kind);
    if (vault.kind === 'file') expect(vault.fallbackReason).toBeTruthy();
  });

  it('refuses a forced keychain that does not work', async () => {
    await expect(
      openVault({ env: configEnv(), preference: 'keychain', loadKeyring: broken }),
    ).rejects.toThrow(/keychain is not usable/);
  });
});

describe('vault list, delete and clear', () => {
  it('lists names and where they live, deletes one, clears the rest', async () => {
    const keyring = memoryKeyring();
    const vault = await openVault({ env: configEnv(), loadKeyring: async () => keyring });
    await vault.store.set('beacon-access-token', 'tok_1');
    await vault.file.set('ngrok-authtoken', 'ngrok_1');
    const entries = await listSecrets(vault);
    expect(entries).toEqual([
      {
        name: 'beacon-access-token',
        store: new KeychainSecretStore(keyring).description,
      },
      { name: 'ngrok-authtoken', store: vault.file.description },
    ]);
    expect(await deleteSecret(vault, 'ngrok-authtoken')).toEqual([
      vault.file.description,
    ]);
    await expect(deleteSecret(vault, 'ngrok-authtoken')).rejects.toThrow(
      /No stored secret/,
    );
    expect(await clearSecrets(vault)).toBe(1);
    expect(await listSecrets(vault)).toEqual([]);
  });

  it('vault list on the built CLI shows names, never values', async () => {
    const env = { ...cleanEnv(), ...configEnv(), BEACON_QUICKSTART_VAULT: 'file' };
    const vault = await openVault({ env });
    await vault.store.set('stripe-secret-key', 'sk_test_never_printed');
    const listed = await runCli(['vault', 'list'], { env });
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout).toMatch(/^stripe-secret-key\s+file /m);
    expect(listed.stdout + listed.stderr).not.toContain('sk_test_never_printed');

    const json = await runCli(['vault', 'list', '--json'], { env });
    expect(JSON.parse(json.stdout).secrets).toEqual([
      { name: 'stripe-secret-key', store: vault.store.description },
    ]);

    const deleted = await runCli(['vault', 'delete', 'stripe-secret-key'], { env });
    expect(deleted.exitCode).toBe(0);
    expect(await vault.store.list()).toEqual([]);
    const missing = await runCli(['vault', 'delete', 'stripe-secret-key'], { env });
    expect(missing.exitCode).toBe(2);
  });
});
