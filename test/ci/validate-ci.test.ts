/**
 * `validate --ci` as a pipeline runs it: the built CLI against the embedded
 * sandbox, with every file output, GitHub's channels, the run deadline and
 * unattended checkout.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PAYMENT_CHECKS,
  PAYMENT_SKIPPED_REASON,
} from '../../src/app/bounded-recorder.js';
import { ALL_CHECK_IDS } from '../../src/flow/catalog.js';
import type { Report } from '../../src/report/model.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { allCases, allReportChecks, readJUnit, scratch } from './support.js';

let dir: string;
let remove: () => Promise<void>;

beforeEach(async () => {
  ({ dir, remove } = await scratch());
});

afterEach(async () => {
  await remove();
});

const file = (name: string) => join(dir, name);

describe('validate --sandbox --ci with every file output', () => {
  it('exits 0 and writes JUnit, summary and saved run that agree with the JSON', async () => {
    const result = await runCli(
      [
        'validate',
        '--sandbox',
        '--ci',
        '--json',
        '--junit',
        'j.xml',
        '--summary',
        's.md',
        '--output',
        'run.json',
      ],
      { env: cleanEnv(), cwd: dir },
    );
    expect(result.exitCode, result.stderr).toBe(0);

    // stdout is exactly the one JSON document, and the saved run is the same document.
    const report = JSON.parse(result.stdout) as Report;
    const saved = JSON.parse(await readFile(file('run.json'), 'utf8')) as Report;
    expect(saved).toEqual(report);

    const junit = readJUnit(await readFile(file('j.xml'), 'utf8'));
    const checks = allReportChecks(report);
    const cases = allCases(junit);
    expect(cases.map((c) => c.name.split(':')[0])).toEqual(checks.map((c) => c.id));
    expect(cases).toHaveLength(ALL_CHECK_IDS.length);
    expect(junit.tests).toBe(checks.length);
    expect(junit.failures).toBe(0);
    expect(cases.filter((c) => c.failure)).toEqual([]);
    expect(junit.suites.map((s) => s.name)).toEqual(report.steps.map((s) => s.id));
    for (const c of cases) {
      expect(c.classname).toMatch(/^beacon-quickstart\.[a-z]+$/);
      expect(c.time).toMatch(/^\d+\.\d{3}$/);
    }

    const summary = await readFile(file('s.md'), 'utf8');
    expect(summary).toContain('| Step | Check | Status | Message |');
    expect(summary).toMatch(/^\| --- \| --- \| --- \| --- \|$/m);
    expect(summary.match(/^\| .* \| ✅ pass \| /gm)).toHaveLength(checks.length);
  });

  it('prints no workflow commands outside GitHub Actions', async () => {
    const result = await runCli(
      ['validate', '--sandbox', '--ci', '--scenario', 'confirm-skipped'],
      { env: cleanEnv(), cwd: dir },
    );
    expect(result.exitCode).toBe(1);
    expect(result.stdout + result.stderr).not.toContain('::error');
  });
});

describe('on GitHub Actions', () => {
  it('fails confirm-skipped with ::error lines, a job summary and a JUnit failure', async () => {
    const stepSummary = file('step-summary.md');
    await writeFile(stepSummary, '## Earlier step output\n', 'utf8');
    const result = await runCli(
      [
        'validate',
        '--sandbox',
        '--ci',
        '--scenario',
        'confirm-skipped',
        '--junit',
        'j.xml',
      ],
      {
        env: cleanEnv({ GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: stepSummary }),
        cwd: dir,
      },
    );
    expect(result.exitCode).toBe(1);

    // Workflow commands go to stderr (the runner reads both streams); stdout is the report.
    const errors = result.stderr.split('\n').filter((l) => l.startsWith('::error '));
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0]).toMatch(
      /^::error title=confirm\.subscription%3A Beacon confirmed an active subscription::/,
    );
    expect(errors.join('\n')).toContain('%0AAction: After the checkout return');
    expect(result.stdout).not.toContain('::error');
    expect(result.stdout).toContain('Confirm outcome');

    const summary = await readFile(stepSummary, 'utf8');
    expect(summary.startsWith('## Earlier step output\n')).toBe(true);
    expect(summary).toContain('❌ Quickstart failed');
    expect(summary).toContain('| Step | Check | Status | Message |');
    expect(summary).toContain('`missing-confirmation`');

    const junit = readJUnit(await readFile(file('j.xml'), 'utf8'));
    const failed = allCases(junit).filter((c) => c.failure);
    const subscription = failed.find((c) => c.name.startsWith('confirm.subscription:'));
    expect(subscription?.failure?.type).toBe('missing-confirmation');
    expect(subscription?.failure?.message).toMatch(/confirm step was never called/);
    expect(subscription?.failure?.text).toMatch(
      /Action \(missing-confirmation\): .*\/confirm/,
    );
    expect(subscription?.failure?.text).toContain('beaconStatus: pending_confirmation');
    expect(junit.failures).toBe(failed.length);
  });

  it('keeps stdout one JSON document under --json', async () => {
    const result = await runCli(
      ['validate', '--sandbox', '--ci', '--json', '--scenario', 'confirm-skipped'],
      { env: cleanEnv({ GITHUB_ACTIONS: 'true' }), cwd: dir },
    );
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.result).toBe('fail');
    expect(result.stderr).toMatch(/^::error title=confirm\.subscription%3A/m);
  });
});

describe('--timeout bounds the whole run', () => {
  it('fails the waiting check, skips the rest, cleans up and writes every output', async () => {
    const result = await runCli(
      [
        'validate',
        '--sandbox',
        '--ci',
        '--json',
        '--verbose',
        '--scenario',
        'webhook-dropped',
        '--timeout',
        '3',
        '--webhook-wait',
        '60',
        '--junit',
        'j.xml',
        '--output',
        'run.json',
        '--summary',
        's.md',
      ],
      { env: cleanEnv(), cwd: dir },
    );
    expect(result.exitCode, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    const checks = allReportChecks(report);

    const timedOut = checks.filter((c) => c.evidence.reason === 'timeout');
    expect(timedOut).toHaveLength(1);
    expect(timedOut[0]!.status).toBe('fail');
    expect(timedOut[0]!.message).toContain('--timeout (3 s)');
    expect(checks.filter((c) => c.status === 'fail')).toEqual(timedOut);
    const after = checks.slice(checks.indexOf(timedOut[0]!) + 1);
    expect(after.length).toBeGreaterThan(0);
    for (const check of after) {
      expect(check.status).toBe('skip');
      expect(check.message).toContain('--timeout (3 s)');
    }
    expect(report.diagnoses.map((d) => d.id)).toContain('timeout');

    // Cleanup still ran: the temporary endpoint was deleted.
    expect(result.stderr).toMatch(/stripe DELETE \/v1\/webhook_endpoints\/we_\S+ 200/);

    const junit = readJUnit(await readFile(file('j.xml'), 'utf8'));
    const failure = allCases(junit).find((c) => c.failure);
    expect(failure?.failure?.type).toBe('timeout');
    expect(junit.skipped).toBe(checks.filter((c) => c.status === 'skip').length);
    expect(JSON.parse(await readFile(file('run.json'), 'utf8'))).toEqual(report);
    expect(await readFile(file('s.md'), 'utf8')).toContain('`timeout`');
  });
});

describe('--complete skip', () => {
  it('runs steps 1-3 and the state checks, skips what needs a payment, and passes', async () => {
    const result = await runCli(
      [
        'validate',
        '--sandbox',
        '--ci',
        '--json',
        '--complete',
        'skip',
        '--junit',
        'j.xml',
      ],
      { env: cleanEnv(), cwd: dir },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.result).toBe('pass');

    for (const check of allReportChecks(report)) {
      if (PAYMENT_CHECKS.has(check.id)) {
        expect([check.id, check.status, check.message]).toEqual([
          check.id,
          'skip',
          PAYMENT_SKIPPED_REASON,
        ]);
      } else {
        expect([check.id, check.status]).toEqual([check.id, 'pass']);
      }
    }
    expect(report.correlation.checkoutSessionId).toMatch(/^cs_/);
    expect(report.correlation.subscriptionId).toBeNull();

    const junit = readJUnit(await readFile(file('j.xml'), 'utf8'));
    const skipped = allCases(junit).filter((c) => c.skipped);
    expect(skipped).toHaveLength(PAYMENT_CHECKS.size);
    expect(skipped[0]?.skipped?.message).toBe(PAYMENT_SKIPPED_REASON);
  });

  it('refuses an unknown mode with exit 2', async () => {
    const result = await runCli(['validate', '--sandbox', '--complete', 'later'], {
      env: cleanEnv(),
      cwd: dir,
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      /--complete must be one of auto, browser, manual, skip/,
    );
  });
});

describe('an output that cannot be written', () => {
  it.each([
    ['a file where a directory should be', 'blocker/j.xml', /blocker is not a directory/],
    ['a directory where the file should be', 'out', /it is a directory/],
  ])('is exit 2 before anything is created: %s', async (_name, junit, message) => {
    await writeFile(file('blocker'), 'not a directory', 'utf8');
    await mkdir(file('out'));
    const tmp = file('tmp');
    await mkdir(tmp);
    const result = await runCli(
      ['validate', '--sandbox', '--ci', '--junit', junit, '--output', 'run.json'],
      // The sandbox run makes its temporary directory under TMPDIR: it must stay empty.
      { env: cleanEnv({ TMPDIR: tmp }), cwd: dir },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^error: --junit: cannot write /m);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(existsSync(file('run.json'))).toBe(false);
    expect(await readdir(tmp)).toEqual([]);
  });

  it('is exit 2 when GITHUB_STEP_SUMMARY points into a missing path under a file', async () => {
    await writeFile(file('blocker'), 'x', 'utf8');
    const result = await runCli(['validate', '--sandbox', '--ci', '--json'], {
      env: cleanEnv({
        GITHUB_ACTIONS: 'true',
        GITHUB_STEP_SUMMARY: file('blocker/summary.md'),
      }),
      cwd: dir,
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/GITHUB_STEP_SUMMARY: cannot write/);
    // Under --json the error is still one JSON document on stdout.
    expect(JSON.parse(result.stdout)).toMatchObject({ exitCode: 2 });
  });

  it('refuses two outputs naming the same file', async () => {
    const result = await runCli(
      ['validate', '--sandbox', '--junit', 'same.xml', '--summary', './same.xml'],
      { env: cleanEnv(), cwd: dir },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--junit and --summary name the same file/);
  });
});
