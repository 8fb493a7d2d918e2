// Child processes of the bench (mock upstream, floor proxy, Swixter), CPU pinning, and the
// per-process figures read from /proc. Every child is registered so it is killed when the bench
// ends, fails or is interrupted.

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const children = new Set();

/** A temporary SWIXTER_HOME, removed (and every child killed) when this process exits or is interrupted. */
export function tempHome(name) {
  const home = mkdtempSync(join(os.tmpdir(), `swixter-${name}-`));
  process.on('exit', () => {
    killAllNow();
    rmSync(home, { recursive: true, force: true });
  });
  process.on('SIGINT', () => process.exit(130));
  return home;
}

/** Which cores exist and whether taskset can pin; `BENCH_PIN=0` turns pinning off. */
export function pinningPlan() {
  if (process.env.BENCH_PIN === '0') return { enabled: false, reason: 'disabled by BENCH_PIN=0' };
  if (process.platform !== 'linux') return { enabled: false, reason: `not Linux (${process.platform})` };
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
  } catch {
    return { enabled: false, reason: 'taskset not found' };
  }
  let cores = 0;
  try {
    cores = execFileSync('nproc', { encoding: 'utf8' }).trim() * 1;
  } catch {
    cores = 0;
  }
  if (cores < 2) return { enabled: false, reason: `only ${cores || 'unknown'} core(s)` };
  return { enabled: true, proxyCore: 0, loadCore: 1, cores };
}

/** Pins this (the load client's) process, all its threads, to a core. */
export function pinSelf(core) {
  execFileSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' });
}

/**
 * Starts a child; resolves once `ready(line)` returns a value for a line of its stdout.
 * Rejects with the child's stderr when it exits first or takes longer than `timeoutMs`.
 */
export function startChild({ name, command, args, env, core, ready, timeoutMs = 15_000 }) {
  const [cmd, argv] = core === undefined ? [command, args] : ['taskset', ['-c', String(core), command, ...args]];
  const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const entry = { name, child, stderr: '', stdout: '' };
  children.add(entry);
  child.on('exit', () => children.delete(entry));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text) => {
    if (entry.stderr.length < 64 * 1024) entry.stderr += text;
  });
  child.stdin.on('error', () => {});
  return new Promise((resolve, reject) => {
    let buffered = '';
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      kill(entry);
      reject(new Error(`${name} did not start within ${timeoutMs} ms\n${entry.stderr}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text) => {
      if (entry.stdout.length < 64 * 1024) entry.stdout += text;
      if (done) return;
      buffered += text;
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const value = ready(line);
        if (value !== undefined) {
          done = true;
          clearTimeout(timer);
          resolve({ ...value, pid: child.pid, entry });
          return;
        }
        nl = buffered.indexOf('\n');
      }
    });
    child.on('exit', (code, signal) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? code}) before it was ready\n${entry.stderr}`));
    });
  });
}

export const benchFile = (name) => fileURLToPath(new URL(name, import.meta.url));

export function startMock(core) {
  return startChild({
    name: 'mock upstream',
    command: process.execPath,
    args: [benchFile('./mock-upstream.mjs')],
    core,
    ready: (line) => (line.startsWith('{') ? { port: JSON.parse(line).port } : undefined),
  });
}

export function startFloor(core, upstreamOrigin) {
  return startChild({
    name: 'floor proxy',
    command: process.execPath,
    args: [benchFile('./floor-proxy.mjs'), upstreamOrigin],
    core,
    ready: (line) => (line.startsWith('{') ? { port: JSON.parse(line).port } : undefined),
  });
}

const LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+)/;

/** `main`: another build's dist/cli/main.js (bench/compare.mjs --base); this checkout's by default. */
export function startSwixter({ core, home, profile, name, nodeArgs = [], main }) {
  return startChild({
    name: `swixter (${name})`,
    command: process.execPath,
    args: [
      ...nodeArgs,
      main ?? fileURLToPath(new URL('../dist/cli/main.js', import.meta.url)),
      'proxy',
      'start',
      '--profile',
      profile,
      '--port',
      '0',
      '--log-level',
      'warn',
      '--name',
      name,
    ],
    env: { SWIXTER_HOME: home, NODE_OPTIONS: '', NO_COLOR: '1' },
    core,
    ready: (line) => {
      const m = LISTENING.exec(line);
      return m ? { port: Number(m[1]) } : undefined;
    },
  });
}

function kill(entry, signal = 'SIGTERM') {
  try {
    entry.child.kill(signal);
  } catch {
    // already gone
  }
}

/** Stops one child: SIGTERM (stdin closed too), then SIGKILL after `graceMs`. */
export async function stopChild(entry, graceMs = 7000) {
  if (entry.child.exitCode !== null || entry.child.signalCode !== null) return;
  const exited = new Promise((done) => entry.child.once('exit', done));
  entry.child.stdin.end();
  kill(entry, 'SIGTERM');
  const timer = setTimeout(() => kill(entry, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(graceMs) {
  await Promise.all([...children].map((e) => stopChild(e, graceMs)));
}

/** Last resort (process exit): SIGKILL whatever is still running, synchronously. */
export function killAllNow() {
  for (const entry of children) kill(entry, 'SIGKILL');
}

export const runningChildren = () => [...children].map((e) => ({ name: e.name, pid: e.child.pid }));

// ---- /proc --------------------------------------------------------------------------------------

let clockTicks;
function ticksPerSecond() {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** CPU time (user + system, all threads) of a process in ms, or NaN without /proc. */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime is field 14, stime field 15
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond();
  } catch {
    return Number.NaN;
  }
}

/** VmRSS, VmHWM (peak RSS), RssAnon (heap and other private memory) and RssFile (mapped binary) in MB, or NaN. */
export function memoryMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024, anon: kb('RssAnon') / 1024, file: kb('RssFile') / 1024 };
  } catch {
    return { rss: Number.NaN, hwm: Number.NaN, anon: Number.NaN, file: Number.NaN };
  }
}

/** CPU time the whole machine spent busy (all cores, ms), from /proc/stat; NaN without it. */
export function machineBusyMs() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return ((user + nice + system + irq + softirq + (steal || 0)) * 1000) / ticksPerSecond();
  } catch {
    return Number.NaN;
  }
}

/** CPU time of the bench itself and every child it started (ms). */
export function benchCpuMs() {
  let total = cpuMs(process.pid);
  for (const entry of children) total += cpuMs(entry.child.pid);
  return total;
}
