/**
 * The built CLI end to end: diagnose against a standalone sandbox process
 * (confirm-skipped) with --json and --bundle, and a batch over three
 * organizations of which one is unknown.
 */
import { execa, type ResultPromise } from 'execa';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract } from 'tar';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, runCli } from '../helpers/cli.js';
import { inspectCounts, settledCounts } from './helpers.js';

interface SandboxInfo {
  beaconUrl: string;
  stripeUrl: string;
  accessToken: string;
  stripeSecretKey: string;
  organizationId: string;
  inspectUrl: string;
  organizations: Array<{
    organizationId: string;
    accessToken: string;
    stripeSecretKey: string;
  }>;
}

/** Starts `beacon-quickstart sandbox --json` and reads its first line. */
async function startSandboxProcess(args: string[]) {
  const child = execa(process.execPath, [BIN, 'sandbox', '--json', ...args], {
    reject: false,
    env: { NO_COLOR: '1' },
  });
  const info = await new Promise<SandboxInfo>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const newline = buffer.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(buffer.slice(0, newline)) as SandboxInfo);
    });
    child.once('exit', () => reject(new Error('sandbox exited before printing')));
  });
  return { child, info };
}

describe('diagnose (built CLI)', () => {
  let child: ResultPromise | null = null;
  afterEach(async () => {
    child?.kill('SIGINT');
    await child;
    child = null;
  });

  it('confirm-skipped: exit 1, missing-confirmation, counts unchanged, clean bundle', async () => {
    const started = await startSandboxProcess(['--scenario', 'confirm-skipped']);
    child = started.child;
    const { info } = started;
    const home = mkdtempSync(join(tmpdir(), 'bq-e2e-diagnose-'));
    // The sandbox delivers its seeded events on start; count once that is done.
    const before = await settledCounts(info);
    const result = await runCli(
      [
        'diagnose',
        '--org',
        info.organizationId,
        '--beacon-url',
        info.beaconUrl,
        '--stripe-url',
        info.stripeUrl,
        '--json',
        '--bundle',
        'b.tar.gz',
      ],
      {
        cwd: home,
        env: cleanEnv({
          HOME: home,
          XDG_CONFIG_HOME: join(home, 'config'),
          BEACON_ACCESS_TOKEN: info.accessToken,
          STRIPE_SECRET_KEY: info.stripeSecretKey,
        }),
      },
    );
    expect(result.exitCode, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as {
      command: string;
      diagnoses: { id: string }[];
    };
    expect(report.command).toBe('diagnose');
    expect(report.diagnoses.map((d) => d.id)).toContain('missing-confirmation');
    expect(await inspectCounts(info)).toEqual(before);

    const out = join(home, 'extracted');
    mkdirSync(out);
    await extract({ file: join(home, 'b.tar.gz'), cwd: out });
    const names = readdirSync(out).sort();
    expect(names).toEqual([
      'config.json',
      'environment.json',
      'report.json',
      'report.md',
      'requests.jsonl',
    ]);
    for (const name of names) {
      const text = readFileSync(join(out, name), 'utf8');
      expect(text, name).not.toContain(info.accessToken);
      expect(text, name).not.toContain(info.stripeSecretKey);
    }
    expect(result.stdout + result.stderr).not.toContain(info.accessToken);
  });

  it('batch over three organizations, one unknown: a table and exit 1', async () => {
    const started = await startSandboxProcess(['--orgs', '1']);
    child = started.child;
    const { info } = started;
    const [first, second] = info.organizations;
    const home = mkdtempSync(join(tmpdir(), 'bq-e2e-batch-'));
    writeFileSync(
      join(home, 'orgs.txt'),
      [first!.organizationId, second!.organizationId, 'org_unknown123', ''].join('\n'),
    );
    writeFileSync(
      join(home, 'creds.json'),
      JSON.stringify({
        [second!.organizationId]: {
          beaconToken: second!.accessToken,
          stripeKey: second!.stripeSecretKey,
        },
      }),
    );
    const result = await runCli(
      [
        'diagnose',
        '--orgs',
        'orgs.txt',
        '--credentials-file',
        'creds.json',
        '--concurrency',
        '2',
        '--out-dir',
        'reports',
        '--beacon-url',
        info.beaconUrl,
        '--stripe-url',
        info.stripeUrl,
      ],
      {
        cwd: home,
        env: cleanEnv({
          HOME: home,
          XDG_CONFIG_HOME: join(home, 'config'),
          BEACON_ACCESS_TOKEN: first!.accessToken,
          STRIPE_SECRET_KEY: first!.stripeSecretKey,
        }),
      },
    );
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^ORGANIZATION\s+RESULT/);
    expect(result.stdout).toMatch(/org_unknown123\s+fail/);
    expect(result.stdout).toContain('3 organization(s): 2 passed, 1 failed');
    expect(readdirSync(join(home, 'reports'))).toHaveLength(6);
  });

  it('refuses --orgs with --bundle as a usage error', async () => {
    const result = await runCli(['diagnose', '--orgs', 'x.txt', '--bundle', 'b.tar.gz'], {
      env: cleanEnv(),
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^error: --orgs cannot be combined with --bundle/m);
  });
});
