/** What command files get from the entry point: the I/O context and the exit code. */
import type { Context } from '../io/context.js';

export interface CommandRuntime {
  context(): Context;
  setExitCode(code: number): void;
  /** Tells the error printer whether stdout must stay one JSON document. */
  setOutputMode(mode: { json: boolean; verbose: boolean }): void;
}

/** The exit codes every command's help states; src/errors.ts EXIT is their source. */
export const EXIT_CODES_HELP =
  'Exit codes: 0 all checks passed, 1 a check failed, 2 usage or configuration error, ' +
  '130 interrupted.\n';
