/**
 * Batch diagnose: every organization in the file is diagnosed with bounded
 * concurrency, each report is saved, a bad or unknown organization becomes
 * its own row, and the exit code says whether any failed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseOrgLine } from '../../src/app/diagnose/batch-input.js';
import { mapBounded } from '../../src/app/diagnose/batch.js';
import { runDiagnose } from '../../src/app/diagnose/run.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxHandle } from '../../src/sandbox/types.js';
import { isolatedContext } from './helpers.js';

interface Row {
  organizationId: string;
  result: string;
  failedChecks: string[];
  topDiagnosis: string | null;
  error: string | null;
  reportFile: string | null;
}

describe('diagnose --orgs', () => {
  let sandbox: SandboxHandle | null = null;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = null;
  });

  it('ends with a table and exit 1 when one of three organizations is unknown', async () => {
    const { exitCode, out, home } = await batchWithRealIds(
      ['# customers', 'FIRST', '', 'SECOND', 'org_doesNotExist'],
      false,
      'reports',
    );
    expect(exitCode).toBe(1);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^ORGANIZATION\s+RESULT\s+FAILED CHECKS\s+TOP DIAGNOSIS$/);
    expect(lines.filter((l) => /\spass\s/.test(l))).toHaveLength(2);
    expect(lines.find((l) => l.startsWith('org_doesNotExist'))).toMatch(
      /fail\s+diagnose\.token\s+missing-scope/,
    );
    expect(out).toContain(
      '3 organization(s): 2 passed, 1 failed, 0 could not be diagnosed',
    );
    expect(out).toContain(join(home, 'reports'));
  });

  it('diagnoses each organization with its own credentials and saves every report', async () => {
    const { exitCode, out, home } = await batchWithRealIds(
      ['FIRST', 'SECOND', 'org_doesNotExist', 'not an id!'],
      true,
      'reports',
    );
    const rows = (JSON.parse(out) as { organizations: Row[] }).organizations;
    expect(exitCode).toBe(1);
    expect(rows.map((r) => r.result)).toEqual(['pass', 'pass', 'fail', 'error']);
    expect(rows[2]!.topDiagnosis).toBe('missing-scope');
    expect(rows[3]!.error).toMatch(/ORG_ID/);
    for (const row of rows.slice(0, 3)) {
      expect(row.reportFile).toBe(join(home, 'reports', `${row.organizationId}.json`));
      const saved = JSON.parse(readFileSync(row.reportFile!, 'utf8')) as {
        command: string;
      };
      expect(saved.command).toBe('diagnose');
      expect(existsSync(join(home, 'reports', `${row.organizationId}.md`))).toBe(true);
    }
  });

  it('passes when every organization passes, saving under the state directory', async () => {
    const { exitCode, out, home } = await batchWithRealIds(['FIRST', 'SECOND'], true);
    expect(exitCode).toBe(0);
    const doc = JSON.parse(out) as { outDir: string; organizations: Row[] };
    expect(
      doc.outDir.startsWith(join(home, 'state', 'beacon-quickstart', 'diagnose')),
    ).toBe(true);
    for (const row of doc.organizations) expect(existsSync(row.reportFile!)).toBe(true);
  });

  /** Starts the sandbox first, then writes its real ids in place of FIRST/SECOND. */
  async function batchWithRealIds(lines: string[], json: boolean, outDir?: string) {
    sandbox = await startSandbox({ scenario: 'happy', extraOrganizations: 1, seed: 5 });
    const [first, second] = sandbox.organizations;
    const real = lines.map((l) =>
      l === 'FIRST' ? first!.organizationId : l === 'SECOND' ? second!.organizationId : l,
    );
    const { ctx, home } = isolatedContext({
      BEACON_ACCESS_TOKEN: first!.accessToken,
      STRIPE_SECRET_KEY: first!.stripeSecretKey,
    });
    writeFileSync(join(home, 'orgs.txt'), real.join('\n'));
    writeFileSync(
      join(home, 'credentials.json'),
      JSON.stringify({
        [second!.organizationId]: {
          beaconToken: second!.accessToken,
          stripeKey: second!.stripeSecretKey,
        },
      }),
    );
    const exitCode = await runDiagnose(
      {
        orgsFile: 'orgs.txt',
        credentialsFile: 'credentials.json',
        ...(outDir === undefined ? {} : { outDir }),
        concurrency: 3,
        beaconUrl: sandbox.beaconUrl,
        stripeUrl: sandbox.stripeUrl,
        json,
        verbose: false,
      },
      ctx,
    );
    const everything = ctx.out() + ctx.err();
    expect(everything).not.toContain(first!.accessToken);
    expect(everything).not.toContain(second!.stripeSecretKey);
    return { exitCode, out: ctx.out(), home };
  }
});

describe('parseOrgLine', () => {
  it.each([
    ['org_abc', { organizationId: 'org_abc' }],
    ['  org_abc   # a comment', { organizationId: 'org_abc' }],
    ['org_abc acct_123', { organizationId: 'org_abc', stripeAccount: 'acct_123' }],
    ['org_abc sk_test_x', { error: expect.stringContaining('acct_') }],
    ['org/abc', { error: 'not an organization id' }],
    ['a b c', { error: expect.stringContaining('ORG_ID') }],
  ])('%s', (line, expected) => {
    expect(parseOrgLine(line, 1)).toMatchObject(expected);
  });

  it.each(['', '   ', '# only a comment'])('skips %j', (line) => {
    expect(parseOrgLine(line, 1)).toBeNull();
  });
});

describe('mapBounded', () => {
  it('never runs more than the limit at once and keeps input order', async () => {
    let running = 0;
    let peak = 0;
    const items = Array.from({ length: 12 }, (_, i) => i);
    const results = await mapBounded(items, 3, async (i) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5 + (i % 3) * 5));
      running -= 1;
      return i * 2;
    });
    expect(peak).toBe(3);
    expect(results).toEqual(items.map((i) => i * 2));
  });
});
