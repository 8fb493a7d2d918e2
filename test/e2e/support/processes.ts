import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { CLI, type TempHome } from '../../helpers/cli.js';
import { summarizeRequest } from './mock-models.js';

/** Per test and per client run: generous, a run takes about 1–2 s. */
export const E2E_TIMEOUT_MS = 120_000;

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

/** A PATH with only the system folders and this Node (Codex's launcher is a `#!/usr/bin/env node` script). */
export const CLEAN_PATH = [...new Set([dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'])].join(':');

/** Signals the child's whole process group: the coder and any command it ran and left behind. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
}

/**
 * Runs a program with exactly `env` (nothing inherited), stdin from /dev/null, in its own process
 * group (killed as a whole on timeout), and collects its output.
 */
export function runProgram(
  file: string,
  args: readonly string[],
  opts: { env: Record<string, string>; cwd: string; timeoutMs: number },
): Promise<ProcessResult> {
  const started = Date.now();
  return new Promise((done, fail) => {
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(child, 'SIGKILL'); // anything the coder left behind
      done({ code, signal, stdout, stderr, durationMs: Date.now() - started, timedOut });
    });
  });
}

export interface ProxyProcess {
  url: string;
  pid: number;
  /** What the proxy printed to stderr so far (one line per request at info level). */
  stderr(): string;
  /** SIGTERM, then SIGKILL after 8 s; resolves once the process is gone. */
  stop(): Promise<void>;
}

/**
 * Starts `swixter proxy start --profile <profile> --port 0 --json` from the built CLI as a real
 * foreground process with the temp home's SWIXTER_HOME, and reads its URL from stdout.
 */
export function startProxyProcess(home: TempHome, profile: string): Promise<ProxyProcess> {
  const child = spawn(process.execPath, [CLI, 'proxy', 'start', '--profile', profile, '--port', '0', '--json'], {
    env: { PATH: CLEAN_PATH, HOME: home.dir, SWIXTER_HOME: join(home.dir, 'swixter'), NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      void stop();
      fail(new Error(`the proxy did not print its URL within 15 s\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, 15_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`the proxy exited (${signal ?? code}) before it started\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      let started: { url?: unknown; pid?: unknown };
      try {
        started = JSON.parse(stdout); // printed (pretty) once the server listens
      } catch {
        return; // not complete yet
      }
      clearTimeout(timer);
      if (typeof started.url !== 'string' || typeof started.pid !== 'number') {
        void stop();
        return fail(new Error(`unexpected output from proxy start: ${stdout}`));
      }
      done({ url: started.url, pid: started.pid, stderr: () => stderr, stop });
    });
  });
}

/** `swixter proxy logs <instance> --json` as parsed lines; waits (up to 5 s) until at least `min` are there. */
export async function proxyAccessLog(home: TempHome, instance: string, min: number): Promise<any[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const r = await home.run('proxy', 'logs', instance, '--json');
    const lines = r.stdout
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l));
    if (lines.length >= min || Date.now() > deadline) return lines;
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Parses JSON lines, skipping anything that is not JSON. */
export function jsonLines(text: string): any[] {
  const out: any[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // not a JSON event
    }
  }
  return out;
}

/** Everything needed to diagnose a failed e2e run, attached to assertion messages. */
export function runEvidence(
  name: string,
  run: ProcessResult | undefined,
  upstream: { requests: Parameters<typeof summarizeRequest>[0][] } | undefined,
  proxyStderr?: string,
): string {
  return [
    `${name} exit ${run?.code} (signal ${run?.signal}, ${run?.durationMs} ms${run?.timedOut ? ', TIMED OUT' : ''})`,
    `--- ${name} stdout ---\n${run?.stdout}`,
    `--- ${name} stderr ---\n${run?.stderr}`,
    `--- upstream requests ---\n${upstream?.requests.map(summarizeRequest).join('\n')}`,
    ...(proxyStderr !== undefined ? [`--- proxy stderr ---\n${proxyStderr}`] : []),
  ].join('\n');
}
