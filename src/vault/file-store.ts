/**
 * A secret store in one JSON file readable only by the user (0600 in a 0700
 * directory), replaced atomically on every change.
 */
import { chmod, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-file.js';
import type { SecretStore } from './store.js';

export class FileSecretStore implements SecretStore {
  readonly path: string;

  constructor(dir: string) {
    this.path = join(dir, 'secrets.json');
  }

  get description(): string {
    return `file ${this.path}`;
  }

  private async readAll(): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    const info = await stat(this.path);
    // Tighten a store someone loosened, rather than keep secrets world-readable.
    if ((info.mode & 0o077) !== 0) await chmod(this.path, 0o600);
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed === 'object' && parsed !== null)
        return parsed as Record<string, string>;
    } catch {
      // fall through to the error below
    }
    throw new ConfigError(`The secret store ${this.path} is not valid JSON.`, {
      suggestion:
        'Move it aside; the next run creates a new one (stored secrets must be re-entered).',
    });
  }

  async get(name: string): Promise<string | null> {
    const all = await this.readAll();
    return typeof all[name] === 'string' ? all[name] : null;
  }

  async set(name: string, value: string): Promise<void> {
    const all = await this.readAll();
    all[name] = value;
    await writeFileAtomic(this.path, JSON.stringify(all, null, 2) + '\n', {
      mode: 0o600,
    });
  }

  async delete(name: string): Promise<boolean> {
    const all = await this.readAll();
    if (!(name in all)) return false;
    delete all[name];
    await writeFileAtomic(this.path, JSON.stringify(all, null, 2) + '\n', {
      mode: 0o600,
    });
    return true;
  }

  async list(): Promise<string[]> {
    return Object.keys(await this.readAll()).sort();
  }
}
