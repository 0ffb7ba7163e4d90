/**
 * Where a validate run's report goes besides stdout: `--junit`, `--summary`,
 * `--output`, and on GitHub Actions the job summary and the annotations.
 * Every path is checked before the run creates anything, and every file is
 * written even when checks fail or the run reaches --timeout.
 */
import { constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { access, appendFile, open, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UsageError, describeError } from '../errors.js';
import { makeParents, writeFileAtomic } from '../io/atomic-file.js';
import type { Context } from '../io/context.js';
import {
  renderGithubAnnotations,
  renderJson,
  renderJUnit,
  renderMarkdown,
} from '../report/index.js';
import type { Report } from '../report/model.js';

/** Reports hold no secrets and are meant to be shared as CI artifacts. */
export const REPORT_FILE_MODES = { mode: 0o644, dirMode: 0o755 } as const;

export interface OutputRequest {
  junit?: string;
  summary?: string;
  output?: string;
}

export type OutputFormat = 'junit' | 'markdown' | 'json';

export interface FileOutput {
  /** The flag or variable that named the file, for messages. */
  label: string;
  path: string;
  format: OutputFormat;
  /** GitHub's job summary is appended to; every other file is replaced. */
  append: boolean;
}

export interface OutputPlan {
  files: FileOutput[];
  /** Print workflow commands (GitHub Actions). */
  annotations: boolean;
}

export interface OutputFailure {
  label: string;
  path: string;
  detail: string;
}

/** GitHub sets GITHUB_ACTIONS=true in every step it runs. */
export function isGithubActions(env: NodeJS.ProcessEnv): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

function unwritable(label: string, path: string, why: string): UsageError {
  return new UsageError(`${label}: cannot write ${path}: ${why}.`, {
    suggestion: 'Point it at a file in a directory you can write to.',
  });
}

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

async function canAccess(path: string, mode: number): Promise<boolean> {
  try {
    await access(path, mode);
    return true;
  } catch {
    return false;
  }
}

/** The nearest existing ancestor of a path that does not exist yet. */
async function existingAncestor(path: string): Promise<string> {
  let dir = dirname(path);
  while ((await statOrNull(dir)) === null && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * Throws a UsageError (exit 2) when the file could not be written: a
 * directory in its place, a file where a directory should be, or no write
 * permission where the file (or the atomic write's temporary file) goes.
 */
export async function assertWritable(
  label: string,
  path: string,
  append = false,
): Promise<void> {
  const existing = await statOrNull(path);
  if (existing?.isDirectory()) throw unwritable(label, path, 'it is a directory');
  if (existing && append) {
    if (!(await canAccess(path, constants.W_OK)))
      throw unwritable(label, path, 'the file is not writable');
    return;
  }

  const dir = existing ? dirname(path) : await existingAncestor(path);
  const dirStat = await statOrNull(dir);
  if (!dirStat?.isDirectory()) throw unwritable(label, path, `${dir} is not a directory`);
  if (!(await canAccess(dir, constants.W_OK | constants.X_OK)))
    throw unwritable(label, path, `${dir} is not writable`);
  // Permission bits lie on pseudo file systems (/proc, /sys) and for root: try it.
  if (!(await canCreateIn(dir)))
    throw unwritable(label, path, `files cannot be created in ${dir}`);
}

async function canCreateIn(dir: string): Promise<boolean> {
  const probe = join(dir, `.beacon-quickstart-probe-${randomBytes(4).toString('hex')}`);
  try {
    const handle = await open(probe, 'wx', 0o600);
    await handle.close();
    await rm(probe, { force: true });
    return true;
  } catch {
    return false;
  }
}

function requested(label: string, value: string | undefined, cwd: string) {
  if (value === undefined) return null;
  if (value.trim() === '') throw new UsageError(`${label} needs a file path.`);
  return resolve(cwd, value);
}

/** Resolves and checks every output before the run starts; throws UsageError on a bad one. */
export async function planOutputs(
  request: OutputRequest,
  ctx: Context,
): Promise<OutputPlan> {
  const files: FileOutput[] = [];
  const add = (label: string, value: string | undefined, format: OutputFormat) => {
    const path = requested(label, value, ctx.cwd);
    if (path) files.push({ label, path, format, append: false });
  };
  add('--junit', request.junit, 'junit');
  add('--summary', request.summary, 'markdown');
  add('--output', request.output, 'json');

  const github = isGithubActions(ctx.env);
  const stepSummary = ctx.env.GITHUB_STEP_SUMMARY;
  if (github && stepSummary) {
    const path = resolve(ctx.cwd, stepSummary);
    files.push({ label: 'GITHUB_STEP_SUMMARY', path, format: 'markdown', append: true });
  }

  for (const [index, file] of files.entries()) {
    const twin = files.slice(0, index).find((other) => other.path === file.path);
    if (twin) {
      throw new UsageError(
        `${twin.label} and ${file.label} name the same file: ${file.path}.`,
        {
          suggestion: 'Give each output its own file.',
        },
      );
    }
  }
  for (const file of files) await assertWritable(file.label, file.path, file.append);
  return { files, annotations: github };
}

function render(report: Report, format: OutputFormat): string {
  if (format === 'junit') return renderJUnit(report);
  if (format === 'markdown') return renderMarkdown(report);
  return renderJson(report);
}

/** Appends to a summary another command may already have written to. */
async function appendSection(path: string, text: string): Promise<void> {
  // GitHub concatenates what each command appends; a blank line keeps them apart.
  await makeParents(dirname(path));
  return appendFile(path, `\n${text}`, { encoding: 'utf8' });
}

/**
 * Writes every planned file and prints the workflow commands (to stderr: the
 * runner reads workflow commands on both streams, and stdout holds only the
 * report). A file that cannot be written does not stop the others.
 */
export async function publishOutputs(
  report: Report,
  plan: OutputPlan,
  ctx: Context,
): Promise<OutputFailure[]> {
  if (plan.annotations) ctx.stderr.write(renderGithubAnnotations(report));

  const failures: OutputFailure[] = [];
  for (const file of plan.files) {
    const text = render(report, file.format);
    try {
      if (file.append) await appendSection(file.path, text);
      else await writeFileAtomic(file.path, text, REPORT_FILE_MODES);
    } catch (error) {
      failures.push({ label: file.label, path: file.path, detail: describeError(error) });
    }
  }
  return failures;
}
