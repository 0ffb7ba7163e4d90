/** Writes that never leave a half-written file: temp file, fsync, rename. */
import { randomBytes } from 'node:crypto';
import {
  lstat,
  mkdir,
  open,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  mode?: number;
  dirMode?: number;
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Creates the missing directories above `dir` one level at a time. Node's
 * recursive mkdir can spin forever on pseudo file systems such as /proc.
 */
export async function makeParents(dir: string, mode = 0o700): Promise<void> {
  const missing: string[] = [];
  let current = dir;
  while (!(await exists(current))) {
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const path of missing) await mkdir(path, { mode });
}

/**
 * Where a write to `path` really lands: a symbolic link is followed, so the
 * link stays a link; a device or pipe (e.g. /dev/stdout) is written in place.
 */
async function destination(path: string): Promise<{ path: string; inPlace: boolean }> {
  const info = await lstat(path).catch(() => null);
  if (!info?.isSymbolicLink()) return { path, inPlace: false };
  const target = await realpath(path).catch(() => null);
  if (!target) return { path, inPlace: false };
  const targetInfo = await stat(target).catch(() => null);
  return { path: target, inPlace: targetInfo !== null && !targetInfo.isFile() };
}

/** Replaces `path` with `data` atomically (readers see old or new, never a mix). */
export async function writeFileAtomic(
  path: string,
  data: string | Buffer,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const where = await destination(path);
  if (where.inPlace) {
    await writeFile(where.path, data);
    return;
  }
  const dir = dirname(where.path);
  await makeParents(dir, options.dirMode ?? 0o700);
  const temp = join(
    dir,
    `.${basename(where.path)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  const handle = await open(temp, 'w', options.mode ?? 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, where.path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
