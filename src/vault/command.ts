/**
 * What `beacon-quickstart vault` does: list the names of stored secrets and
 * where each lives, delete one, or clear them all. Values never leave the
 * store through here.
 */
import { UsageError } from '../errors.js';
import type { SelectedVault } from './select.js';
import type { SecretStore } from './store.js';

export interface VaultEntry {
  name: string;
  store: string;
}

/** The stores to look in: the selected one, then the file store if it differs. */
function storesOf(vault: SelectedVault): SecretStore[] {
  return vault.store === vault.file ? [vault.file] : [vault.store, vault.file];
}

/** Names and locations of every stored secret. */
export async function listSecrets(vault: SelectedVault): Promise<VaultEntry[]> {
  const entries: VaultEntry[] = [];
  for (const store of storesOf(vault)) {
    for (const name of await store.list()) {
      entries.push({ name, store: store.description });
    }
  }
  return entries;
}

/** Deletes one secret from every store that has it; returns where it was. */
export async function deleteSecret(
  vault: SelectedVault,
  name: string,
): Promise<string[]> {
  if (!name.trim()) throw new UsageError('vault delete needs the NAME of a secret.');
  const removedFrom: string[] = [];
  for (const store of storesOf(vault)) {
    if (await store.delete(name)) removedFrom.push(store.description);
  }
  if (removedFrom.length === 0) {
    throw new UsageError(`No stored secret is named "${name}".`, {
      suggestion: 'See the stored names with `beacon-quickstart vault list`.',
    });
  }
  return removedFrom;
}

/** Deletes every stored secret; returns how many were removed. */
export async function clearSecrets(vault: SelectedVault): Promise<number> {
  let removed = 0;
  for (const store of storesOf(vault)) {
    for (const name of await store.list()) {
      if (await store.delete(name)) removed += 1;
    }
  }
  return removed;
}
