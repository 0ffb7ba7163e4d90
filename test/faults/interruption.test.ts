/**
 * A run killed (-9) or interrupted (SIGINT) in each step, against a
 * standalone sandbox: the journal is never corrupt, SIGINT cleans up and
 * exits 130, and the next run removes what a killed run left and, with
 * --resume, continues under the same Idempotency-Key.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/types.js';
import {
  check,
  faultySandbox,
  Gate,
  readJournals,
  spawnCli,
  targetArgs,
  validateJson,
  watchJournals,
  workspace,
  type Workspace,
} from './support.js';

interface JournalShape {
  status: string;
  idempotencyKey: string;
  endpoints: Array<{ id: string; deleted: boolean }>;
}

/** One request in each step, held so the run is inside that step when signalled. */
const STEPS = [
  { step: 'connect', method: 'GET', path: '/v1/account' },
  { step: 'webhooks', method: 'GET', path: '/v1/webhook_endpoints' },
  { step: 'checkout', method: 'GET', path: '/v1/checkout/sessions/' },
  { step: 'confirm', method: 'POST', path: '/beacon/v1/billing/subscriptions/' },
  { step: 'operations', method: 'GET', path: '/beacon/v1/health' },
] as const;

let sandbox: SandboxHandle | null = null;
let ws: Workspace | null = null;

afterEach(async () => {
  await sandbox?.close();
  await ws?.dispose();
  sandbox = null;
  ws = null;
});

/** Starts validate --verbose, waits until it is held in `step`, and returns it. */
async function holdInStep(target: (typeof STEPS)[number]) {
  const gate = new Gate(target.method, target.path);
  sandbox = await faultySandbox(gate.faults);
  ws = await workspace(sandbox);
  const baseline = sandbox.counts();
  const watcher = watchJournals(ws.runsDir);
  const run = spawnCli(
    ['validate', '--ci', '--verbose', '--timeout', '60', ...targetArgs(sandbox)],
    ws.env,
  );
  await Promise.race([
    gate.reached,
    run.exited.then(() => {
      throw new Error(`exited before ${target.step}: ${run.stderr().slice(-2000)}`);
    }),
  ]);
  return { gate, run, baseline, watcher };
}

describe('kill -9 in each step, then a new run with --resume', () => {
  it.each(STEPS)(
    'killed in $step',
    async (target) => {
      const { gate, run, baseline, watcher } = await holdInStep(target);
      expect(run.stderr()).toContain(`[step] ${target.step}`);

      run.child.kill('SIGKILL');
      await run.exited;
      gate.release();
      const journals = await readJournals(ws!.runsDir);
      expect(journals).toHaveLength(1);
      const killed = journals[0]!.data as JournalShape;
      expect(killed.status).toBe('running');
      const orphans = killed.endpoints.filter((e) => !e.deleted).map((e) => e.id);
      expect(sandbox!.counts().webhookEndpoints).toBe(
        baseline.webhookEndpoints + orphans.length,
      );

      const resumed = await validateJson(sandbox!, ws!, ['--resume']);
      expect(await watcher.stop()).toEqual([]);
      expect(watcher.seen()).toBeGreaterThan(0);
      expect({ code: resumed.code, result: resumed.report.result }).toEqual({
        code: 0,
        result: 'pass',
      });
      expect(resumed.report.correlation.idempotencyKey).toBe(killed.idempotencyKey);
      expect(sandbox!.counts().checkouts).toBeLessThanOrEqual(1);
      expect(sandbox!.counts().webhookEndpoints).toBe(baseline.webhookEndpoints);
      const stale = check(resumed.report, 'webhooks.stale-endpoints');
      expect(stale.evidence.removed).toEqual(expect.arrayContaining(orphans));
    },
    60_000,
  );
});

describe('SIGINT in each step', () => {
  it.each(STEPS)(
    'interrupted in $step: cleaned up, exit 130',
    async (target) => {
      const { gate, run, baseline, watcher } = await holdInStep(target);

      run.child.kill('SIGINT');
      // Stripe's SDK takes no abort signal: its held request must finish for cleanup to start.
      setTimeout(() => gate.release(), 200);
      const { code } = await run.exited;

      expect(await watcher.stop()).toEqual([]);
      expect(code).toBe(130);
      expect(sandbox!.counts().webhookEndpoints).toBe(baseline.webhookEndpoints);
      const journals = (await readJournals(ws!.runsDir)).map(
        (j) => j.data as JournalShape,
      );
      for (const journal of journals) {
        expect(journal.status).toBe('interrupted');
        expect(journal.endpoints.every((e) => e.deleted)).toBe(true);
      }
    },
    60_000,
  );
});
