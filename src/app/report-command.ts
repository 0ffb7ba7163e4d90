/**
 * `report FILE`: re-renders a saved run (`validate --output` or `--json`) in
 * any report format, to stdout or to a file. Nothing is contacted; a bad
 * file is a configuration error that says what is wrong with it.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { ConfigError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-file.js';
import type { Context } from '../io/context.js';
import {
  loadReport,
  renderReport,
  REPORT_FORMATS,
  type ReportFormat,
} from '../report/index.js';
import { assertWritable, REPORT_FILE_MODES } from './outputs.js';

export interface ReportCommandOptions {
  /** A saved run, or `-` for stdin. */
  file: string;
  format: string;
  /** Write here instead of stdout; `-` means stdout. */
  out?: string;
  verbose?: boolean;
}

/** Validates `--format` against the renderers' list. */
export function parseReportFormat(value: string): ReportFormat {
  if ((REPORT_FORMATS as readonly string[]).includes(value)) return value as ReportFormat;
  throw new UsageError(`Unknown report format "${value}".`, {
    suggestion: `Use --format with one of: ${REPORT_FORMATS.join(', ')}.`,
  });
}

async function readStream(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString('utf8');
}

function readProblem(code: string | undefined): string {
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? 'unreadable';
}

/** The saved run's text and the name to use for it in messages. */
async function readSaved(
  file: string,
  ctx: Context,
): Promise<{ text: string; source: string }> {
  if (file === '-') {
    if (ctx.stdinIsTTY) {
      throw new UsageError('`-` reads a saved run from stdin, but stdin is a terminal.', {
        suggestion: 'Pipe a report in (… | beacon-quickstart report -) or pass a file.',
      });
    }
    const text = await readStream(ctx.stdin);
    if (text.trim() === '') {
      throw new ConfigError('stdin is empty: no saved run to render.', {
        suggestion: 'Pipe a report in (… | beacon-quickstart report -) or pass a file.',
      });
    }
    return { text, source: 'stdin' };
  }
  try {
    return { text: await readFile(resolve(ctx.cwd, file), 'utf8'), source: file };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`Cannot read ${file}: ${readProblem(code)}.`, {
      suggestion: 'Pass the file written by `beacon-quickstart validate --output FILE`.',
    });
  }
}

/** Loads the saved run, renders it, and writes it where asked. */
export async function runReportCommand(
  options: ReportCommandOptions,
  ctx: Context,
): Promise<void> {
  const format = parseReportFormat(options.format);
  const outPath =
    options.out === undefined || options.out === '-'
      ? null
      : resolve(ctx.cwd, options.out);
  if (outPath) await assertWritable('--out', outPath);

  const { text, source } = await readSaved(options.file, ctx);
  const report = loadReport(text, source);
  const rendered = renderReport(report, format, {
    // Colour only for a terminal reading stdout, never inside a file.
    color: outPath === null && ctx.colorStdout,
    verbose: Boolean(options.verbose),
  });

  if (outPath === null) {
    ctx.stdout.write(rendered);
    return;
  }
  await writeFileAtomic(outPath, rendered, REPORT_FILE_MODES);
}
