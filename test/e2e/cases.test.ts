/** Failure kinds integrators hit in public, reduced to small inputs (../shared cases). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runValidate } from '../../src/app/validate.js';
import { fakeContext } from '../helpers/context.js';

function isolatedEnv() {
  const home = mkdtempSync(join(tmpdir(), 'bq-cases-'));
  return { XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state') };
}

async function sandboxRun(seed: number) {
  return runValidate(
    { sandbox: true, seed, ci: true, json: true, timeoutSeconds: 60, verbose: false },
    fakeContext({ env: isolatedEnv() }),
  );
}

describe('out-of-order events', () => {
  it('converges to pass when invoice.payment_succeeded arrives before checkout.session.completed', async () => {
    let seen = false;
    for (let seed = 1; seed <= 30 && !seen; seed += 1) {
      const { report, exitCode } = await sandboxRun(seed);
      const order = report.timeline.deliveries
        .filter((d) => d.verified)
        .map((d) => d.type);
      const paid = order.indexOf('invoice.payment_succeeded');
      const completed = order.indexOf('checkout.session.completed');
      if (paid === -1 || completed === -1 || paid > completed) continue;
      seen = true;
      expect(exitCode, JSON.stringify(report.diagnoses)).toBe(0);
      expect(report.result).toBe('pass');
    }
    expect(seen, 'no seed delivered invoice.payment_succeeded first').toBe(true);
  });
});

describe('repeated delivery', () => {
  it('counts a repeated event once, with its delivery count, and Beacon processed it once', async () => {
    const { report } = await sandboxRun(7);
    const repeated = report.correlation.events.filter((e) => e.deliveries > 1);
    expect(repeated.length).toBeGreaterThan(0);
    const ids = report.correlation.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const event of repeated) expect(event.beaconProcessed).toBe(true);
  });
});
