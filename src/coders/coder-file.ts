import { randomUUID } from 'node:crypto';
import { chmod, copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeTarget } from '../config/store.js';

/** A coder's config file as read before a change: its text (undefined when it does not exist yet) and mode. */
export interface CoderFile {
  path: string;
  text: string | undefined;
  /** Permission bits to keep; 0600 for a new file (it may hold a key). */
  mode: number;
}

export const BACKUP_SUFFIX = '.swixter-backup';

export async function readCoderFile(path: string): Promise<CoderFile> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { path, text, mode: info.mode & 0o777 };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { path, text: undefined, mode: 0o600 };
    throw err;
  }
}

/** Copies the file to `<file>.swixter-backup` unless a backup exists already; returns the backup path when made. */
export async function backupOnce(file: CoderFile, opts: { holdsSecret: boolean }): Promise<string | undefined> {
  if (file.text === undefined) return undefined;
  const backup = `${file.path}${BACKUP_SUFFIX}`;
  try {
    await copyFile(file.path, backup, 1); // COPYFILE_EXCL: the first backup is the one that matters
    if (opts.holdsSecret) await chmod(backup, 0o600); // the previous file may hold a key too
    return backup;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw err;
  }
}

/**
 * Replaces the file atomically (temp file in the same directory, then rename) with the given mode,
 * so a coder starting at the same moment reads the old file or the new one, never half of it.
 */
export async function writeCoderFile(file: CoderFile, text: string, opts: { holdsSecret: boolean }): Promise<void> {
  await mkdir(dirname(file.path), { recursive: true, mode: 0o700 });
  // a symlinked file (dotfiles) is written where the link points: the link stays a link
  const target = await writeTarget(file.path);
  const temp = `${target}.${randomUUID()}.tmp`;
  try {
    await writeFile(temp, text, { mode: 0o600, flag: 'wx', flush: true });
    // The old mode, except that a file holding a key or token is never readable by others.
    await chmod(temp, opts.holdsSecret ? file.mode & 0o600 : file.mode);
    await rename(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
}
