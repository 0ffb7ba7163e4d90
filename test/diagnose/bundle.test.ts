/**
 * The support bundle holds the reports, versions, configuration and request
 * log, and no secret from any source (env, file, vault) in any readable
 * encoding: plain, URL-encoded, or base64 at any alignment.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract } from 'tar';
import { afterEach, describe, expect, it } from 'vitest';
import { runDiagnose } from '../../src/app/diagnose/run.js';
import { BUNDLE_FILES, writeBundle } from '../../src/bundle/bundle.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxHandle } from '../../src/sandbox/types.js';
import { FileSecretStore } from '../../src/vault/file-store.js';
import type { Report } from '../../src/report/model.js';
import { isolatedContext } from './helpers.js';

/** Every way a person could read `secret` back out of `text`. */
function leaks(text: string, secret: string): string[] {
  const found: string[] = [];
  if (text.includes(secret)) found.push('plain');
  if (text.includes(encodeURIComponent(secret))) found.push('url-encoded');
  try {
    if (decodeURIComponent(text).includes(secret)) found.push('url-decoded');
  } catch {
    // Not valid percent-encoding as a whole; the plain check above still ran.
  }
  for (const offset of [0, 1, 2]) {
    const bytes = Buffer.from(`${'x'.repeat(offset)}${secret}`);
    const b64 = bytes.toString('base64');
    const stable = b64.slice(offset === 0 ? 0 : 4, Math.floor(bytes.length / 3) * 4);
    if (text.includes(stable)) found.push(`base64@${offset}`);
    const urlSafe = stable.replace(/\+/g, '-').replace(/\//g, '_');
    if (text.includes(urlSafe)) found.push(`base64url@${offset}`);
  }
  for (const run of text.match(/[A-Za-z0-9+/_-]{16,}={0,2}/g) ?? []) {
    for (const shift of [0, 1, 2, 3]) {
      const decoded = Buffer.from(run.slice(shift), 'base64').toString('latin1');
      if (decoded.includes(secret)) found.push('decodes-to-secret');
    }
  }
  return found;
}

async function bundleFiles(file: string): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'bq-bundle-out-'));
  await extract({ file, cwd: dir });
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir))
    files[name] = readFileSync(join(dir, name), 'utf8');
  return files;
}

function expectNoLeaks(files: Record<string, string>, secrets: string[]) {
  for (const [name, text] of Object.entries(files)) {
    for (const secret of secrets) expect(leaks(text, secret), `${name}`).toEqual([]);
  }
}

describe('support bundle', () => {
  let sandbox: SandboxHandle | null = null;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = null;
  });

  it.each([
    { token: 'vault', key: 'file' },
    { token: 'env', key: 'vault' },
    { token: 'file', key: 'env' },
  ] as const)('token from $token, key from $key: no secret leaks', async (sources) => {
    sandbox = await startSandbox({ scenario: 'confirm-skipped', seed: 3 });
    const planted = {
      webhook: `whsec_planted${'W'.repeat(24)}`,
      ngrok: `2planted_ngrok_${'N'.repeat(24)}`,
      other: `whsec_vaulted${'V'.repeat(24)}`,
    };
    const env: Record<string, string> = {
      STRIPE_WEBHOOK_SECRET: planted.webhook,
      NGROK_AUTHTOKEN: planted.ngrok,
    };
    if (sources.token === 'env') env.BEACON_ACCESS_TOKEN = sandbox.accessToken;
    if (sources.key === 'env') env.STRIPE_SECRET_KEY = sandbox.stripeSecretKey;
    const { ctx, home } = isolatedContext(env);
    const vault = new FileSecretStore(join(home, 'config', 'beacon-quickstart'));
    await vault.set('webhook-secret:we_planted', planted.other);
    if (sources.token === 'vault')
      await vault.set('beacon-access-token', sandbox.accessToken);
    if (sources.key === 'vault')
      await vault.set('stripe-secret-key', sandbox.stripeSecretKey);
    const tokenFile = join(home, 'token.txt');
    const keyFile = join(home, 'key.txt');
    writeFileSync(tokenFile, `${sandbox.accessToken}\n`);
    writeFileSync(keyFile, `${sandbox.stripeSecretKey}\n`);

    const exitCode = await runDiagnose(
      {
        org: sandbox.organizationId,
        beaconUrl: sandbox.beaconUrl,
        stripeUrl: sandbox.stripeUrl,
        ...(sources.token === 'file' ? { beaconTokenFile: tokenFile } : {}),
        ...(sources.key === 'file' ? { stripeKeyFile: keyFile } : {}),
        bundle: 'support.tar.gz',
        json: true,
        verbose: true,
      },
      ctx,
    );

    expect(exitCode).toBe(1);
    const files = await bundleFiles(join(home, 'support.tar.gz'));
    expect(Object.keys(files).sort()).toEqual([...BUNDLE_FILES].sort());
    const config = JSON.parse(files['config.json']!) as {
      credentials: Record<string, { value: string; source: string }>;
    };
    expect(config.credentials.beaconAccessToken).toEqual({
      value: '[redacted]',
      source: sources.token,
    });
    expect(config.credentials.stripeSecretKey!.source).toBe(sources.key);
    const report = JSON.parse(files['report.json']!) as Report;
    expect(report.diagnoses.map((d) => d.id)).toContain('missing-confirmation');
    expect(files['report.md']).toContain('missing-confirmation');
    const requests = files['requests.jsonl']!.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(requests.length).toBeGreaterThan(5);
    expect(Object.keys(requests[0] as object)).toEqual(
      expect.arrayContaining(['method', 'path', 'status', 'requestId', 'durationMs']),
    );
    const env2 = JSON.parse(files['environment.json']!) as Record<string, string>;
    expect(env2.node).toBe(process.version);
    const secrets = [
      sandbox.accessToken,
      sandbox.stripeSecretKey,
      ...Object.values(planted),
    ];
    expectNoLeaks(files, secrets);
    expectNoLeaks({ stdout: ctx.out(), stderr: ctx.err() }, secrets);
  });

  it('has a leak detector that finds every planted form', () => {
    const secret = 'sk_test_detectorCheck0123456789abcdef';
    expect(leaks(`x ${secret} y`, secret)).toContain('plain');
    expect(leaks(encodeURIComponent(`${secret}/`), secret).length).toBeGreaterThan(0);
    for (const prefix of ['', 'u', 'us']) {
      const text = Buffer.from(`${prefix}${secret}:pw`).toString('base64');
      expect(leaks(text, secret).length, prefix).toBeGreaterThan(0);
    }
  });

  it('redacts secrets that slipped into evidence and the request log', async () => {
    const secret = 'bqs_sandbox_slippedIntoEvidence0123456789';
    const report = {
      schemaVersion: 1,
      tool: { name: 'beacon-quickstart', version: '0.0.0' },
      command: 'diagnose',
      runId: 'run_x',
      target: 'beacon',
      organizationId: 'org_x',
      startedAt: new Date(0).toISOString(),
      finishedAt: new Date(0).toISOString(),
      durationMs: 0,
      result: 'fail',
      steps: [
        {
          id: 'connect',
          title: 'Connection',
          status: 'fail',
          startedAtMs: 0,
          durationMs: 0,
          checks: [
            {
              id: 'diagnose.token',
              title: 'Token',
              status: 'fail',
              message: `Bearer ${secret}`,
              evidence: {
                url: `https://x.test/?t=${encodeURIComponent(secret)}`,
                basic0: Buffer.from(`${secret}:`).toString('base64'),
                basic1: Buffer.from(`u${secret}:`).toString('base64'),
                basic2: Buffer.from(`us${secret}:`).toString('base64'),
              },
              startedAtMs: 0,
              durationMs: 0,
            },
          ],
        },
      ],
      diagnoses: [],
      correlation: {
        idempotencyKey: null,
        checkoutSessionId: null,
        subscriptionId: null,
        events: [],
      },
      timeline: { apiCalls: [], deliveries: [] },
    } satisfies Report;
    const dir = mkdtempSync(join(tmpdir(), 'bq-bundle-'));
    const file = join(dir, 'b.tar.gz');
    await writeBundle(file, {
      report,
      config: { note: secret },
      calls: [
        {
          service: 'stripe',
          method: 'GET',
          path: `/v1/events?key=${encodeURIComponent(secret)}`,
          status: 200,
          requestId: 'req_1',
          idempotencyKey: null,
          startedAtMs: 0,
          durationMs: 1,
          attempt: 1,
        },
      ],
      secrets: [secret],
      toolVersion: '0.0.0',
    });
    const files = await bundleFiles(file);
    expect(files['report.json']).toContain('[redacted]');
    expectNoLeaks(files, [secret]);
  });
});
