/**
 * Ctrl-C in a real process: the run says so, deletes its temporary endpoint,
 * records the interruption, and exits 130; a second Ctrl-C leaves at once.
 * `validate --webhook-wait` against a standalone sandbox gives a long wait
 * (webhook-dropped: events never come) to interrupt.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxHandle } from '../../src/sandbox/types.js';
import { BIN, cleanEnv } from '../helpers/cli.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, what: string, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i += 1) {
    if (condition()) return;
    await sleep(50);
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe('Ctrl-C', () => {
  let sandbox: SandboxHandle | null = null;
  let child: ResultPromise | null = null;
  afterEach(async () => {
    child?.kill('SIGKILL');
    await sandbox?.close();
    sandbox = null;
  });

  async function startWaitingRun() {
    sandbox = await startSandbox({ scenario: 'webhook-dropped' });
    const before = sandbox.counts().webhookEndpoints;
    const home = mkdtempSync(join(tmpdir(), 'bq-int-'));
    const env = {
      ...cleanEnv(),
      NO_COLOR: '1',
      BEACON_ACCESS_TOKEN: sandbox.accessToken,
      STRIPE_SECRET_KEY: sandbox.stripeSecretKey,
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_STATE_HOME: join(home, 'state'),
    };
    let stderr = '';
    child = execa(
      process.execPath,
      [
        BIN,
        'validate',
        '--beacon-url',
        sandbox.beaconUrl,
        '--stripe-url',
        sandbox.stripeUrl,
        '--org',
        sandbox.organizationId,
        '--webhook-wait',
        '60',
      ],
      { env, extendEnv: true, reject: false, input: '' },
    );
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const s = sandbox;
    // Paid and waiting for the events that this scenario never sends.
    await until(
      () => s.counts().webhookEndpoints > before && s.counts().subscriptions > 0,
      'the run to reach its wait for events',
    );
    await sleep(300);
    return { before, home, stderr: () => stderr };
  }

  it('deletes the temporary endpoint, records the interruption, and exits 130', async () => {
    const { before, home, stderr } = await startWaitingRun();
    child!.kill('SIGINT');
    const result = await child!;
    expect(result.exitCode).toBe(130);
    expect(stderr()).toMatch(/Interrupted: cleaning up/);
    expect(sandbox!.counts().webhookEndpoints).toBe(before);
    const runs = join(home, 'state', 'beacon-quickstart', 'runs');
    const [file] = readdirSync(runs);
    const journal = JSON.parse(readFileSync(join(runs, file!), 'utf8'));
    expect(journal.status).toBe('interrupted');
    expect(journal.endpoints.every((e: { deleted: boolean }) => e.deleted)).toBe(true);
  });

  it('leaves at once with exit 130 on a second Ctrl-C', async () => {
    const { stderr } = await startWaitingRun();
    child!.kill('SIGINT');
    await until(() => /Interrupted/.test(stderr()), 'the first interruption notice');
    child!.kill('SIGINT');
    const result = await child!;
    expect(result.exitCode).toBe(130);
  });
});
