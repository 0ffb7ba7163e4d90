#!/usr/bin/env node
// Tiny launcher: everything lives in dist/, loaded by the entry point on demand.
import('../dist/cli/main.js').then((m) => m.main(process.argv));
