import { randomUUID } from 'node:crypto';
import { link, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const STALE_AFTER_MS = 15_000;
/** A dead holder's lock younger than this is left alone (see staleLock). */
const DEAD_HOLDER_GRACE_MS = 2_000;
const WAIT_LIMIT_MS = 15_000;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock left by a process that died: its text (the dead holder's pid), else undefined. A live
 * holder keeps its lock however long it takes (an apply may start the daemon); a lock file without
 * a pid counts as abandoned after STALE_AFTER_MS. A dead holder's lock counts only once it is
 * DEAD_HOLDER_GRACE_MS old: the pid read may be that of a process that released the lock and
 * exited a moment ago, the file by now another process's fresh lock (twelve concurrent CLI
 * processes on Node 22 lost an edit that way).
 */
async function staleLock(lockFile: string): Promise<string | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(lockFile, 'utf8'), stat(lockFile)]);
    const age = Date.now() - info.mtimeMs;
    const pid = Number.parseInt(text, 10);
    if (Number.isInteger(pid) && pid > 0) return age > DEAD_HOLDER_GRACE_MS && !pidAlive(pid) ? text : undefined;
    return age > STALE_AFTER_MS ? text : undefined;
  } catch {
    return undefined; // vanished between attempts: just try again
  }
}

/**
 * Removes a stale lock without removing a live one: two processes may break the same stale lock,
 * and the slower one would otherwise remove the faster one's new lock. So the lock is first moved
 * aside (atomic), and if what was moved is not the stale lock, it is put back.
 */
async function breakStaleLock(lockFile: string, staleText: string): Promise<void> {
  const aside = `${lockFile}.${process.pid}.${randomUUID().slice(0, 8)}`;
  try {
    await rename(lockFile, aside);
  } catch {
    return; // gone already
  }
  const moved = await readFile(aside, 'utf8').catch(() => staleText);
  // a live lock: back where it was (link fails, rather than overwrite, if the path was taken since)
  if (moved !== staleText) await link(aside, lockFile).catch(() => {});
  await rm(aside, { force: true });
}

/**
 * Runs `fn` while holding an exclusive lock file (created with O_EXCL, holding our pid), so
 * two processes never interleave a load → change → save of the same file.
 */
export async function withFileLock<T>(
  target: string,
  fn: () => Promise<T>,
  { waitMs = WAIT_LIMIT_MS }: { waitMs?: number } = {},
): Promise<T> {
  const lockFile = `${target}.lock`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const stale = await staleLock(lockFile);
      if (stale !== undefined) {
        await breakStaleLock(lockFile, stale);
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${target} is locked by another swixter process (${lockFile}); retry, or remove the lock file if no swixter command is running`,
        );
      }
      await sleep(5 + Math.random() * 20);
    }
  }
  try {
    return await fn();
  } finally {
    // only our own lock: never one another process took over
    const holder = await readFile(lockFile, 'utf8').catch(() => '');
    if (holder === String(process.pid)) await rm(lockFile, { force: true });
  }
}
