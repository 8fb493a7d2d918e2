import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runDir } from '../config/paths.js';
import { writeJsonAtomic } from '../config/store.js';
import type { Mode } from '../proxy/plan.js';

/** One running proxy, as written to `<config dir>/run/<name>.json` while it runs. */
export interface InstanceRecord {
  name: string;
  pid: number;
  host: string;
  port: number;
  url: string;
  /** `groupId`: the group's id, which a rename does not change (`group`: its name at start). */
  mode: { kind: string; profile?: string; group?: string; groupId?: string };
  daemon: boolean;
  startedAt: string;
  logFile: string;
  /** A temporary instance started by `proxy run`; stopped when its coder exits. */
  temporary?: boolean;
}

const recordPath = (name: string): string => join(runDir(), `${name}.json`);

/** A process that exited but was not reaped yet (its parent is gone and nothing reaps) is dead. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false; // no /proc (macOS): trust kill(0)
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

export async function writeInstance(record: InstanceRecord): Promise<void> {
  await writeJsonAtomic(recordPath(record.name), record);
}

export async function removeInstance(name: string, pid?: number): Promise<void> {
  if (pid !== undefined) {
    const current = await readInstance(name);
    if (current && current.pid !== pid) return; // a newer instance took the name
  }
  await rm(recordPath(name), { force: true });
}

async function readInstance(name: string): Promise<InstanceRecord | undefined> {
  try {
    return JSON.parse(await readFile(recordPath(name), 'utf8')) as InstanceRecord;
  } catch {
    return undefined;
  }
}

/** A process's command line: /proc on Linux, ps elsewhere; undefined when neither tells. */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    // no /proc
  }
  try {
    return (
      execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8', timeout: 2000 }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/**
 * Whether a record's process still runs and is still Swixter's: after a reboot or a kill -9 the
 * system may have given its pid to another program, and that one is no proxy.
 */
function recordAlive(pid: number): boolean {
  if (!pidAlive(pid)) return false;
  const command = commandLine(pid);
  return command === undefined || /swixter|cli[/\\]main\.js/.test(command);
}

/** Running instances; entries whose process is gone (or is no longer Swixter) are removed as they are read. */
export async function listInstances(): Promise<InstanceRecord[]> {
  let files: string[];
  try {
    files = await readdir(runDir());
  } catch {
    return [];
  }
  const out: InstanceRecord[] = [];
  for (const file of files.filter((f) => f.endsWith('.json')).sort()) {
    const record = await readInstance(file.slice(0, -5));
    if (!record) continue;
    if (recordAlive(record.pid)) out.push(record);
    else await rm(join(runDir(), file), { force: true });
  }
  return out;
}

/**
 * Reserves an instance name for this process: `base`, else `base-2`, `base-3` …, by creating
 * its record exclusively (O_EXCL), so two proxies starting at once never share a name. A record
 * left by a dead process is taken over. The record is completed with writeInstance once the
 * proxy listens; until then its port is 0.
 */
export async function claimInstanceName(base: string, pid = process.pid): Promise<string> {
  await mkdir(runDir(), { recursive: true, mode: 0o700 });
  for (let n = 1; n < 1000; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    const placeholder = {
      name,
      pid,
      host: '',
      port: 0,
      url: '',
      mode: { kind: 'starting' },
      daemon: false,
      startedAt: new Date().toISOString(),
      logFile: '',
    };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await writeFile(recordPath(name), JSON.stringify(placeholder), { flag: 'wx', mode: 0o600 });
        return name;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const holder = await readInstance(name);
        if (holder && recordAlive(holder.pid)) break; // taken: try the next name
        if (!holder)
          await new Promise((done) => setTimeout(done, 20)); // being written right now
        else await rm(recordPath(name), { force: true }); // its process is gone: take the name over
      }
    }
  }
  throw new Error(`no free instance name for "${base}" in ${runDir()}`);
}

/** A proxy's mode as its record keeps it. */
export function recordMode(mode: Mode): InstanceRecord['mode'] {
  if (mode.kind === 'profile') return { kind: mode.kind, profile: mode.profile };
  if (mode.kind === 'group') return { kind: mode.kind, group: mode.group, ...(mode.id ? { groupId: mode.id } : {}) };
  return { kind: mode.kind };
}
