/**
 * The real-terminal run: `init --sandbox` in tmux, Enter at every prompt,
 * must finish with a passing report and exit 0.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { BIN } from '../helpers/cli.js';

function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const available = hasTmux();
const dir = mkdtempSync(join(tmpdir(), 'bq-tmux-'));
const socket = `bq-init-${process.pid}`;
const conf = join(dir, 'tmux.conf');
writeFileSync(conf, 'set -g history-limit 20000\n');

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, '-f', conf, ...args], { encoding: 'utf8' });
}

function screen(session = 'init'): string {
  return tmux('capture-pane', '-p', '-J', '-S', '-', '-t', session);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!available)('init in a real terminal (tmux)', () => {
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
  });

  it('completes with exit 0 by pressing Enter at every prompt', async () => {
    const exitFile = join(dir, 'exit');
    const env = [
      `XDG_CONFIG_HOME=${join(dir, 'config')}`,
      `XDG_STATE_HOME=${join(dir, 'state')}`,
      'BEACON_QUICKSTART_NO_BROWSER=1',
    ].join(' ');
    const command =
      `env -u CI -u BEACON_ACCESS_TOKEN -u STRIPE_SECRET_KEY ${env} ` +
      `${process.execPath} ${BIN} init --sandbox; echo $? > ${exitFile}; sleep 30`;
    tmux('new-session', '-d', '-s', 'init', '-x', '160', '-y', '50', command);

    let answered = 0;
    // Bounded: a prompt that never comes, or a run that never ends, fails the test.
    for (let i = 0; i < 300 && !existsSync(exitFile); i += 1) {
      await sleep(200);
      const open = screen()
        .split('\n')
        .filter((l) => /^\? /.test(l));
      if (open.length > 0) {
        tmux('send-keys', '-t', 'init', 'Enter');
        answered += 1;
        await sleep(300);
      }
    }
    const text = screen();
    expect(existsSync(exitFile), text).toBe(true);
    expect(readFileSync(exitFile, 'utf8').trim(), text).toBe('0');
    expect(answered).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/✔ Plan to check out .* plus/);
    expect(text).toMatch(/✔ Pay the sandbox checkout with its test card .* Yes/);
    expect(text).toMatch(/Step 5 of 5: Validate operations/);
    expect(text).toMatch(/✔ All \d+ checks passed/);
  }, 90_000);

  it('cleans up and exits 130 on Ctrl-C while waiting for the payment', async () => {
    const sandbox = await startSandbox({ scenario: 'happy' });
    try {
      const before = sandbox.counts().webhookEndpoints;
      const exitFile = join(dir, 'exit-interrupted');
      const env = [
        `BEACON_ACCESS_TOKEN=${sandbox.accessToken}`,
        `STRIPE_SECRET_KEY=${sandbox.stripeSecretKey}`,
        `XDG_CONFIG_HOME=${join(dir, 'config2')}`,
        `XDG_STATE_HOME=${join(dir, 'state2')}`,
      ].join(' ');
      const flags = [
        `--beacon-url ${sandbox.beaconUrl}`,
        `--stripe-url ${sandbox.stripeUrl}`,
        `--org ${sandbox.organizationId}`,
        '--plan plus --billing-cycle monthly --no-browser',
      ].join(' ');
      const command =
        `env -u CI ${env} ${process.execPath} ${BIN} init ${flags}; ` +
        `echo $? > ${exitFile}; sleep 30`;
      tmux('new-session', '-d', '-s', 'interrupt', '-x', '160', '-y', '50', command);

      for (
        let i = 0;
        i < 150 && !/Waiting for the return page/.test(screen('interrupt'));
        i += 1
      ) {
        await sleep(200);
      }
      expect(sandbox.counts().webhookEndpoints).toBe(before + 1);
      tmux('send-keys', '-t', 'interrupt', 'C-c');
      for (let i = 0; i < 100 && !existsSync(exitFile); i += 1) await sleep(100);

      const text = screen('interrupt');
      expect(readFileSync(exitFile, 'utf8').trim(), text).toBe('130');
      expect(text).toMatch(/Interrupted: cleaning up/);
      expect(sandbox.counts().webhookEndpoints).toBe(before);
    } finally {
      await sandbox.close();
    }
  }, 60_000);

  it('exits 130 on Ctrl-C at a prompt', async () => {
    const exitFile = join(dir, 'exit-prompt');
    const command =
      `env -u CI XDG_CONFIG_HOME=${join(dir, 'config3')} XDG_STATE_HOME=${join(dir, 'state3')} ` +
      `${process.execPath} ${BIN} init --sandbox; echo $? > ${exitFile}; sleep 30`;
    tmux('new-session', '-d', '-s', 'prompt', '-x', '160', '-y', '50', command);
    for (let i = 0; i < 150 && !/^\? Plan to check out/m.test(screen('prompt')); i += 1) {
      await sleep(200);
    }
    tmux('send-keys', '-t', 'prompt', 'C-c');
    for (let i = 0; i < 100 && !existsSync(exitFile); i += 1) await sleep(100);
    const text = screen('prompt');
    expect(readFileSync(exitFile, 'utf8').trim(), text).toBe('130');
    expect(text).toMatch(/Interrupted/);
  }, 60_000);
});
