/** A Context with buffers instead of process streams, for unit tests. */
import { PassThrough, Readable } from 'node:stream';
import type { Context } from '../../src/io/context.js';

export interface FakeContext extends Context {
  out(): string;
  err(): string;
}

export function fakeContext(overrides: Partial<Context> = {}): FakeContext {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return {
    stdout,
    stderr,
    stdin: Readable.from([]),
    env: {},
    cwd: process.cwd(),
    stdinIsTTY: false,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    colorStdout: false,
    colorStderr: false,
    ci: false,
    clock: { now: () => Date.now() },
    signal: new AbortController().signal,
    ...overrides,
    out: () => out,
    err: () => err,
  };
}
