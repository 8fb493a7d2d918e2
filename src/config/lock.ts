import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const STALE_AFTER_MS = 15_000;
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
 * A lock left by a process that died. A live holder keeps its lock however long it takes (an
 * apply may start the daemon); a lock file without a pid counts as abandoned after STALE_AFTER_MS.
 */
async function isStale(lockFile: string): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(lockFile, 'utf8'), stat(lockFile)]);
    const pid = Number.parseInt(text, 10);
    if (Number.isInteger(pid) && pid > 0) return !pidAlive(pid);
    return Date.now() - info.mtimeMs > STALE_AFTER_MS;
  } catch {
    return false; // vanished between attempts: just try again
  }
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
      if (await isStale(lockFile)) {
        await rm(lockFile, { force: true });
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
