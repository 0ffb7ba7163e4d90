/**
 * The support bundle: one `.tar.gz` a support person can attach to a ticket.
 * Every file passes through the redactor on its way to disk, so a secret
 * that slipped into evidence, a path or an error message still never leaves.
 */
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { arch, platform, release, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { create } from 'tar';
import type { ApiCallRecord, Report } from '../report/model.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { createRedactor } from './redact.js';

export const BUNDLE_FILES = [
  'report.json',
  'report.md',
  'environment.json',
  'config.json',
  'requests.jsonl',
] as const;

export interface BundleInput {
  report: Report;
  /** The effective configuration, secrets already shown as `[redacted]` with their source. */
  config: Record<string, unknown>;
  calls: readonly ApiCallRecord[];
  /** Every secret value known to this run, from every source. */
  secrets: Iterable<string>;
  toolVersion: string;
}

/** Tool, Node and OS versions: what support asks first. */
export function environmentInfo(toolVersion: string): Record<string, string> {
  return {
    tool: `beacon-quickstart ${toolVersion}`,
    node: process.version,
    os: `${platform()} ${release()} ${arch()}`,
  };
}

/** One JSON line per API call: method, path, status, request id and timing only. */
export function requestLines(calls: readonly ApiCallRecord[]): string {
  return calls
    .map((c) =>
      JSON.stringify({
        service: c.service,
        method: c.method,
        path: c.path,
        status: c.status,
        requestId: c.requestId,
        startedAtMs: Math.round(c.startedAtMs),
        durationMs: Math.round(c.durationMs),
        attempt: c.attempt,
        ...(c.error ? { error: c.error } : {}),
      }),
    )
    .map((line) => `${line}\n`)
    .join('');
}

function contents(input: BundleInput): Record<(typeof BUNDLE_FILES)[number], string> {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    'report.json': renderJson(input.report),
    'report.md': renderMarkdown(input.report),
    'environment.json': json(environmentInfo(input.toolVersion)),
    'config.json': json(input.config),
    'requests.jsonl': requestLines(input.calls),
  };
}

/** Writes the redacted bundle to `file` (replaced whole, never left half-written). */
export async function writeBundle(file: string, input: BundleInput): Promise<string[]> {
  const redact = createRedactor(input.secrets);
  const staging = await mkdtemp(join(tmpdir(), 'beacon-quickstart-bundle-'));
  const partial = join(dirname(file), `.${basename(file)}.${process.pid}.partial`);
  try {
    for (const [name, text] of Object.entries(contents(input)))
      await writeFile(join(staging, name), redact(text), { mode: 0o600 });
    await create({ gzip: true, file: partial, cwd: staging, portable: true }, [
      ...BUNDLE_FILES,
    ]);
    await rename(partial, file);
    return [...BUNDLE_FILES];
  } finally {
    await rm(partial, { force: true });
    await rm(staging, { recursive: true, force: true });
  }
}
