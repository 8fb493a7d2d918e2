import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, renameSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { logsDir } from '../config/paths.js';
import { commandLine, type InstanceRecord, listInstances, pidAlive, removeInstance } from './registry.js';

export interface DaemonStart {
  /** The CLI entry to run (dist/cli/main.js). */
  cliPath: string;
  /** `proxy start` arguments, without --daemon. */
  args: string[];
  env?: NodeJS.ProcessEnv;
  waitMs?: number;
}

export class DaemonError extends Error {
  override readonly name = 'DaemonError';
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Starts `swixter proxy start …` detached, waits until it registered itself and answers its
 * health check, and returns its record. Its stdout/stderr go to logs/<instance>.stderr.log; if it
 * exits first, the tail of that file says why.
 */
export async function startDaemon(opts: DaemonStart): Promise<InstanceRecord> {
  await mkdir(logsDir(), { recursive: true, mode: 0o700 });
  const outFile = join(logsDir(), `daemon-${Date.now()}.log`);
  const fd = openSync(outFile, 'a', 0o600);
  const child = spawn(process.execPath, [opts.cliPath, 'proxy', 'start', ...opts.args], {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...(opts.env ?? process.env), SWIXTER_DAEMON: '1' },
  });
  closeSync(fd);
  let exitCode: number | null = null;
  child.once('exit', (code) => {
    exitCode = code ?? 1;
  });
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new DaemonError('could not start the proxy process');
  const deadline = Date.now() + (opts.waitMs ?? 15_000);
  while (Date.now() < deadline) {
    if (exitCode !== null || !pidAlive(pid)) {
      const tail = readFileSync(outFile, 'utf8').trim().split('\n').slice(-5).join('\n');
      throw new DaemonError(`the proxy exited during start-up${tail ? `:\n${tail}` : ''}`);
    }
    const record = (await listInstances()).find((r) => r.pid === pid);
    if (record && (await healthy(record.url))) {
      try {
        renameSync(outFile, join(logsDir(), `${record.name}.stderr.log`)); // the daemon keeps writing to it
      } catch {
        // keep the original name
      }
      return record;
    }
    await sleep(50);
  }
  process.kill(pid, 'SIGKILL');
  throw new DaemonError(
    `the proxy did not answer its health check within ${(opts.waitMs ?? 15_000) / 1000} s (output: ${outFile})`,
  );
}

/**
 * Whether the recorded pid is still that swixter proxy: it answers its health check with that
 * pid, or (too busy or stuck to answer) its command line is a swixter `proxy` command. A record
 * outlives its process after a reboot or a kill -9, and the system may have given the pid to
 * another process since: that one must never be signalled.
 */
async function isRecordedProxy(record: InstanceRecord): Promise<boolean> {
  try {
    const res = await fetch(`${record.url}/health`, { signal: AbortSignal.timeout(1000) });
    if (res.ok && ((await res.json()) as { pid?: unknown }).pid === record.pid) return true;
  } catch {
    // not answering: look at the process itself
  }
  const command = commandLine(record.pid);
  return command !== undefined && /\bproxy\b/.test(command) && /swixter|cli[/\\]main\.js/.test(command);
}

/**
 * SIGTERM, then SIGKILL after the grace period; the registry entry is removed either way. A
 * record whose pid is no longer a swixter proxy is only removed ('gone').
 */
export async function stopInstance(record: InstanceRecord, graceMs = 8000): Promise<'stopped' | 'killed' | 'gone'> {
  if (!pidAlive(record.pid) || !(await isRecordedProxy(record))) {
    await removeInstance(record.name, record.pid);
    return 'gone';
  }
  try {
    process.kill(record.pid, 'SIGTERM');
  } catch {
    await removeInstance(record.name);
    return 'gone';
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!pidAlive(record.pid)) {
      await removeInstance(record.name, record.pid);
      return 'stopped';
    }
    await sleep(50);
  }
  try {
    process.kill(record.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  await removeInstance(record.name, record.pid);
  return 'killed';
}
