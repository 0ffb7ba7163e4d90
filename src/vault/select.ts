/**
 * Picks where secrets are kept: the OS keychain when one answers, otherwise
 * the user-only file in the XDG config directory. The choice is reported, so
 * a person always knows where their secrets went.
 */
import { ConfigError, describeError } from '../errors.js';
import { configDir } from '../io/paths.js';
import { FileSecretStore } from './file-store.js';
import {
  KeychainSecretStore,
  loadKeyring,
  type KeyringModule,
} from './keychain-store.js';
import type { SecretStore } from './store.js';

export type VaultPreference = 'auto' | 'keychain' | 'file';

export interface SelectedVault {
  store: SecretStore;
  kind: 'keychain' | 'file';
  /** The file store, which may also hold secrets from runs without a keychain. */
  file: FileSecretStore;
  /** Why the keychain is not used, when it is not. */
  fallbackReason: string | null;
}

export interface VaultSelection {
  env: NodeJS.ProcessEnv;
  /** BEACON_QUICKSTART_VAULT, when the caller does not say. */
  preference?: VaultPreference;
  loadKeyring?: () => Promise<KeyringModule>;
}

function preferenceFrom(env: NodeJS.ProcessEnv): VaultPreference {
  const value = env.BEACON_QUICKSTART_VAULT;
  return value === 'keychain' || value === 'file' ? value : 'auto';
}

/** Opens the keychain if it works here, else the file store. */
export async function openVault(selection: VaultSelection): Promise<SelectedVault> {
  const file = new FileSecretStore(configDir(selection.env));
  const preference = selection.preference ?? preferenceFrom(selection.env);
  if (preference === 'file') {
    return {
      store: file,
      kind: 'file',
      file,
      fallbackReason: 'BEACON_QUICKSTART_VAULT=file',
    };
  }
  try {
    const keychain = new KeychainSecretStore(
      await (selection.loadKeyring ?? loadKeyring)(),
    );
    await keychain.probe();
    return { store: keychain, kind: 'keychain', file, fallbackReason: null };
  } catch (error) {
    if (preference === 'keychain') {
      throw new ConfigError(
        `The keychain is not usable: ${firstLine(describeError(error))}`,
        {
          suggestion:
            'Unset BEACON_QUICKSTART_VAULT (or set it to file) to use the file store.',
        },
      );
    }
    return {
      store: file,
      kind: 'file',
      file,
      fallbackReason: keychainWhyNot(describeError(error)),
    };
  }
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').slice(0, 120);
}

/** One line for people: where secrets are kept and why. */
export function describeVault(vault: SelectedVault): string {
  const where = vault.store.description;
  return vault.fallbackReason ? `${where}; ${vault.fallbackReason}` : where;
}

/** The binding's errors name D-Bus internals; say what they mean instead. */
function keychainWhyNot(message: string): string {
  if (/dbus|zbus|secret service|org\.freedesktop/i.test(message)) {
    return 'no keychain service is running (no D-Bus secret service in this session)';
  }
  return `no usable keychain (${firstLine(message).slice(0, 120)})`;
}
