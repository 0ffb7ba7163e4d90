/**
 * The flow against a sandbox that resets connections, answers past the
 * client's timeout and bursts 5xx/429: every run passes or fails with the
 * diagnosis that names the fault, and one operation never makes two checkouts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxHandle, TransportFaults } from '../../src/sandbox/types.js';
import { faultySandbox, validateJson, workspace, type Workspace } from './support.js';

let sandbox: SandboxHandle | null = null;
let ws: Workspace | null = null;

afterEach(async () => {
  await sandbox?.close();
  await ws?.dispose();
  sandbox = null;
  ws = null;
});

async function runWith(faults: TransportFaults) {
  sandbox = await faultySandbox(faults);
  ws = await workspace(sandbox);
  const before = sandbox.counts();
  const result = await validateJson(sandbox, ws);
  return { ...result, before, after: sandbox.counts(), faults: sandbox.faultCounts() };
}

const CHECKOUTS = '/beacon/v1/billing/subscription-checkouts';

interface Case {
  name: string;
  faults: TransportFaults;
  /** Diagnoses a failing run may carry; empty: the run must pass. */
  diagnoses: string[];
  /** Diagnoses that must be among them when the run fails. */
  required?: string[];
}

const CASES: Case[] = [
  {
    name: 'a reset after every third request was served',
    faults: { resetEvery: 3 },
    diagnoses: [],
  },
  {
    name: 'the checkout created, then its connection reset, twice',
    faults: { pathPrefix: CHECKOUTS, method: 'POST', resetEvery: 1, resetLimit: 2 },
    diagnoses: [],
  },
  {
    name: 'a short 503 burst',
    faults: { burst: { status: 503, from: 3, count: 3 } },
    diagnoses: [],
  },
  {
    name: 'a 429 burst on Beacon with Retry-After',
    faults: {
      pathPrefix: '/beacon/v1',
      burst: { status: 429, from: 2, count: 3, retryAfterSeconds: 1 },
    },
    diagnoses: [],
  },
  {
    // Stripe's SDK retries a 429 only when Stripe-Should-Retry says so; this burst does not.
    name: 'a 429 burst on Stripe',
    faults: { pathPrefix: '/v1/', burst: { status: 429, from: 1, count: 3 } },
    diagnoses: ['throttled'],
    required: ['throttled'],
  },
  {
    name: 'Beacon down for the whole run',
    faults: { pathPrefix: '/beacon/v1', burst: { status: 503, from: 1, count: 10_000 } },
    diagnoses: ['beacon-unreachable', 'platform-degraded', 'check-failed'],
    required: ['beacon-unreachable'],
  },
];

describe('the flow under transport faults', () => {
  it.each(CASES)(
    '$name: right outcome, at most one checkout',
    async (c) => {
      const { code, report, before, after, faults } = await runWith(c.faults);
      const ids = report.diagnoses.map((d) => d.id);

      expect(faults.counted).toBeGreaterThan(0);
      expect(after.checkouts - before.checkouts).toBeLessThanOrEqual(1);
      if (c.diagnoses.length === 0) {
        expect({ result: report.result, ids, code }).toEqual({
          result: 'pass',
          ids: [],
          code: 0,
        });
      } else {
        expect(code).toBe(report.result === 'pass' ? 0 : 1);
        for (const id of ids) expect(c.diagnoses).toContain(id);
        if (report.result !== 'pass')
          expect(ids).toEqual(expect.arrayContaining(c.required ?? []));
      }
    },
    60_000,
  );

  it('an answer held past the client timeout is replayed, not re-created', async () => {
    // The first checkout is applied but answered after 16 s, past the 15 s client timeout.
    const { code, report, before, after, faults } = await runWith({
      pathPrefix: CHECKOUTS,
      method: 'POST',
      slowEvery: 1,
      slowLimit: 1,
      slowMs: 16_000,
    });

    expect(faults.slowed).toBe(1);
    expect(after.checkouts - before.checkouts).toBe(1);
    const keyed = report.timeline.apiCalls.filter(
      (call) =>
        call.method === 'POST' && call.path.startsWith('/billing/subscription-checkouts'),
    );
    expect(new Set(keyed.map((call) => call.idempotencyKey)).size).toBe(1);
    expect(keyed.some((call) => call.status === null)).toBe(true);
    expect({ result: report.result, code }).toEqual({ result: 'pass', code: 0 });
  }, 60_000);
});
