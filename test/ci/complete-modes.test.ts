/** `--complete`: which payer each mode picks, and browser mode with an injected opener. */
import { describe, expect, it } from 'vitest';
import {
  BrowserPayer,
  choosePayer,
  parseCompleteMode,
  type CompleteMode,
} from '../../src/app/payers.js';
import { runValidate, type ValidateOptions } from '../../src/app/validate.js';
import { UsageError } from '../../src/errors.js';
import { SandboxHttpPayer } from '../../src/flow/payer.js';
import { ApiLog } from '../../src/io/api-log.js';
import { systemClock } from '../../src/io/context.js';
import { fakeContext } from '../helpers/context.js';

const log = () => new ApiLog(systemClock, Date.now());

describe('choosePayer', () => {
  it.each<[CompleteMode, boolean, string]>([
    ['auto', true, 'SandboxHttpPayer'],
    ['auto', false, 'ManualPayer'],
    ['manual', true, 'ManualPayer'],
    ['browser', false, 'BrowserPayer'],
  ])('%s with loopback=%s is a %s', (mode, onLoopback, name) => {
    const payer = choosePayer({
      mode,
      onLoopback,
      log: log(),
      announce: () => undefined,
    });
    expect(payer.constructor.name).toBe(name);
  });

  it('never pays for skip, loudly', async () => {
    const payer = choosePayer({
      mode: 'skip',
      onLoopback: true,
      log: log(),
      announce: () => undefined,
    });
    await expect(
      payer.pay('http://127.0.0.1:1/x', new AbortController().signal),
    ).rejects.toThrow(/--complete skip/);
  });

  it('parses the flag, auto by default', () => {
    expect(parseCompleteMode(undefined)).toBe('auto');
    expect(parseCompleteMode('skip')).toBe('skip');
    expect(() => parseCompleteMode('pay')).toThrow(UsageError);
  });
});

describe('BrowserPayer', () => {
  it('prints the URL and still waits for a person when no browser opens', async () => {
    const announced: string[] = [];
    const payer = new BrowserPayer(
      () => Promise.reject(new Error('no xdg-open')),
      (url) => announced.push(url),
    );
    const result = await payer.pay('http://127.0.0.1:9/checkout/cs_1');
    expect(announced).toEqual(['http://127.0.0.1:9/checkout/cs_1']);
    expect(result).toMatchObject({ status: 'handed-over' });
    expect(result.detail).toContain('no xdg-open');
  });
});

describe('validate --complete browser against the sandbox', () => {
  it('hands the checkout page to the opener and confirms once it is paid', async () => {
    const opened: string[] = [];
    // The "person" in the browser: pays on the sandbox page as the HTTP payer would.
    const opener = async (url: string) => {
      opened.push(url);
      await new SandboxHttpPayer(log()).pay(url, new AbortController().signal);
    };
    const options: ValidateOptions = {
      sandbox: true,
      ci: true,
      json: true,
      timeoutSeconds: 30,
      verbose: false,
      complete: 'browser',
      opener,
    };
    const ctx = fakeContext();
    const { report, exitCode } = await runValidate(options, ctx);

    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/checkout\/cs_/);
    expect(ctx.err()).toContain(opened[0]);
    const redirect = report.steps
      .flatMap((s) => s.checks)
      .find((c) => c.id === 'checkout.redirect');
    expect(redirect?.evidence.payer).toBe('manual');
    expect(report.result).toBe('pass');
    expect(exitCode).toBe(0);
  });
});
