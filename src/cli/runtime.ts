/** What command files get from the entry point: the I/O context and the exit code. */
import type { Context } from '../io/context.js';

export interface CommandRuntime {
  context(): Context;
  setExitCode(code: number): void;
  /** Tells the error printer whether stdout must stay one JSON document. */
  setOutputMode(mode: { json: boolean; verbose: boolean }): void;
}
