/**
 * Secrets in the operating system's keychain (macOS Keychain, Windows
 * Credential Manager, the Secret Service on Linux) through @napi-rs/keyring,
 * loaded only when a keychain is actually used.
 */
import type { SecretStore } from './store.js';

export const KEYCHAIN_SERVICE = 'beacon-quickstart';

/** The part of @napi-rs/keyring this store uses; tests pass a fake. */
export interface KeyringModule {
  AsyncEntry: new (
    service: string,
    account: string,
  ) => {
    getPassword(): Promise<string | null>;
    setPassword(value: string): Promise<void>;
    deletePassword(): Promise<boolean>;
  };
  findCredentialsAsync(service: string): Promise<Array<{ account: string }>>;
}

export async function loadKeyring(): Promise<KeyringModule> {
  const mod = (await import('@napi-rs/keyring')) as unknown as KeyringModule & {
    default?: KeyringModule;
  };
  return mod.default ?? mod;
}

export class KeychainSecretStore implements SecretStore {
  readonly description = 'keychain (OS credential store)';

  constructor(
    private readonly keyring: KeyringModule,
    private readonly service = KEYCHAIN_SERVICE,
  ) {}

  private entry(name: string) {
    return new this.keyring.AsyncEntry(this.service, name);
  }

  async get(name: string): Promise<string | null> {
    return (await this.entry(name).getPassword()) ?? null;
  }

  async set(name: string, value: string): Promise<void> {
    await this.entry(name).setPassword(value);
  }

  async delete(name: string): Promise<boolean> {
    return this.entry(name).deletePassword();
  }

  async list(): Promise<string[]> {
    const found = await this.keyring.findCredentialsAsync(this.service);
    return found.map((c) => c.account).sort();
  }

  /** Throws when no keychain service answers (e.g. no D-Bus Secret Service). */
  async probe(): Promise<void> {
    await this.keyring.findCredentialsAsync(this.service);
  }
}
