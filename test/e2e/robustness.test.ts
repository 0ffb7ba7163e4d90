/** Inputs a newcomer (or a hostile one) tries: each gets a clear answer, never a hang. */
import {
  lstatSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { BIN, cleanEnv, runCli } from '../helpers/cli.js';

const dir = () => mkdtempSync(join(tmpdir(), 'bq-robust-'));

describe('argument errors keep --json stdout one document', () => {
  it.each([
    [['validate', '--json', '--bogus']],
    [['validate', '--json', '--timeout']],
    [['scenarios', '--json', 'extra']],
  ])('%j', async (args) => {
    const result = await runCli(args, { env: cleanEnv() });
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({
      exitCode: 2,
      error: { type: 'UsageError' },
    });
  });
});

describe('output paths', () => {
  it('refuses a path under /proc at once, before the run', async () => {
    const result = await runCli(
      ['validate', '--sandbox', '--summary', '/proc/nope/x.md'],
      {
        env: cleanEnv(),
        timeoutMs: 15_000,
      },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--summary');
    expect(result.stdout).toBe('');
  });

  it('writes through a symbolic link instead of replacing it', async () => {
    const d = dir();
    writeFileSync(join(d, 'real.xml'), '');
    symlinkSync(join(d, 'real.xml'), join(d, 'link.xml'));
    const result = await runCli(
      ['validate', '--sandbox', '--junit', join(d, 'link.xml')],
      { env: cleanEnv() },
    );
    expect(result.exitCode).toBe(0);
    expect(lstatSync(join(d, 'link.xml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(d, 'real.xml'), 'utf8')).toContain('<testsuites');
  });
});

describe('credential inputs', () => {
  it('refuses an endless file without reading it all', async () => {
    const result = await runCli(
      ['validate', '--beacon-token-file', '/dev/zero', '--stripe-key-file', '/dev/null'],
      {
        env: cleanEnv(),
        timeoutMs: 15_000,
      },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/not a credential/);
  });

  it('lets only one credential come from stdin', async () => {
    const result = await runCli(
      ['validate', '--beacon-token-file', '-', '--stripe-key-file', '-'],
      {
        env: cleanEnv(),
        input: 'tok\nsk_test_abc\n',
      },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/Only one credential can come from stdin/);
  });
});

describe('an interrupted run', () => {
  it('exits 130 and its report says interrupted, never pass, with every check listed', async () => {
    const child = execa(
      process.execPath,
      [BIN, 'validate', '--sandbox', '--scenario', 'webhook-dropped', '--json'],
      {
        reject: false,
        env: { ...cleanEnv(), NO_COLOR: '1' },
      },
    );
    let err = '';
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    // The scenario waits for events that never come: interrupt during that wait.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, err).toBe(130);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.result).toBe('fail');
    expect(report.interrupted).toBe(true);
    expect(report.steps.flatMap((s) => s.checks)).toHaveLength(29);
  });
});
