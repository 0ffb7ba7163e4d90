/**
 * init through the injected prompt layer: it asks only for what is missing,
 * accepting every default finishes a sandbox run, onboarding and the browser
 * path work, and typed secrets are stored only after a yes.
 */
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runInit, type InitOptions } from '../../src/app/init/run.js';
import { SandboxHttpPayer } from '../../src/flow/payer.js';
import { ApiLog } from '../../src/io/api-log.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxHandle } from '../../src/sandbox/types.js';
import { FileSecretStore } from '../../src/vault/file-store.js';
import type { SelectedVault } from '../../src/vault/select.js';
import { fakeContext } from '../helpers/context.js';
import {
  fakeBrowser,
  recordingSpinner,
  scriptedPrompter,
  silentPrompter,
} from './fakes.js';

const base: InitOptions = {
  sandbox: true,
  timeoutSeconds: 30,
  verbose: false,
  store: true,
};

const noSkip = () => ({
  pressed: new Promise<void>(() => undefined),
  stop: () => undefined,
});

function home() {
  const dir = mkdtempSync(join(tmpdir(), 'bq-init-'));
  return {
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_STATE_HOME: join(dir, 'state'),
    HOME: dir,
  };
}

function fileVault(dir: string): SelectedVault {
  const file = new FileSecretStore(dir);
  return { store: file, kind: 'file', file, fallbackReason: 'test' };
}

describe('init with scripted prompts', () => {
  let sandbox: SandboxHandle | null = null;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = null;
  });

  it('passes in the sandbox when every default is accepted', async () => {
    const prompter = scriptedPrompter();
    const spinner = recordingSpinner();
    const ctx = fakeContext({ env: home() });
    const { report, exitCode } = await runInit(base, ctx, {
      prompter,
      browser: fakeBrowser(),
      spinner,
      skipKey: noSkip,
    });
    expect(exitCode, JSON.stringify(report.diagnoses)).toBe(0);
    expect(report.command).toBe('init');
    expect(prompter.asked.map((q) => q.kind)).toEqual(['select', 'select', 'confirm']);
    expect(prompter.asked[2]!.message).toMatch(/test card/);
    // Each step is introduced, and each check shown as it completes.
    expect(spinner.lines.filter((l) => /^Step \d of 5: /.test(l))).toHaveLength(5);
    expect(spinner.lines.some((l) => l.includes('Account can accept charges'))).toBe(
      true,
    );
  });

  it('asks nothing that a flag already answers', async () => {
    const prompter = scriptedPrompter();
    const ctx = fakeContext({ env: home() });
    const { exitCode } = await runInit(
      { ...base, plan: 'plus', billingCycle: 'yearly' },
      ctx,
      { prompter, browser: fakeBrowser(), spinner: recordingSpinner(), skipKey: noSkip },
    );
    expect(exitCode).toBe(0);
    expect(prompter.asked.map((q) => q.message)).toEqual([
      expect.stringMatching(/test card/),
    ]);
  });

  it('refuses a plan Beacon does not sell with a configuration error', async () => {
    const run = runInit(
      { ...base, plan: 'platinum', billingCycle: 'monthly', pay: 'card' },
      fakeContext({ env: home() }),
      {
        prompter: silentPrompter,
        browser: fakeBrowser(),
        spinner: recordingSpinner(),
        skipKey: noSkip,
      },
    );
    await expect(run).rejects.toThrow(/no plan "platinum"/);
  });

  it('asks nothing at all when flags answer every question', async () => {
    const { exitCode } = await runInit(
      { ...base, plan: 'plus', billingCycle: 'monthly', pay: 'card' },
      fakeContext({ env: home() }),
      {
        prompter: silentPrompter,
        browser: fakeBrowser(),
        spinner: recordingSpinner(),
        skipKey: noSkip,
      },
    );
    expect(exitCode).toBe(0);
  });

  it('takes the default of every yes/no question with --yes, onboarding included', async () => {
    const { report, exitCode } = await runInit(
      {
        ...base,
        scenario: 'charges-disabled',
        plan: 'plus',
        billingCycle: 'monthly',
        yes: true,
      },
      fakeContext({ env: home() }),
      {
        prompter: silentPrompter,
        browser: fakeBrowser(),
        spinner: recordingSpinner(),
        skipKey: noSkip,
      },
    );
    expect(exitCode, JSON.stringify(report.diagnoses)).toBe(0);
  });

  it('offers onboarding when the account cannot charge, then passes', async () => {
    const prompter = scriptedPrompter();
    const ctx = fakeContext({ env: home() });
    const { report, exitCode } = await runInit(
      { ...base, scenario: 'charges-disabled', plan: 'plus', billingCycle: 'monthly' },
      ctx,
      { prompter, browser: fakeBrowser(), spinner: recordingSpinner(), skipKey: noSkip },
    );
    expect(exitCode, JSON.stringify(report.diagnoses)).toBe(0);
    expect(prompter.asked.map((q) => q.message)).toEqual([
      expect.stringMatching(/onboarding link/),
      expect.stringMatching(/onboarding form/),
      expect.stringMatching(/test card/),
    ]);
  });

  it('opens onboarding in the browser and stops waiting when asked to', async () => {
    const prompter = scriptedPrompter([{ match: /onboarding form/, answer: false }]);
    const browser = fakeBrowser();
    let waited = false;
    // The person presses "s" shortly after the wait begins.
    const skipKey = () => {
      waited = true;
      return {
        pressed: new Promise<void>((resolve) => setTimeout(resolve, 200)),
        stop: () => undefined,
      };
    };
    const spinner = recordingSpinner();
    const ctx = fakeContext({ env: home() });
    const { report, exitCode } = await runInit(
      { ...base, scenario: 'charges-disabled', plan: 'plus', billingCycle: 'monthly' },
      ctx,
      { prompter, browser, spinner, skipKey },
    );
    expect(waited).toBe(true);
    expect(browser.opened[0]).toMatch(/\/connect\/onboarding\//);
    expect(spinner.lines.join('\n')).toMatch(/press s to stop waiting/);
    expect(exitCode).toBe(1);
    expect(report.diagnoses.map((d) => d.id)).toContain('charges-disabled');
  });

  it('pays in the browser when the test card is declined, and waits for the return', async () => {
    const prompter = scriptedPrompter([{ match: /test card/, answer: false }]);
    const log = new ApiLog({ now: () => Date.now() }, Date.now());
    // The "person" pays on the opened page; the return page ends the wait.
    const browser = fakeBrowser(async (url) => {
      await new SandboxHttpPayer(log).pay(url, new AbortController().signal);
    });
    const spinner = recordingSpinner();
    const ctx = fakeContext({ env: home() });
    const { report, exitCode } = await runInit(
      { ...base, plan: 'plus', billingCycle: 'monthly' },
      ctx,
      {
        prompter,
        browser,
        spinner,
        skipKey: noSkip,
      },
    );
    expect(exitCode, JSON.stringify(report.diagnoses)).toBe(0);
    expect(browser.opened).toHaveLength(1);
    expect(browser.opened[0]).toMatch(/\/checkout\/cs_test_/);
    // The URL is printed too, in case the browser did not come up.
    expect(spinner.lines).toContain(`  ${browser.opened[0]}`);
  });

  it('asks for missing secrets masked, stores them after a yes, and reads them back', async () => {
    sandbox = await startSandbox({ scenario: 'happy' });
    const env = home();
    const vaultDir = mkdtempSync(join(tmpdir(), 'bq-vault-'));
    const vault = fileVault(vaultDir);
    const real: InitOptions = {
      ...base,
      sandbox: false,
      beaconUrl: sandbox.beaconUrl,
      stripeUrl: sandbox.stripeUrl,
      plan: 'plus',
      billingCycle: 'monthly',
    };
    const prompter = scriptedPrompter([
      { match: /Beacon access token/, answer: sandbox.accessToken },
      { match: /Stripe secret key/, answer: sandbox.stripeSecretKey },
    ]);
    const browser = fakeBrowser(async (url) => {
      const log = new ApiLog({ now: () => Date.now() }, Date.now());
      await new SandboxHttpPayer(log).pay(url, new AbortController().signal);
    });
    const ctx = fakeContext({ env });
    const first = await runInit(real, ctx, {
      prompter,
      browser,
      spinner: recordingSpinner(),
      openVault: async () => vault,
      skipKey: noSkip,
    });
    expect(first.exitCode, JSON.stringify(first.report.diagnoses)).toBe(0);
    const kinds = prompter.asked.map((q) => `${q.kind}:${q.message}`);
    expect(kinds[0]).toMatch(/^password:Beacon access token/);
    expect(kinds[1]).toMatch(/^password:Stripe secret key/);
    expect(kinds[2]).toMatch(/^input:Beacon organization id/);
    expect(kinds.at(-1)).toMatch(/^confirm:Store beacon-access-token, stripe-secret-key/);
    const stored = JSON.parse(await readFile(join(vaultDir, 'secrets.json'), 'utf8'));
    expect(stored['beacon-access-token']).toBe(sandbox.accessToken);
    expect(ctx.out() + ctx.err()).not.toContain(sandbox.accessToken);
    expect(ctx.out() + ctx.err()).not.toContain(sandbox.stripeSecretKey);

    // A later run finds them in the vault and asks for neither.
    const again = scriptedPrompter();
    const second = await runInit(
      { ...real, org: sandbox.organizationId },
      fakeContext({ env }),
      {
        prompter: again,
        browser,
        spinner: recordingSpinner(),
        openVault: async () => vault,
        skipKey: noSkip,
      },
    );
    expect(second.exitCode).toBe(0);
    expect(again.asked.filter((q) => q.kind === 'password')).toEqual([]);
  });

  it('never stores a typed secret when the answer is no', async () => {
    sandbox = await startSandbox({ scenario: 'happy' });
    const vaultDir = mkdtempSync(join(tmpdir(), 'bq-vault-'));
    const prompter = scriptedPrompter([
      { match: /Beacon access token/, answer: sandbox.accessToken },
      { match: /Stripe secret key/, answer: sandbox.stripeSecretKey },
      { match: /^Store /, answer: false },
    ]);
    const browser = fakeBrowser(async (url) => {
      const log = new ApiLog({ now: () => Date.now() }, Date.now());
      await new SandboxHttpPayer(log).pay(url, new AbortController().signal);
    });
    await runInit(
      {
        ...base,
        sandbox: false,
        beaconUrl: sandbox.beaconUrl,
        stripeUrl: sandbox.stripeUrl,
        org: sandbox.organizationId,
        plan: 'plus',
        billingCycle: 'monthly',
      },
      fakeContext({ env: home() }),
      {
        prompter,
        browser,
        spinner: recordingSpinner(),
        openVault: async () => fileVault(vaultDir),
        skipKey: noSkip,
      },
    );
    expect(await new FileSecretStore(vaultDir).list()).toEqual([]);
  });
});
