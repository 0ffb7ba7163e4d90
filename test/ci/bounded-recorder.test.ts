/** The run deadline and the recorder it bounds, without servers. */
import { describe, expect, it } from 'vitest';
import {
  BoundedRecorder,
  PAYMENT_CHECKS,
  PAYMENT_SKIPPED_REASON,
} from '../../src/app/bounded-recorder.js';
import { RunDeadline, TIMED_OUT } from '../../src/app/deadline.js';
import { InterruptedError } from '../../src/errors.js';
import { fail, pass } from '../../src/flow/outcome.js';
import { abortableSleep } from '../../src/beacon/retrying-fetch.js';

const never = () => new Promise<never>(() => undefined);

/** A deadline that has already passed (its timer fires on the next turn). */
async function passedDeadline(seconds = 0.001): Promise<RunDeadline> {
  const deadline = new RunDeadline(seconds);
  await new Promise((resolve) => deadline.signal.addEventListener('abort', resolve));
  return deadline;
}

function recorder(deadline: RunDeadline, skipPayment = false, interrupt?: AbortSignal) {
  return new BoundedRecorder(() => 0, { deadline, skipPayment }, interrupt);
}

describe('RunDeadline', () => {
  it('resolves race with the work when it settles first', async () => {
    const deadline = new RunDeadline(60);
    await expect(deadline.race(Promise.resolve('done'))).resolves.toBe('done');
    await expect(deadline.race(Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    deadline.dispose();
  });

  it('resolves race with TIMED_OUT when the deadline passes first', async () => {
    const deadline = new RunDeadline(0.02);
    await expect(deadline.race(never())).resolves.toBe(TIMED_OUT);
    expect(deadline.passed).toBe(true);
  });

  it('aborts its signal with a reason that is not an interruption', async () => {
    const deadline = await passedDeadline();
    expect(deadline.signal.reason).not.toBeInstanceOf(InterruptedError);
    expect(String(deadline.signal.reason)).toContain('--timeout');
  });
});

describe('BoundedRecorder and the deadline', () => {
  it('fails the waiting check with reason timeout and skips every later check', async () => {
    const deadline = new RunDeadline(0.05);
    const checks = recorder(deadline);
    await checks.step('connect', async () => {
      await checks.check('connect.token', async () => pass('ok'));
      await checks.check('connect.test-mode', never);
      await checks.check('connect.account', async () => pass('would pass'));
      checks.skip('connect.charges-enabled', 'its own reason');
    });
    await checks.step('webhooks', async () => {
      throw new Error('a step after the deadline must not run');
    });

    const [connect, webhooks] = checks.steps;
    const status = (id: string) => checks.find(id);
    expect(status('connect.token')?.status).toBe('pass');
    expect(status('connect.test-mode')).toMatchObject({
      status: 'fail',
      evidence: { reason: 'timeout', timeoutSeconds: 0.05 },
    });
    const later = [...connect!.checks.slice(2), ...webhooks!.checks];
    expect(later.length).toBeGreaterThan(5);
    for (const check of later) {
      expect(check.status).toBe('skip');
      expect(check.message).toBe('Not run: the run reached --timeout (0.05 s)');
    }
    expect(connect!.status).toBe('fail');
    expect(webhooks!.status).toBe('skip');
    expect(checks.timedOut).toBe(true);
  });

  it('turns a wait the deadline cut short into a timeout, keeping what it said', async () => {
    const deadline = new RunDeadline(0.02);
    const checks = recorder(deadline);
    await checks.step('confirm', async () => {
      await checks.check('confirm.return', async () => {
        await new Promise((r) => deadline.signal.addEventListener('abort', r));
        return fail('The return callback never arrived', 'no-return');
      });
    });
    // Whichever wins the race, the cause recorded is the deadline.
    expect(checks.find('confirm.return')).toMatchObject({
      status: 'fail',
      evidence: { reason: 'timeout' },
    });
  });

  it('turns an abort from the deadline signal into a timeout, not an interruption', async () => {
    const deadline = new RunDeadline(0.02);
    const checks = recorder(deadline);
    await checks.step('checkout', async () => {
      await checks.check('checkout.created', () =>
        abortableSleep(60_000, deadline.signal).then(() => pass('woke')),
      );
    });
    expect(checks.find('checkout.created')?.evidence.reason).toBe('timeout');
  });

  it('fails the first check of a step that starts after the deadline', async () => {
    const checks = recorder(await passedDeadline());
    await checks.step('operations', async () => undefined);
    const [first, ...rest] = checks.steps[0]!.checks;
    expect(first).toMatchObject({ id: 'operations.health', status: 'fail' });
    expect(first!.message).toContain('before this check could start');
    expect(rest.every((c) => c.status === 'skip')).toBe(true);
  });

  it('lets Ctrl-C stay an interruption', async () => {
    const interrupt = new AbortController();
    const checks = recorder(new RunDeadline(60), false, interrupt.signal);
    const run = checks.step('connect', async () => {
      await checks.check('connect.token', async () => {
        interrupt.abort(new InterruptedError());
        return pass('too late');
      });
    });
    await expect(run).rejects.toBeInstanceOf(InterruptedError);
  });

  it('leaves checks alone while the deadline is ahead', async () => {
    const deadline = new RunDeadline(60);
    const checks = recorder(deadline);
    await checks.step('connect', async () => {
      await checks.check('connect.token', async () => fail('rejected', 'invalid-token'));
      checks.skip('connect.test-mode', 'Beacon rejected the token');
    });
    deadline.dispose();
    expect(checks.find('connect.token')?.evidence.reason).toBe('invalid-token');
    expect(checks.find('connect.test-mode')?.message).toBe('Beacon rejected the token');
    expect(checks.find('connect.account')?.message).toBe('Not reached');
  });
});

describe('BoundedRecorder with --complete skip', () => {
  it('skips the checks that need a payment without running them, and runs the rest', async () => {
    const deadline = new RunDeadline(60);
    const checks = recorder(deadline, true);
    const ran: string[] = [];
    const run = (id: string) =>
      checks.check(id, async () => {
        ran.push(id);
        return pass('ran');
      });
    await checks.step('checkout', async () => {
      await run('checkout.created');
      await run('checkout.redirect');
    });
    await checks.step('confirm', async () => {
      // The confirm step skips with its own reason when nothing was paid.
      checks.skip('confirm.return', 'The checkout was not paid');
    });
    await checks.step('operations', async () => {
      await run('operations.health');
      await run('operations.dashboard-state');
    });
    deadline.dispose();

    expect(ran).toEqual(['checkout.created', 'operations.health']);
    for (const id of [
      'checkout.redirect',
      'confirm.return',
      'operations.dashboard-state',
    ]) {
      expect(PAYMENT_CHECKS.has(id)).toBe(true);
      expect(checks.find(id)).toMatchObject({
        status: 'skip',
        message: PAYMENT_SKIPPED_REASON,
      });
    }
  });
});
