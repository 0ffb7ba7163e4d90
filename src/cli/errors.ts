/** The single place that turns errors into output and exit codes. */
import { CommanderError } from 'commander';
import { EXIT, QuickstartError, describeError } from '../errors.js';
import type { Context } from '../io/context.js';

export interface ErrorOutputOptions {
  json: boolean;
  verbose: boolean;
}

/** Prints one clear line (and a hint) to stderr; with --json also one JSON document on stdout. */
export function reportError(
  error: unknown,
  ctx: Context,
  options: ErrorOutputOptions,
): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message; help and version exit cleanly.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version')
      return EXIT.ok;
    if (error.code === 'commander.help') return EXIT.ok;
    // Commander wrote its line to stderr; stdout must still hold one JSON document.
    if (options.json) {
      const message = error.message.replace(/^error: /, '');
      const body = {
        error: { type: 'UsageError', message, suggestion: 'See --help for the flags.' },
        exitCode: EXIT.usage,
      };
      ctx.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    }
    return EXIT.usage;
  }
  const known = error instanceof QuickstartError;
  const exitCode = known ? error.exitCode : EXIT.checksFailed;
  const message = known ? error.message : `Unexpected error: ${describeError(error)}`;
  const suggestion = known
    ? error.suggestion
    : 'Run again with --verbose and report the output.';
  ctx.stderr.write(`error: ${message}\n`);
  if (suggestion) ctx.stderr.write(`hint: ${suggestion}\n`);
  if (options.verbose && error instanceof Error && error.stack)
    ctx.stderr.write(`${error.stack}\n`);
  if (options.json) {
    const body = {
      error: {
        type: known ? error.name : 'Error',
        message,
        suggestion: suggestion ?? null,
      },
      exitCode,
    };
    ctx.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  }
  return exitCode;
}
