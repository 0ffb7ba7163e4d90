/**
 * Every unsafe --webhook-url ends the command with exit 2 before anything
 * is started, asked or sent: for validate (built CLI) and for init.
 */
import { describe, expect, it } from 'vitest';
import { runInit } from '../../src/app/init/run.js';
import { UsageError } from '../../src/errors.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { fakeContext } from '../helpers/context.js';
import { fakeBrowser, recordingSpinner, silentPrompter } from '../init/fakes.js';

const UNSAFE = [
  'https://127.1/',
  'https://0x7f000001/',
  'https://[::ffff:7f00:1]/',
  'https://10.0.0.1/',
  'http://hooks.example.com/stripe',
  'https://user:pass@hooks.example.com/stripe',
];

describe('unsafe --webhook-url', () => {
  it.each(UNSAFE)('validate %s exits 2 before creating anything', async (url) => {
    // No credentials are set: reaching the credential check would say so instead.
    const result = await runCli(['validate', '--webhook-url', url], { env: cleanEnv() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--webhook-url .* is not usable/);
    expect(result.stderr).not.toMatch(/Missing credentials/);
    expect(result.stderr).not.toContain('pass@');
  });

  it.each(UNSAFE)('init %s is refused before any question or server', async (url) => {
    const spinner = recordingSpinner();
    const run = runInit(
      { sandbox: false, webhookUrl: url, timeoutSeconds: 5, verbose: false, store: true },
      fakeContext(),
      {
        prompter: silentPrompter,
        browser: fakeBrowser(),
        spinner,
        resolve: async () => {
          throw new Error('no lookup expected');
        },
      },
    );
    await expect(run).rejects.toBeInstanceOf(UsageError);
    expect(spinner.lines).toEqual([]);
  });
});
