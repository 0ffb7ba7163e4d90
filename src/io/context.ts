/**
 * The one place that knows about the process: streams, TTYs, colour and
 * prompt permission, environment, clock. Commands receive a Context; tests
 * build one with buffers (see test/helpers/context.ts).
 */
import type { Readable, Writable } from 'node:stream';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface Context {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Colour allowed on stdout / stderr (TTY, NO_COLOR, TERM, FORCE_COLOR). */
  colorStdout: boolean;
  colorStderr: boolean;
  /** True when the CI variable is set (to anything). */
  ci: boolean;
  clock: Clock;
  /** Aborted on Ctrl-C; long waits listen to it. */
  signal: AbortSignal;
}

export interface ColorOverride {
  /** From --color / --no-color; undefined when neither was given. */
  color?: boolean;
}

/** Colour policy: flag > FORCE_COLOR > NO_COLOR/TERM=dumb > TTY. */
export function colorAllowed(
  isTTY: boolean,
  env: NodeJS.ProcessEnv,
  override: ColorOverride = {},
): boolean {
  if (override.color !== undefined) return override.color;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

/** Prompts need both ends on a terminal, and neither CI nor --no-input. */
export function promptsAllowed(ctx: Context, noInput = false): boolean {
  return ctx.stdinIsTTY && ctx.stdoutIsTTY && !ctx.ci && !noInput;
}

/** Spinners only on a TTY stderr outside CI. */
export function spinnerAllowed(ctx: Context): boolean {
  return ctx.stderrIsTTY && !ctx.ci;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The real process's context. */
export function processContext(
  signal: AbortSignal,
  override: ColorOverride = {},
): Context {
  const env = process.env;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env,
    cwd: process.cwd(),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    colorStdout: colorAllowed(Boolean(process.stdout.isTTY), env, override),
    colorStderr: colorAllowed(Boolean(process.stderr.isTTY), env, override),
    ci: env.CI !== undefined,
    clock: systemClock,
    signal,
  };
}
