/**
 * Plants known secrets in the environment, in files and in the vault, runs
 * every command and output format, and looks for them everywhere the runs
 * wrote: stdout, stderr and every file, plain, URL-encoded and base64.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxHandle } from '../../src/sandbox/types.js';
import { spawnCli } from '../faults/support.js';

let sandbox: SandboxHandle;
let dir = '';
let outDir = '';
let secrets: Record<string, string> = {};
const transcripts: Array<{ label: string; text: string }> = [];

/** The forms a secret could leak in: plain, URL-encoded, and base64 at any alignment. */
function leakForms(secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret)];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.from('\0'.repeat(offset) + secret).toString('base64');
    // The first and last 4 characters mix in neighbouring bytes; the core is the secret's alone.
    forms.push(encoded.slice(4, -4));
  }
  return forms.filter((f) => f.length >= 12);
}

function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_STATE_HOME: join(dir, 'state'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    BEACON_QUICKSTART_VAULT: 'file',
    GITHUB_ACTIONS: undefined,
    GITHUB_STEP_SUMMARY: undefined,
    BEACON_ORGANIZATION_ID: undefined,
    BEACON_ACCESS_TOKEN: undefined,
    STRIPE_SECRET_KEY: undefined,
    STRIPE_WEBHOOK_SECRET: undefined,
    NGROK_AUTHTOKEN: undefined,
    ...extra,
  };
  for (const [key, value] of Object.entries(env))
    if (value === undefined) delete env[key];
  return env;
}

function plantedEnv(): Record<string, string> {
  return {
    BEACON_ACCESS_TOKEN: secrets.beacon!,
    STRIPE_SECRET_KEY: secrets.stripe!,
    STRIPE_WEBHOOK_SECRET: secrets.whsec!,
    NGROK_AUTHTOKEN: secrets.ngrok!,
  };
}

/** Runs the built CLI to the end, recording everything it printed. */
async function cli(label: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawnCli(args, env);
  const { code } = await child.exited;
  transcripts.push({ label: `${label} stdout`, text: child.stdout() });
  transcripts.push({ label: `${label} stderr`, text: child.stderr() });
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

function target(): string[] {
  return [
    '--beacon-url',
    sandbox.beaconUrl,
    '--stripe-url',
    sandbox.stripeUrl,
    '--org',
    sandbox.organizationId,
  ];
}

/** Every file under `root`, tar.gz bundles unpacked to their raw tar bytes. */
async function filesUnder(root: string): Promise<Array<{ label: string; text: string }>> {
  const found: Array<{ label: string; text: string }> = [];
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    let bytes = await readFile(path);
    if (path.endsWith('.gz')) bytes = gunzipSync(bytes);
    found.push({ label: path, text: bytes.toString('latin1') });
  }
  return found;
}

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 11 });
  dir = await mkdtemp(join(tmpdir(), 'bq-secrets-'));
  outDir = join(dir, 'out');
  await mkdir(outDir, { recursive: true });
  secrets = {
    // The sandbox's real credentials: the runs use them, so they are really at risk.
    beacon: sandbox.accessToken,
    stripe: sandbox.stripeSecretKey,
    whsec: `whsec_${randomBytes(24).toString('base64url')}`,
    ngrok: `2${randomBytes(20).toString('hex')}_${randomBytes(12).toString('base64url')}`,
  };
  const files = join(dir, 'files');
  await mkdir(files, { recursive: true });
  await writeFile(join(files, 'beacon.txt'), `${secrets.beacon}\n`, { mode: 0o600 });
  await writeFile(join(files, 'stripe.txt'), `${secrets.stripe}\n`, { mode: 0o600 });
  await writeFile(join(files, 'whsec.txt'), `${secrets.whsec}\n`, { mode: 0o600 });
  const vaultDir = join(dir, 'config', 'beacon-quickstart');
  await mkdir(vaultDir, { recursive: true, mode: 0o700 });
  await writeFile(
    join(vaultDir, 'secrets.json'),
    JSON.stringify({
      'beacon-access-token': secrets.beacon,
      'stripe-secret-key': secrets.stripe,
      'ngrok-authtoken': secrets.ngrok,
      'webhook-secret:listen': secrets.whsec,
    }),
    { mode: 0o600 },
  );
});

afterAll(async () => {
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('no secret appears in any output', () => {
  it('validate in every output format, with secrets from env, files and the vault', async () => {
    const env = baseEnv(plantedEnv());
    const ok = await cli(
      'validate terminal',
      ['validate', '--ci', '--verbose', ...target()],
      env,
    );
    expect(ok.code).toBe(0);
    await cli(
      'validate json',
      [
        'validate',
        '--ci',
        '--json',
        '--verbose',
        ...target(),
        '--junit',
        join(outDir, 'junit.xml'),
        '--summary',
        join(outDir, 'summary.md'),
        '--output',
        join(outDir, 'run.json'),
      ],
      env,
    );
    const files = join(dir, 'files');
    await cli(
      'validate from files',
      [
        'validate',
        '--ci',
        '--verbose',
        ...target(),
        '--beacon-token-file',
        join(files, 'beacon.txt'),
        '--stripe-key-file',
        join(files, 'stripe.txt'),
      ],
      baseEnv(),
    );
    const vault = await cli(
      'validate from the vault',
      ['validate', '--ci', '--verbose', ...target()],
      baseEnv(),
    );
    expect(vault.code).toBe(0);
    const summary = join(outDir, 'step-summary.md');
    await cli(
      'validate on GitHub Actions',
      ['validate', '--ci', '--verbose', ...target()],
      baseEnv({ ...plantedEnv(), GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary }),
    );
  }, 120_000);

  it('report in every format', async () => {
    const saved = join(outDir, 'run.json');
    for (const format of ['terminal', 'json', 'junit', 'markdown', 'html', 'github']) {
      const result = await cli(
        `report ${format}`,
        ['report', saved, '--format', format, '--verbose'],
        baseEnv(),
      );
      expect(result.code).toBe(0);
    }
    await cli(
      'report html file',
      ['report', saved, '--format', 'html', '--out', join(outDir, 'r.html')],
      baseEnv(),
    );
  }, 60_000);

  it('diagnose, its JSON and its support bundle', async () => {
    const env = baseEnv(plantedEnv());
    const bundle = join(outDir, 'bundle.tar.gz');
    const result = await cli(
      'diagnose',
      [
        'diagnose',
        '--beacon-url',
        sandbox.beaconUrl,
        '--stripe-url',
        sandbox.stripeUrl,
        '--org',
        sandbox.organizationId,
        '--verbose',
        '--bundle',
        bundle,
      ],
      env,
    );
    expect([0, 1]).toContain(result.code);
    await cli(
      'diagnose json',
      [
        'diagnose',
        '--beacon-url',
        sandbox.beaconUrl,
        '--stripe-url',
        sandbox.stripeUrl,
        '--org',
        sandbox.organizationId,
        '--json',
      ],
      env,
    );
    expect((await readdir(outDir)).includes('bundle.tar.gz')).toBe(true);
  }, 60_000);

  it('listen, with valid and forged deliveries', async () => {
    const env = baseEnv(plantedEnv());
    const listener = spawnCli(
      ['listen', '--tunnel', 'none', '--port', '0', '--json'],
      env,
    );
    const deadline = Date.now() + 20_000;
    while (!/127\.0\.0\.1:(\d+)/.test(listener.stderr()) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(listener.stderr())?.[1]);
    const body = JSON.stringify({
      id: 'evt_hygiene',
      object: 'event',
      type: 'invoice.paid',
      data: { object: {} },
    });
    for (const secret of [secrets.whsec!, `whsec_${randomBytes(16).toString('hex')}`]) {
      const header = Stripe.webhooks.generateTestHeaderString({ payload: body, secret });
      await fetch(`http://127.0.0.1:${port}/webhooks/stripe`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Stripe-Signature': header },
        body,
      }).then((r) => r.arrayBuffer());
    }
    listener.child.kill('SIGINT');
    await listener.exited;
    transcripts.push({ label: 'listen stdout', text: listener.stdout() });
    transcripts.push({ label: 'listen stderr', text: listener.stderr() });
    expect(listener.stdout()).toContain('evt_hygiene');
  }, 60_000);

  it('the vault listing and the error paths', async () => {
    await cli('vault list', ['vault', 'list'], baseEnv());
    await cli(
      'bad flag',
      ['validate', '--bogus', secrets.stripe!],
      baseEnv(plantedEnv()),
    );
    await cli(
      'unreachable Beacon',
      [
        'validate',
        '--ci',
        '--verbose',
        '--timeout',
        '5',
        '--beacon-url',
        'http://127.0.0.1:9/v1',
        '--stripe-url',
        sandbox.stripeUrl,
        '--org',
        sandbox.organizationId,
      ],
      baseEnv(plantedEnv()),
    );
    await cli(
      'live key refused',
      ['validate', '--ci', ...target()],
      baseEnv({
        ...plantedEnv(),
        STRIPE_SECRET_KEY: secrets.stripe!.replace('sk_test_', 'sk_live_'),
      }),
    );
    await cli(
      'rejected token',
      ['validate', '--ci', '--verbose', '--json', ...target()],
      baseEnv({ ...plantedEnv(), BEACON_ACCESS_TOKEN: `${secrets.beacon}x` }),
    );
    await cli(
      'diagnose rejected token',
      [
        'diagnose',
        '--beacon-url',
        sandbox.beaconUrl,
        '--stripe-url',
        sandbox.stripeUrl,
        '--org',
        sandbox.organizationId,
        '--verbose',
      ],
      baseEnv({ ...plantedEnv(), BEACON_ACCESS_TOKEN: `${secrets.beacon}x` }),
    );
    await cli(
      'init without a terminal',
      ['init', '--sandbox', '--yes'],
      baseEnv(plantedEnv()),
    );
  }, 90_000);

  it('validate --sandbox never prints the embedded sandbox credentials', async () => {
    const env = baseEnv();
    const out = join(outDir, 'embedded');
    await mkdir(out, { recursive: true });
    const result = await cli(
      'validate --sandbox',
      [
        'validate',
        '--sandbox',
        '--ci',
        '--json',
        '--verbose',
        '--junit',
        join(out, 'j.xml'),
        '--summary',
        join(out, 's.md'),
        '--output',
        join(out, 'r.json'),
      ],
      env,
    );
    expect(result.code).toBe(0);
    const text = [
      result.stdout,
      result.stderr,
      ...(await filesUnder(out)).map((f) => f.text),
    ].join('\n');
    // Its credentials are made per run and never shown, so look for their shapes.
    expect(text).not.toMatch(/bqs_sandbox_[A-Za-z0-9]{8,}/);
    expect(text).not.toMatch(/sk_test_[A-Za-z0-9]{12,}/);
    expect(text).not.toMatch(/whsec_[A-Za-z0-9+/=_-]{12,}/);
  }, 60_000);

  it('none of the planted secrets is anywhere (checked last)', async () => {
    const everything = [...transcripts, ...(await filesUnder(outDir))];
    const state = join(dir, 'state');
    everything.push(...(await filesUnder(state).catch(() => [])));
    expect(everything.length).toBeGreaterThan(30);
    const leaks: string[] = [];
    for (const [name, secret] of Object.entries(secrets)) {
      for (const form of leakForms(secret)) {
        for (const { label, text } of everything) {
          if (text.includes(form)) leaks.push(`${name} in ${label}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });
});
