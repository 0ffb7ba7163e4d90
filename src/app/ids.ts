/** Run and operation ids: sortable by time, unguessable by the rest. */
import { randomBytes } from 'node:crypto';

export function newRunId(now = Date.now()): string {
  return `run_${now.toString(36)}${randomBytes(4).toString('hex')}`;
}

/** The logical operation behind one checkout; its key is chk_<operation id>. */
export function newOperationId(): string {
  return randomBytes(12).toString('hex');
}
