import { randomUUID } from 'node:crypto';
import { open, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** A lock file without a readable pid (its writer died between creating and writing it). */
const STALE_AFTER_MS = 15_000;
/** A dead holder's lock younger than this is left alone (see isStale). */
const DEAD_HOLDER_GRACE_MS = 2_000;
/** A breaker's guard file older than this was left by a breaker that died. */
const GUARD_STALE_MS = 10_000;
const WAIT_LIMIT_MS = 15_000;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface LockState {
  text: string;
  pid: number | undefined;
  ageMs: number;
}

/** The lock file's text and age, both from one open file (undefined when there is none). */
async function readLock(lockFile: string): Promise<LockState | undefined> {
  const handle = await open(lockFile, 'r').catch(() => undefined);
  if (handle === undefined) return undefined;
  try {
    const text = await handle.readFile('utf8');
    const info = await handle.stat();
    const pid = Number.parseInt(text, 10);
    return { text, pid: Number.isInteger(pid) && pid > 0 ? pid : undefined, ageMs: Date.now() - info.mtimeMs };
  } catch {
    return undefined;
  } finally {
    await handle.close().catch(() => {});
  }
}

/**
 * A lock left by a process that died. A live holder keeps its lock however long it takes (an
 * apply may start the daemon). A dead holder's lock counts once it is DEAD_HOLDER_GRACE_MS old; a
 * lock file without a pid after STALE_AFTER_MS.
 */
function isStale(lock: LockState): boolean {
  if (lock.pid !== undefined) return lock.ageMs > DEAD_HOLDER_GRACE_MS && !pidAlive(lock.pid);
  return lock.ageMs > STALE_AFTER_MS;
}

/**
 * Removes a stale lock, one breaker at a time (a guard file created with O_EXCL), and only after
 * reading the lock again under the guard. A waiter's first look can be out of date: the holder it
 * read may have released the lock and exited, and another process taken a fresh lock since
 * (twelve concurrent CLI processes on Node 22 lost an edit when that fresh lock was removed).
 * Under the guard, the file at the path can change only through its own holder, and a stale
 * lock's holder is dead.
 */
async function breakStaleLock(lockFile: string): Promise<void> {
  const guard = `${lockFile}.break`;
  const handle = await open(guard, 'wx', 0o600).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
    return undefined;
  });
  if (handle === undefined) {
    // another process is breaking it; or a breaker died holding the guard
    const info = await stat(guard).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > GUARD_STALE_MS) await rm(guard, { force: true });
    return;
  }
  try {
    await handle.close();
    const lock = await readLock(lockFile);
    if (lock && isStale(lock)) await rm(lockFile, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}

/**
 * Runs `fn` while holding an exclusive lock file (created with O_EXCL, holding our pid and a token
 * of this acquisition), so two processes — or two callers in one process — never interleave a
 * load → change → save of the same file.
 */
export async function withFileLock<T>(
  target: string,
  fn: () => Promise<T>,
  { waitMs = WAIT_LIMIT_MS }: { waitMs?: number } = {},
): Promise<T> {
  const lockFile = `${target}.lock`;
  const token = `${process.pid}\n${randomUUID()}\n`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const handle = await open(lockFile, 'wx', 0o600).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
      return undefined;
    });
    if (handle !== undefined) {
      try {
        await handle.writeFile(token);
        await handle.close();
      } catch (err) {
        // a lock we could not write (disk full): not left behind for others to wait out
        await handle.close().catch(() => {});
        await rm(lockFile, { force: true });
        throw err;
      }
      break;
    }
    const lock = await readLock(lockFile);
    if (lock && isStale(lock)) await breakStaleLock(lockFile);
    else if (Date.now() > deadline) {
      throw new Error(
        `${target} is locked by another swixter process (${lockFile}); retry, or remove the lock file if no swixter command is running`,
      );
    }
    await sleep(5 + Math.random() * 20);
  }
  try {
    return await fn();
  } finally {
    // only our own lock: never one another caller took over
    const lock = await readLock(lockFile);
    if (lock?.text === token) await rm(lockFile, { force: true });
  }
}
