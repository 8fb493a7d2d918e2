import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFileLock } from './lock.js';

let dir: string;
let target: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'swixter-lock-'));
  target = join(dir, 'thing');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** withFileLock gives up after a short wait without running its function: the lock stays held. */
async function expectLockedOut(): Promise<void> {
  let ran = false;
  await expect(
    withFileLock(
      target,
      async () => {
        ran = true;
      },
      { waitMs: 300 },
    ),
  ).rejects.toThrow(/locked by another swixter process/);
  expect(ran).toBe(false);
}

describe('withFileLock', () => {
  it('a lock held by a live process is never taken over, however old it is', async () => {
    await writeFile(`${target}.lock`, String(process.pid)); // this process: alive
    const hourAgo = new Date(Date.now() - 3600_000);
    await utimes(`${target}.lock`, hourAgo, hourAgo);
    await expectLockedOut();
    expect(await readFile(`${target}.lock`, 'utf8')).toBe(String(process.pid));
  });

  const deadPid = () =>
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;

  it('a lock left by a process that died is taken over, and removed afterwards', async () => {
    await writeFile(`${target}.lock`, deadPid());
    const tenSecondsAgo = new Date(Date.now() - 10_000);
    await utimes(`${target}.lock`, tenSecondsAgo, tenSecondsAgo);
    expect(await withFileLock(target, async () => 'done', { waitMs: 2000 })).toBe('done');
    await expect(readFile(`${target}.lock`)).rejects.toThrow();
  });

  it("a dead holder's lock made a moment ago is not broken yet: it may be the next owner's by now", async () => {
    // What a waiter sees when the holder it read released the lock and exited, and another
    // process took the lock since: a fresh file, a dead pid read a moment before.
    await writeFile(`${target}.lock`, deadPid());
    await expectLockedOut();
  });

  /** Runs `n` lock holders at once; each reads a counter, waits a little, writes it back. */
  async function contend(n: number): Promise<{ counter: number; mostInside: number }> {
    const counterFile = join(dir, 'counter');
    await writeFile(counterFile, '0');
    let inside = 0;
    let mostInside = 0;
    await Promise.all(
      Array.from({ length: n }, () =>
        withFileLock(
          target,
          async () => {
            inside++;
            mostInside = Math.max(mostInside, inside);
            const value = Number(await readFile(counterFile, 'utf8'));
            await new Promise((resolve) => setTimeout(resolve, 2));
            await writeFile(counterFile, String(value + 1));
            inside--;
          },
          { waitMs: 5000 },
        ),
      ),
    );
    return { counter: Number(await readFile(counterFile, 'utf8')), mostInside };
  }

  it('holders never overlap, also callers in one process', async () => {
    expect(await contend(8)).toEqual({ counter: 8, mostInside: 1 });
    await expect(readFile(`${target}.lock`)).rejects.toThrow(); // released
  });

  it('several waiters on one stale lock: it is broken once, and the holders that follow never overlap', async () => {
    await writeFile(`${target}.lock`, deadPid());
    const tenSecondsAgo = new Date(Date.now() - 10_000);
    await utimes(`${target}.lock`, tenSecondsAgo, tenSecondsAgo);
    expect(await contend(8)).toEqual({ counter: 8, mostInside: 1 });
  });

  it('a guard left by a breaker that died does not keep a stale lock forever', async () => {
    await writeFile(`${target}.lock`, deadPid());
    await writeFile(`${target}.lock.break`, '');
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(`${target}.lock`, longAgo, longAgo);
    await utimes(`${target}.lock.break`, longAgo, longAgo);
    expect(await withFileLock(target, async () => 'done', { waitMs: 2000 })).toBe('done');
  });

  it('on release, a lock another process holds by now is left alone', async () => {
    await withFileLock(target, async () => {
      await writeFile(`${target}.lock`, '1'); // pid 1: someone else's, alive
    });
    expect(await readFile(`${target}.lock`, 'utf8')).toBe('1');
  });
});
