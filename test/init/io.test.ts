/** The spinner's TTY policy and the browser opener's headless detection. */
import { describe, expect, it } from 'vitest';
import { browserUnavailable } from '../../src/io/browser.js';
import { createSpinner } from '../../src/io/spinner.js';
import { fakeContext } from '../helpers/context.js';

describe('createSpinner', () => {
  it.each([
    ['stderr is not a TTY', { stderrIsTTY: false }],
    ['CI is set', { stderrIsTTY: true, ci: true }],
  ])('writes plain lines and no animation when %s', async (_case, overrides) => {
    const ctx = fakeContext(overrides);
    const spinner = await createSpinner(ctx);
    spinner.start('Waiting');
    spinner.line('a line');
    spinner.stop();
    expect(ctx.err()).toBe('a line\n');
  });

  it('animates through ora on a TTY and keeps lines above the spinner', async () => {
    const ctx = fakeContext({ stderrIsTTY: true });
    const spinner = await createSpinner(ctx);
    spinner.start('Waiting');
    spinner.line('kept');
    spinner.stop();
    expect(ctx.err()).toContain('kept\n');
    expect(ctx.out()).toBe('');
  });
});

describe('browserUnavailable', () => {
  it.each([
    [{}, 'linux', /no graphical session/],
    [{ DISPLAY: ':0' }, 'linux', null],
    [{ WAYLAND_DISPLAY: 'wayland-0' }, 'linux', null],
    [{ BROWSER: 'firefox' }, 'linux', null],
    [{}, 'darwin', null],
    [{ BEACON_QUICKSTART_NO_BROWSER: '1', DISPLAY: ':0' }, 'linux', /NO_BROWSER/],
  ] as const)('%j on %s', (env, platform, expected) => {
    const why = browserUnavailable(env, platform);
    if (expected === null) expect(why).toBeNull();
    else expect(why).toMatch(expected);
  });
});
