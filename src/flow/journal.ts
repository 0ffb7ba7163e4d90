/**
 * The run journal: what a run created, written atomically after every change
 * so that a crashed or interrupted run leaves an accurate list of leftovers
 * for the next run to clean up.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-file.js';
import { startLocalServer, type LocalServer } from '../webhooks/local-server.js';

export interface JournalData {
  version: 1;
  runId: string;
  operationId: string;
  idempotencyKey: string;
  target: 'sandbox' | 'beacon';
  /** Which Stripe the resources live in: base URL and account id (no secrets). */
  stripeUrl: string;
  stripeAccountId: string | null;
  organizationId: string | null;
  pid: number;
  status: 'running' | 'finished' | 'interrupted';
  startedAt: string;
  updatedAt: string;
  endpoints: Array<{ id: string; url: string; deleted: boolean }>;
  checkoutSessions: string[];
  /** The local server's port and the return URL given to Beacon, for `--resume`. */
  localPort?: number;
  returnUrl?: string;
}

export class Journal {
  private constructor(
    readonly path: string,
    private data: JournalData,
  ) {}

  /** Creates the journal file for a new run. */
  static async create(dir: string, data: Omit<JournalData, 'version' | 'updatedAt'>) {
    const journal = new Journal(join(dir, `${data.runId}.json`), {
      version: 1,
      ...data,
      updatedAt: data.startedAt,
    });
    await journal.flush();
    return journal;
  }

  get snapshot(): Readonly<JournalData> {
    return this.data;
  }

  async update(change: (data: JournalData) => void): Promise<void> {
    change(this.data);
    this.data.updatedAt = new Date().toISOString();
    await this.flush();
  }

  private flush(): Promise<void> {
    return writeFileAtomic(this.path, JSON.stringify(this.data, null, 2) + '\n');
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Journals of earlier runs that still list undeleted endpoints and whose
 * process is gone; unreadable journals are skipped (and reported by name).
 */
export async function findOrphanedRuns(dir: string, currentRunId: string) {
  const orphans: Array<{ path: string; data: JournalData }> = [];
  const unreadable: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return { orphans, unreadable };
  }
  for (const name of names) {
    if (!name.endsWith('.json') || name === `${currentRunId}.json`) continue;
    const path = join(dir, name);
    try {
      const data = JSON.parse(await readFile(path, 'utf8')) as JournalData;
      if (data.version !== 1 || !Array.isArray(data.endpoints)) throw new Error('shape');
      const pending = data.endpoints.some((e) => !e.deleted);
      if (data.status === 'running' && processAlive(data.pid)) continue;
      if (!pending) {
        await rm(path, { force: true });
        continue;
      }
      orphans.push({ path, data });
    } catch {
      unreadable.push(name);
    }
  }
  return { orphans, unreadable };
}

/** What `--resume` continues: the operation (so the Idempotency-Key) of a dead run. */
export interface ResumePoint {
  runId: string;
  operationId: string;
  idempotencyKey: string;
  /** The checkout request's body includes the return URL: same port and nonce, same body. */
  localPort: number | null;
  returnNonce: string | null;
}

/**
 * The newest run in `dir` against the same Stripe that neither finished nor
 * is still running; null when there is none. Unreadable journals are skipped.
 */
export async function findResumableRun(
  dir: string,
  stripeUrl: string,
): Promise<ResumePoint | null> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return null;
  }
  let newest: JournalData | null = null;
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const data = await readJournal(join(dir, name));
    if (!data || data.status === 'finished' || data.stripeUrl !== stripeUrl) continue;
    if (data.status === 'running' && processAlive(data.pid)) continue;
    if (!newest || data.startedAt > newest.startedAt) newest = data;
  }
  if (!newest) return null;
  return {
    runId: newest.runId,
    operationId: newest.operationId,
    idempotencyKey: newest.idempotencyKey,
    localPort: newest.localPort ?? null,
    returnNonce: returnNonceOf(newest.returnUrl),
  };
}

async function readJournal(path: string): Promise<JournalData | null> {
  try {
    const data = JSON.parse(await readFile(path, 'utf8')) as JournalData;
    return data.version === 1 && typeof data.operationId === 'string' ? data : null;
  } catch {
    return null;
  }
}

function returnNonceOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).searchParams.get('state');
  } catch {
    return null;
  }
}

/**
 * The local server for a run: on the resumed run's port when it is free, so
 * the checkout request is byte-for-byte the same; on any free port otherwise.
 */
export async function startRunServer(resume: ResumePoint | null): Promise<LocalServer> {
  if (!resume?.localPort) return startLocalServer();
  try {
    return await startLocalServer(resume.localPort);
  } catch {
    // Taken: the resumed request differs in its return URL and Beacon will say so.
    return startLocalServer();
  }
}
