/** `report FILE`: a saved run re-rendered in every format, and every way a file can be bad. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { allCases, allReportChecks, readJUnit, scratch } from './support.js';

let dir: string;
let remove: () => Promise<void>;
let saved: string;
let report: Report;

beforeAll(async () => {
  ({ dir, remove } = await scratch());
  const run = await runCli(
    [
      'validate',
      '--sandbox',
      '--ci',
      '--scenario',
      'confirm-skipped',
      '--output',
      'run.json',
    ],
    { env: cleanEnv(), cwd: dir },
  );
  expect(run.exitCode, run.stderr).toBe(1);
  saved = await readFile(join(dir, 'run.json'), 'utf8');
  report = JSON.parse(saved) as Report;
});

afterAll(async () => {
  await remove();
});

const cli = (args: string[], input?: string) =>
  runCli(['report', ...args], { env: cleanEnv(), cwd: dir, input });

describe('report re-renders a saved run', () => {
  it('as JSON, byte for byte the saved document', async () => {
    const result = await cli(['run.json', '--format', 'json']);
    expect(result.exitCode).toBe(0);
    expect(`${result.stdout}\n`).toBe(saved);
  });

  it('as the terminal report by default, exit 0 even for a failed run', async () => {
    const result = await cli(['run.json']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Confirm outcome');
    expect(result.stdout).toMatch(/27 of 29 checks passed, 2 failed/);
    expect(result.stdout).not.toContain(String.fromCharCode(27));
  });

  it('as JUnit whose counts match the saved run', async () => {
    const result = await cli(['run.json', '--format', 'junit', '--out', 'out/j.xml']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    const junit = readJUnit(await readFile(join(dir, 'out/j.xml'), 'utf8'));
    const checks = allReportChecks(report);
    expect(allCases(junit)).toHaveLength(checks.length);
    expect(junit.failures).toBe(checks.filter((c) => c.status === 'fail').length);
  });

  it('as Markdown with the table and the diagnoses', async () => {
    const result = await cli(['run.json', '--format', 'markdown']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('| Step | Check | Status | Message |');
    expect(result.stdout).toContain('### Diagnoses');
  });

  it('as a self-contained HTML page with the SVG timeline', async () => {
    const result = await cli(['run.json', '--format', 'html', '--out', 'r.html']);
    expect(result.exitCode, result.stderr).toBe(0);
    const html = await readFile(join(dir, 'r.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('<svg class="timeline"');
    expect(html).not.toMatch(/<script|<link|@import|url\(\s*['"]?(https?:)?\/\//i);
    expect(html).not.toMatch(/\s(src|href)=["']?(https?:)?\/\//i);
  });

  it('from stdin with -', async () => {
    const result = await cli(['-', '--format', 'markdown'], saved);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('❌ Quickstart failed');
  });
});

describe('report refuses bad input with exit 2 and one clear line', () => {
  beforeAll(async () => {
    await writeFile(join(dir, 'broken.json'), '{"schemaVersion": 1,', 'utf8');
    await writeFile(join(dir, 'other.json'), '{"name": "package"}', 'utf8');
    await writeFile(join(dir, 'future.json'), '{"schemaVersion": 99}', 'utf8');
    await mkdir(join(dir, 'adir'), { recursive: true });
  });

  it.each([
    ['a missing file', ['missing.json'], /Cannot read missing\.json: no such file/],
    ['a directory', ['adir'], /Cannot read adir: it is a directory/],
    ['bad JSON', ['broken.json'], /broken\.json is not valid JSON/],
    [
      'not a report',
      ['other.json'],
      /other\.json is not a usable report: it has no schemaVersion/,
    ],
    ['a newer schema', ['future.json'], /schema version 99/],
    [
      'an unknown format',
      ['run.json', '--format', 'pdf'],
      /Unknown report format "pdf"[\s\S]*terminal, json, junit, markdown, html/,
    ],
    [
      'an unwritable --out',
      ['run.json', '--out', 'run.json/x.html'],
      /--out: cannot write/,
    ],
  ])('%s', async (_name, args, message) => {
    const result = await cli(args);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });

  it('empty stdin', async () => {
    const result = await cli(['-'], '');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/stdin is empty/);
  });

  it('bad JSON on stdin', async () => {
    const result = await cli(['-'], 'not json');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/stdin is not valid JSON/);
  });
});
