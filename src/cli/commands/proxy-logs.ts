import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { UserError } from '../../config/errors.js';
import { logsDir } from '../../config/paths.js';
import { listInstances } from '../../daemon/registry.js';
import type { AccessEntry } from '../../proxy/access-log.js';
import { action, dim, formatTable, green, printLine, printNote, red, yellow } from '../output.js';

interface LogsFlags {
  follow?: boolean;
  status?: string;
  last?: string;
  json?: boolean;
}

/** Which access log a `logs` command reads: the named instance's, the only running one's, or the newest. */
async function pickLogFile(name: string | undefined): Promise<string> {
  const dir = logsDir();
  if (name) return join(dir, `${name}.jsonl`);
  const running = await listInstances();
  if (running.length === 1) return running[0]!.logFile;
  let files: string[] = [];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl'));
  } catch {
    // no logs yet
  }
  if (files.length === 0)
    throw new UserError('no access logs yet', 'start a proxy and send it a request: swixter proxy start');
  if (running.length > 1) {
    throw new UserError(
      `several proxies are running; say whose log: ${running.map((r) => r.name).join(', ')}`,
      'swixter proxy logs <instance>',
      true,
    );
  }
  const dated = await Promise.all(files.map(async (f) => ({ f, t: (await stat(join(dir, f))).mtimeMs })));
  dated.sort((a, b) => b.t - a.t);
  if (files.length > 1)
    printNote(
      dim(
        `showing ${dated[0]!.f.slice(0, -6)} (newest); others: ${dated
          .slice(1)
          .map((d) => d.f.slice(0, -6))
          .join(', ')}`,
        process.stderr,
      ),
    );
  return join(dir, dated[0]!.f);
}

function statusFilter(spec: string | undefined): (status: number) => boolean {
  if (!spec) return () => true;
  const cls = /^([1-5])xx$/i.exec(spec);
  if (cls) return (s) => Math.floor(s / 100) === Number(cls[1]);
  const code = Number(spec);
  if (Number.isInteger(code) && code >= 100 && code <= 599) return (s) => s === code;
  throw new UserError(`invalid --status "${spec}"`, 'use 2xx, 4xx, 5xx or an exact code such as 429', true);
}

/** One access-log line; undefined for anything that is not an entry (a torn or foreign line). */
function parseLine(line: string): AccessEntry | undefined {
  try {
    const value: unknown = JSON.parse(line);
    const entry = value as Partial<AccessEntry> | null;
    return typeof entry === 'object' &&
      entry !== null &&
      typeof entry.timestamp === 'string' &&
      typeof entry.status === 'number'
      ? (entry as AccessEntry)
      : undefined;
  } catch {
    return undefined;
  }
}

const kb = (n: number): string =>
  n < 1024 ? `${n}B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)}K` : `${(n / 1048576).toFixed(1)}M`;
const colorStatus = (s: number): string =>
  s >= 500 ? red(String(s)) : s >= 400 ? yellow(String(s)) : green(String(s));

function row(e: AccessEntry): string[] {
  const time = e.timestamp.slice(11, 23);
  const model = e.model
    ? e.upstream_model && e.upstream_model !== e.model
      ? `${e.model}→${e.upstream_model}`
      : e.model
    : '-';
  return [
    time,
    e.method,
    e.path,
    colorStatus(e.status),
    `${Math.round(e.duration_ms)}ms`,
    kb(e.request_size),
    kb(e.response_size),
    e.profile ?? '-',
    model,
  ];
}

/** The entries among complete log lines that `keep` accepts, in order. */
function entriesOf(lines: string[], keep: (e: AccessEntry) => boolean): AccessEntry[] {
  return lines.map(parseLine).filter((e): e is AccessEntry => e !== undefined && keep(e));
}

const HEADERS = ['TIME', 'METHOD', 'PATH', 'STATUS', 'DURATION', 'REQ', 'RESP', 'PROFILE', 'MODEL'];

/** Attempt lines printed under a request that needed more than one try or failed. */
function attemptLines(e: AccessEntry): string[] {
  const lines = (e.attempts ?? []).map(
    (a, i) =>
      `    ↳ attempt ${i + 1}: ${a.profile} ${a.status ?? '---'} ${a.outcome} ${Math.round(a.duration_ms)}ms${a.error ? ` — ${a.error}` : ''}`,
  );
  if (e.error && lines.length === 0) lines.push(`    ↳ ${e.error.kind}: ${e.error.message}`);
  return lines.map((l) => dim(l));
}

function printEntries(entries: AccessEntry[], json: boolean, withHeader: boolean): void {
  if (json) {
    for (const e of entries) printLine(JSON.stringify(e));
    return;
  }
  if (entries.length === 0) return;
  const table = formatTable(HEADERS, entries.map(row)).split('\n');
  if (withHeader) printLine(table[0]);
  entries.forEach((e, i) => {
    printLine(table[i + 1]);
    for (const line of attemptLines(e)) printLine(line);
  });
}

/** Bytes [offset, end) of a file (to its end without `end`); none when it is gone or shorter. */
async function readFrom(file: string, offset: number, end?: number): Promise<Buffer> {
  try {
    const handle = await open(file, 'r');
    try {
      const size = end ?? (await handle.stat()).size;
      if (size <= offset) return Buffer.alloc(0);
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(size - offset), 0, size - offset, offset);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return Buffer.alloc(0);
  }
}

const fileId = (file: string) =>
  stat(file).then(
    (s) => ({ ino: s.ino, size: s.size }),
    () => undefined,
  );

/** Rotated generations looked through for the file `follow` was reading (proxy.logKeep is 3 by default). */
const MAX_GENERATIONS = 20;

async function printRotated(file: string, ino: number, offset: number, print: (bytes: Buffer) => void): Promise<void> {
  let found = 0;
  for (let k = 1; k <= MAX_GENERATIONS && found === 0; k++) {
    const id = await fileId(`${file}.${k}`);
    if (id === undefined) break;
    if (id.ino === ino) found = k;
  }
  if (found === 0) return; // rotated out of reach: those lines are gone
  print(await readFrom(`${file}.${found}`, offset));
  for (let k = found - 1; k >= 1; k--) print(await readFrom(`${file}.${k}`, 0));
}

async function follow(file: string, from: number, keep: (e: AccessEntry) => boolean, json: boolean): Promise<never> {
  let offset = from;
  let ino = (await fileId(file))?.ino;
  let partial = '';
  let header = !json;
  const print = (bytes: Buffer) => {
    const lines = (partial + bytes.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    const entries = entriesOf(lines, keep);
    printEntries(entries, json, header);
    if (entries.length > 0) header = false;
  };
  for (;;) {
    const now = await fileId(file);
    if (now !== undefined && now.ino !== ino) {
      // Rotated, maybe more than once since the last look: the file we were reading is file.k now.
      // Its last lines first, then the generations after it in full, then the new file.
      if (ino !== undefined) await printRotated(file, ino, offset, print);
      ino = now.ino;
      offset = 0;
    } else if (now !== undefined && now.size < offset) offset = 0; // truncated in place
    if (now !== undefined && now.size > offset) {
      const bytes = await readFrom(file, offset, now.size);
      offset += bytes.length;
      print(bytes);
    }
    await sleep(200);
  }
}

export function registerProxyLogs(proxy: Command): void {
  proxy
    .command('logs [instance]')
    .description('Show the access log: a table (one line per request, attempts under it) or raw JSON lines')
    .option('-f, --follow', 'keep printing new entries until Ctrl-C')
    .option('--status <filter>', '2xx | 4xx | 5xx | an exact code')
    .option('-n, --last <n>', 'only the last n entries, read on into rotated files (default 50; 10 with --follow)')
    .option('--json', 'raw JSON lines')
    .action(
      action(async (name: string | undefined, flags: LogsFlags) => {
        const keepStatus = statusFilter(flags.status);
        const last = flags.last === undefined ? (flags.follow ? 10 : 50) : Number(flags.last);
        if (!Number.isInteger(last) || last < 0)
          throw new UserError(`invalid --last "${flags.last}"`, 'use a whole number', true);
        const file = await pickLogFile(name);
        let text = '';
        try {
          text = await readFile(file, 'utf8');
        } catch {
          if (!flags.follow)
            throw new UserError(`no access log at ${file}`, 'it appears after the proxy served a request');
        }
        const keep = (e: AccessEntry) => keepStatus(e.status);
        let entries = entriesOf(text.split('\n'), keep);
        // Just after a rotation the file holds few lines: the rest of the last n are in file.1, file.2, …
        for (let generation = 1; entries.length < last; generation++) {
          const older = await readFile(`${file}.${generation}`, 'utf8').catch(() => undefined);
          if (older === undefined) break;
          entries = [...entriesOf(older.split('\n'), keep), ...entries];
        }
        printEntries(last === 0 ? [] : entries.slice(-last), flags.json === true, true);
        if (flags.follow) await follow(file, Buffer.byteLength(text), keep, flags.json === true);
      }),
    );
}
