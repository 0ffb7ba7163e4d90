/** `beacon-quickstart report FILE`: flags only; the work is in app/report-command.ts. */
import type { Command } from 'commander';
import { REPORT_FORMATS } from '../report/index.js';
import type { CommandRuntime } from './runtime.js';

interface ReportFlags {
  format: string;
  out?: string;
  verbose?: boolean;
}

export function registerReport(program: Command, runtime: CommandRuntime): void {
  program
    .command('report')
    .description('Re-render a saved run (from validate --output or --json)')
    .argument('<file>', 'the saved run, or - to read it from stdin')
    .option('--format <format>', `one of ${REPORT_FORMATS.join(', ')}`, 'terminal')
    .option('--out <file>', 'write the rendering to this file instead of stdout')
    .option('--verbose', 'terminal format: show each check’s evidence')
    .addHelpText(
      'after',
      '\nExit codes: 0 rendered, 2 unreadable file, not a report, or unknown format.\n' +
        '\nExamples:\n' +
        '  beacon-quickstart report run.json --format html --out report.html\n' +
        '  beacon-quickstart report run.json --format junit --out junit.xml\n',
    )
    .action(async (file: string, flags: ReportFlags) => {
      runtime.setOutputMode({ json: false, verbose: Boolean(flags.verbose) });
      const { runReportCommand } = await import('../app/report-command.js');
      await runReportCommand(
        { file, format: flags.format, out: flags.out, verbose: flags.verbose },
        runtime.context(),
      );
    });
}
