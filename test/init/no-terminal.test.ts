/** init without a terminal (or in CI) stops at once with exit 2 and names the CI path. */
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/cli.js';

describe('init without a terminal', () => {
  it.each([
    ['stdin from /dev/null', {}],
    ['CI set', { CI: 'true' }],
    ['CI set to false (any value counts)', { CI: 'false' }],
  ])(
    'exits 2 with %s and names validate --ci and the variables',
    async (_case, extra) => {
      const result = await runCli(['init', '--sandbox'], {
        env: { ...cleanEnv(), ...extra },
        timeoutMs: 10_000,
      });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/^error: init is interactive/m);
      expect(result.stderr).toContain('validate --ci');
      for (const name of [
        'BEACON_ACCESS_TOKEN',
        'STRIPE_SECRET_KEY',
        'BEACON_ORGANIZATION_ID',
      ]) {
        expect(result.stderr).toContain(name);
      }
      expect(result.stdout).toBe('');
    },
  );
});
