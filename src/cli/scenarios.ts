/** `beacon-quickstart scenarios`: the sandbox's fault scenarios, one line each. */
import type { Command } from 'commander';
import { SCENARIOS } from '../sandbox/scenarios.js';
import type { CommandRuntime } from './runtime.js';

export function registerScenarios(program: Command, runtime: CommandRuntime): void {
  program
    .command('scenarios')
    .description('List the sandbox fault scenarios and the diagnosis each one produces')
    .option('--json', 'print them as one JSON document')
    .action((flags: { json?: boolean }) => {
      const ctx = runtime.context();
      if (flags.json) {
        ctx.stdout.write(`${JSON.stringify({ scenarios: SCENARIOS }, null, 2)}\n`);
        return;
      }
      const width = Math.max(...SCENARIOS.map((s) => s.name.length));
      for (const s of SCENARIOS) {
        const expect = s.expect === 'pass' ? 'passes' : `→ ${s.expect}`;
        ctx.stdout.write(`${s.name.padEnd(width)}  ${s.summary} (${expect})\n`);
      }
    });
}
