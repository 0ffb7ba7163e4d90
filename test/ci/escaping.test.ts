/**
 * Text from APIs ends up inside workflow commands and XML. A saved run with
 * hostile text is re-rendered by the built CLI, and the outputs must carry
 * the text intact without breaking their syntax.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeData, escapeProperty } from '../../src/report/github.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { allCases, craftedRun, readJUnit, scratch } from './support.js';

let dir: string;
let remove: () => Promise<void>;

beforeEach(async () => {
  ({ dir, remove } = await scratch());
});

afterEach(async () => {
  await remove();
});

async function render(run: object, format: string): Promise<string> {
  await writeFile(join(dir, 'run.json'), JSON.stringify(run), 'utf8');
  const result = await runCli(['report', 'run.json', '--format', format], {
    env: cleanEnv(),
    cwd: dir,
  });
  expect(result.exitCode, result.stderr).toBe(0);
  return result.stdout;
}

describe('GitHub workflow command escaping', () => {
  it.each([
    ['percent', '100% sure', '100%25 sure'],
    ['newline', 'one\ntwo', 'one%0Atwo'],
    ['carriage return', 'one\rtwo', 'one%0Dtwo'],
    ['an already escaped sequence', 'literal %0A', 'literal %250A'],
  ])('escapes %s in the message', (_name, input, expected) => {
    expect(escapeData(input)).toBe(expected);
  });

  it('escapes colon and comma in properties, and the message rules too', () => {
    expect(escapeProperty('a: b, c 50%\nd')).toBe('a%3A b%2C c 50%25%0Ad');
    // In the message a colon and a comma are plain text.
    expect(escapeData('a: b, c')).toBe('a: b, c');
  });

  it('keeps a hostile message on one line that cannot end the command early', async () => {
    const run = craftedRun({
      title: 'Confirmed: yes, or no',
      message: '100% pending: retry 1, retry 2\nsecond line ::warning::forged',
    });
    const out = await render(run, 'github');
    const lines = out.split('\n').filter((l) => l !== '');
    expect(lines).toEqual([
      '::error title=confirm.subscription%3A Confirmed%3A yes%2C or no::' +
        '100%25 pending: retry 1, retry 2%0Asecond line ::warning::forged',
    ]);
  });
});

describe('JUnit XML escaping', () => {
  it('round-trips <, & and quotes in evidence, message and title', async () => {
    const evidence = {
      reason: 'not-confirmed',
      beaconStatus: 'pending <confirmation> & "waiting" \'now\'',
      url: 'https://example.test/return?a=1&b=<2>',
    };
    const run = craftedRun({
      title: 'Title with "quotes" & <angle>',
      message: 'Beacon says <pending> & "unconfirmed"',
      evidence,
    });
    const xml = await render(run, 'junit');

    // No raw markup from the data survives; only the escaped forms do.
    expect(xml).not.toContain('<confirmation>');
    expect(xml).not.toContain('<pending>');
    expect(xml).toContain('&lt;confirmation&gt; &amp;');

    const junit = readJUnit(xml);
    const failed = allCases(junit).filter((c) => c.failure);
    expect(failed).toHaveLength(1);
    const failure = failed[0]!;
    expect(failure.name).toBe('confirm.subscription: Title with "quotes" & <angle>');
    expect(failure.failure?.message).toBe('Beacon says <pending> & "unconfirmed"');
    expect(failure.failure?.text).toContain(`beaconStatus: ${evidence.beaconStatus}`);
    expect(failure.failure?.text).toContain(`url: ${evidence.url}`);
    expect(junit.failures).toBe(1);
    expect(junit.tests).toBe(allCases(junit).length);
  });

  it('drops characters XML cannot carry instead of writing an unreadable file', async () => {
    const run = craftedRun({ message: 'bell\u0007 and escape\u001b[31m red' });
    const junit = readJUnit(await render(run, 'junit'));
    const failure = allCases(junit).find((c) => c.failure);
    expect(failure?.failure?.message).toBe('bell and escape[31m red');
  });
});
