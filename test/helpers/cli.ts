/** Runs the built CLI as a child process, as a user would. */
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(
  new URL('../../bin/beacon-quickstart.js', import.meta.url),
);

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  args: string[],
  options: {
    env?: Record<string, string | undefined>;
    input?: string;
    timeoutMs?: number;
    cwd?: string;
  } = {},
): Promise<CliResult> {
  const result = await execa(process.execPath, [BIN, ...args], {
    reject: false,
    env: { NO_COLOR: '1', ...options.env },
    extendEnv: true,
    input: options.input ?? '',
    timeout: options.timeoutMs ?? 60_000,
    cwd: options.cwd,
  });
  return {
    exitCode: result.exitCode ?? -1,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

/** Environment without any real credentials leaking in from the machine. */
export function cleanEnv(
  extra: Record<string, string> = {},
): Record<string, string | undefined> {
  return {
    BEACON_ACCESS_TOKEN: undefined,
    STRIPE_SECRET_KEY: undefined,
    BEACON_ORGANIZATION_ID: undefined,
    GITHUB_ACTIONS: undefined,
    GITHUB_STEP_SUMMARY: undefined,
    ...extra,
  };
}
