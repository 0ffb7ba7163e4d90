/**
 * Idempotency-Key bookkeeping shared by both emulators. Each API maps the
 * outcomes to its own error bodies; the rules about what is saved differ too,
 * so the caller decides whether to save a response.
 */
export interface SavedResponse {
  status: number;
  body: unknown;
}

export type IdempotencyOutcome =
  | { kind: 'new' }
  | { kind: 'replay'; saved: SavedResponse }
  | { kind: 'mismatch' }
  | { kind: 'in-flight' };

interface Entry {
  fingerprint: string;
  saved?: SavedResponse;
}

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  /** Claims `key` within `scope` for a request whose parameters hash to `fingerprint`. */
  begin(scope: string, key: string, fingerprint: string): IdempotencyOutcome {
    const id = `${scope}\u0000${key}`;
    const entry = this.entries.get(id);
    if (!entry) {
      this.entries.set(id, { fingerprint });
      return { kind: 'new' };
    }
    if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (!entry.saved) return { kind: 'in-flight' };
    return { kind: 'replay', saved: entry.saved };
  }

  /** Saves the response for later replays. */
  save(scope: string, key: string, saved: SavedResponse): void {
    const entry = this.entries.get(`${scope}\u0000${key}`);
    if (entry) entry.saved = saved;
  }

  /** Forgets a claim whose response is not to be saved, so the key can be retried. */
  release(scope: string, key: string): void {
    const id = `${scope}\u0000${key}`;
    if (!this.entries.get(id)?.saved) this.entries.delete(id);
  }
}

/** A stable text for a parsed body: object keys sorted at every level. */
export function fingerprintOf(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}
