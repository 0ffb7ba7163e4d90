/** `beacon-quickstart sandbox` as a standalone service that other commands reach by URL. */
import { createServer } from 'node:net';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv, runCli } from '../helpers/cli.js';

interface SandboxInfo {
  beaconUrl: string;
  stripeUrl: string;
  accessToken: string;
  stripeSecretKey: string;
  organizationId: string;
  inspectUrl: string;
}

function startService(args: string[]) {
  const child = execa(process.execPath, [BIN, 'sandbox', '--json', ...args], {
    reject: false,
    env: { ...cleanEnv(), NO_COLOR: '1' },
  });
  const info = new Promise<SandboxInfo>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(JSON.parse(line) as SandboxInfo);
    });
    child.once('exit', () => reject(new Error('sandbox exited early')));
  });
  return { child, info };
}

const counts = async (url: string) =>
  ((await (await fetch(url)).json()) as { counts: Record<string, number> }).counts;

describe('sandbox command', () => {
  it('prints its details as one JSON line, serves validate by URL, and stops on Ctrl-C', async () => {
    const { child, info } = startService(['--scenario', 'happy']);
    const sandbox = await info;
    for (const key of [
      'beaconUrl',
      'stripeUrl',
      'accessToken',
      'stripeSecretKey',
      'organizationId',
      'inspectUrl',
    ]) {
      expect(sandbox[key as keyof SandboxInfo], key).toBeTruthy();
    }
    const before = await counts(sandbox.inspectUrl);
    const result = await runCli(
      [
        'validate',
        '--json',
        '--beacon-url',
        sandbox.beaconUrl,
        '--stripe-url',
        sandbox.stripeUrl,
        '--org',
        sandbox.organizationId,
      ],
      {
        env: cleanEnv({
          BEACON_ACCESS_TOKEN: sandbox.accessToken,
          STRIPE_SECRET_KEY: sandbox.stripeSecretKey,
        }),
      },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).not.toContain(sandbox.accessToken);
    const after = await counts(sandbox.inspectUrl);
    expect(after.checkouts! - before.checkouts!).toBe(1);
    expect(after.webhookEndpoints).toBe(before.webhookEndpoints);
    child.kill('SIGINT');
    expect((await child).exitCode).toBe(130);
  });

  it('refuses a port that is taken, and an unknown scenario, with exit 2', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    const port = (blocker.address() as { port: number }).port;
    const taken = await runCli(['sandbox', '--port', String(port)], {
      env: cleanEnv(),
      timeoutMs: 15_000,
    });
    blocker.close();
    expect(taken.exitCode).toBe(2);
    expect(taken.stderr).toMatch(/already in use/);
    const unknown = await runCli(['sandbox', '--scenario', 'nope'], {
      env: cleanEnv(),
      timeoutMs: 15_000,
    });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/happy/);
  });
});
