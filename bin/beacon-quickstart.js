#!/usr/bin/env node
// Tiny launcher: `--version` answered here, else the bundled CLI (tsc's output if unbundled).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = await import('node:fs');
  const manifest = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  process.stdout.write(`${JSON.parse(manifest).version}\n`);
} else {
  const entry = await import('../dist/bundled/main.js').catch((error) => {
    const unbundled =
      error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('bundled');
    if (!unbundled) throw error;
    return import('../dist/cli/main.js');
  });
  await entry.main(process.argv);
}
