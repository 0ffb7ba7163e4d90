#!/usr/bin/env node
/**
 * Bundles the CLI into dist/bundled/ (ESM, code-split at every lazy import):
 * one file to load at start instead of dozens. tsc still type-checks and
 * emits dist/ for the tests; the launcher prefers the bundle.
 */
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');
const OUT = join(ROOT, 'dist', 'bundled');

// Native parts, or too heavy to inline: loaded from node_modules when first needed.
const EXTERNAL = ['stripe', '@ngrok/ngrok', '@napi-rs/keyring', 'playwright-core'];

/**
 * Modules that locate files through import.meta.url keep resolving from the
 * place tsc puts them (dist/<same path>.js), whichever chunk they land in.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const emitted = join(ROOT, 'dist', relative(SRC, args.path)).replace(
        /\.ts$/,
        '.js',
      );
      const fromChunk = relative(OUT, emitted).split('\\').join('/');
      const url = `new URL(${JSON.stringify(fromChunk)}, import.meta.url).href`;
      return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

await build({
  entryPoints: { main: join(SRC, 'cli', 'main.ts') },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // Bundled CommonJS packages (commander) call require() for Node built-ins.
  banner: {
    js:
      "import { createRequire as __bqCreateRequire } from 'node:module';\n" +
      'const require = __bqCreateRequire(import.meta.url);',
  },
  // Flat on purpose: keepModuleUrls computes paths from this one directory.
  chunkNames: '[name]-[hash]',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [keepModuleUrls],
  metafile: Boolean(process.env.BUNDLE_META),
});
