/**
 * The entry point: builds the commander program, runs it, and maps every
 * outcome to an exit code in one place. Command modules and their heavy
 * dependencies load only when their command runs.
 */
import { Command } from 'commander';
import { EXIT, InterruptedError } from '../errors.js';
import { processContext, type Context } from '../io/context.js';
import { toolVersion } from '../version.js';
import { reportError } from './errors.js';
import { EXIT_CODES_HELP, type CommandRuntime } from './runtime.js';
import { registerScenarios } from './scenarios.js';
import { registerValidate } from './validate.js';
import { registerSandbox } from './sandbox.js';
import { registerInit } from './init.js';
import { registerVault } from './vault.js';
import { registerDiagnose } from './diagnose.js';
import { registerListen } from './listen.js';
import { registerReport } from './report.js';

export function buildProgram(runtime: CommandRuntime): Command {
  const program = new Command('beacon-quickstart')
    .description(
      "Walk a Beacon + Stripe Connect setup through Beacon's quickstart and check every step",
    )
    .version(toolVersion(), '-V, --version')
    .option('--no-color', 'never colour the output')
    .option('--color', 'colour the output even when it is not a terminal')
    .showSuggestionAfterError()
    .exitOverride()
    .addHelpText(
      'after',
      '\n' + EXIT_CODES_HELP + 'Start here: beacon-quickstart validate --sandbox\n',
    );
  program.configureOutput({
    writeErr: (text) => runtime.context().stderr.write(text),
    writeOut: (text) => runtime.context().stdout.write(text),
  });
  registerValidate(program, runtime);
  registerSandbox(program, runtime);
  registerScenarios(program, runtime);
  registerInit(program, runtime);
  registerVault(program, runtime);
  registerDiagnose(program, runtime);
  registerListen(program, runtime);
  registerReport(program, runtime);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Ctrl-C once: abort and clean up; twice: leave at once. */
function installSignalHandlers(controller: AbortController, ctx: () => Context): void {
  let count = 0;
  const onSignal = () => {
    count += 1;
    if (count > 1) process.exit(EXIT.interrupted);
    ctx().stderr.write(
      '\nInterrupted: cleaning up (press Ctrl-C again to skip cleanup)\n',
    );
    controller.abort(new InterruptedError());
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

export async function main(argv: string[]): Promise<void> {
  const controller = new AbortController();
  let ctx: Context | null = null;
  let exitCode: number = EXIT.ok;
  const mode = { json: false, verbose: false };
  const runtime: CommandRuntime = {
    context: () => {
      ctx ??= processContext(controller.signal, colorOverride(argv));
      return ctx;
    },
    setExitCode: (code) => {
      exitCode = code;
    },
    setOutputMode: (next) => Object.assign(mode, next),
  };
  installSignalHandlers(controller, runtime.context);
  try {
    await buildProgram(runtime).parseAsync(argv);
  } catch (error) {
    exitCode =
      error instanceof InterruptedError || controller.signal.aborted
        ? EXIT.interrupted
        : reportError(error, runtime.context(), {
            ...mode,
            // A parse error comes before any action could say so.
            json: mode.json || argv.includes('--json'),
          });
  }
  // Leave promptly even if a library keeps a socket open.
  process.stdout.write('', () => process.exit(exitCode));
}

function colorOverride(argv: string[]): { color?: boolean } {
  if (argv.includes('--no-color')) return { color: false };
  if (argv.includes('--color')) return { color: true };
  return {};
}
