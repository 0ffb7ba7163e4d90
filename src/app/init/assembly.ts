/** The run journal as `init` opens it (validate also records its port and return URL for --resume). */
import { join } from 'node:path';
import { Journal } from '../../flow/journal.js';

export interface JournalStart {
  dir: string;
  runId: string;
  operationId: string;
  target: 'sandbox' | 'beacon';
  stripeUrl: string;
  organizationId: string;
  startedAt: number;
}

/** Creates the run's journal, which lets a later run clean up after a killed one. */
export function openJournal(start: JournalStart): Promise<Journal> {
  return Journal.create(join(start.dir, 'runs'), {
    runId: start.runId,
    operationId: start.operationId,
    idempotencyKey: `chk_${start.operationId}`,
    target: start.target,
    stripeUrl: start.stripeUrl,
    stripeAccountId: null,
    organizationId: start.organizationId,
    pid: process.pid,
    status: 'running',
    startedAt: new Date(start.startedAt).toISOString(),
    endpoints: [],
    checkoutSessions: [],
  });
}
