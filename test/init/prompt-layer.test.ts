/**
 * The real prompt layer on in-memory streams: answers are typed, secrets are
 * masked on screen, and a cancelled prompt becomes an interruption.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.js';
import { confirmingDefaults, inquirerPrompter } from '../../src/io/prompt.js';
import { fakeContext } from '../helpers/context.js';
import { silentPrompter } from './fakes.js';

function typing(signal = new AbortController().signal) {
  const stdin = new PassThrough();
  const ctx = fakeContext({ stdin, signal });
  return { ctx, type: (text: string) => setTimeout(() => stdin.write(text), 50) };
}

describe('inquirerPrompter', () => {
  it('masks a secret as it is typed and returns it trimmed', async () => {
    const { ctx, type } = typing();
    type('sk_test_typed_secret\r');
    const value = await inquirerPrompter(ctx).password({ message: 'Stripe secret key' });
    expect(value).toBe('sk_test_typed_secret');
    expect(ctx.err()).toContain('Stripe secret key');
    expect(ctx.err()).not.toContain('sk_test_typed_secret');
    expect(ctx.err()).toContain('*');
    // Prompts stay off stdout, which holds only the report.
    expect(ctx.out()).toBe('');
  });

  it('takes the default on Enter', async () => {
    const { ctx, type } = typing();
    type('\r');
    const value = await inquirerPrompter(ctx).input({
      message: 'Organization',
      default: 'org_default',
    });
    expect(value).toBe('org_default');
  });

  it('turns an aborted prompt into an InterruptedError', async () => {
    const controller = new AbortController();
    const { ctx } = typing(controller.signal);
    setTimeout(() => controller.abort(new InterruptedError()), 50);
    await expect(
      inquirerPrompter(ctx).confirm({ message: 'Go on?', default: true }),
    ).rejects.toBeInstanceOf(InterruptedError);
  });
});

describe('confirmingDefaults', () => {
  it('answers yes/no questions with their default and asks nothing', async () => {
    const prompter = confirmingDefaults(silentPrompter);
    await expect(prompter.confirm({ message: 'a', default: true })).resolves.toBe(true);
    await expect(prompter.confirm({ message: 'b', default: false })).resolves.toBe(false);
    await expect(prompter.input({ message: 'c' })).rejects.toThrow(/asked/);
  });
});
