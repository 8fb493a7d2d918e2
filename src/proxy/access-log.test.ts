import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AccessEntry, AccessLog } from './access-log.js';

const entry = (n: number): AccessEntry => ({
  timestamp: new Date(0).toISOString(),
  method: 'POST',
  path: `/v1/messages?n=${n}`,
  status: 200,
  duration_ms: 1,
  ttfb_ms: 1,
  request_size: 10,
  response_size: 10,
  profile: 'p',
  upstream: 'http://127.0.0.1:1',
  model: 'm',
  stream: false,
  client: 'test',
});

let dir: string;
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('AccessLog', () => {
  it('rotates by size, keeps N generations, and loses no line written during a rotation', async () => {
    dir = await mkdtemp(join(tmpdir(), 'swixter-log-'));
    const file = join(dir, 'i.jsonl');
    const log = new AccessLog(file, { maxBytes: 2000, keep: 2 });
    await log.open();
    for (let n = 0; n < 60; n++) {
      log.write(entry(n));
      log.write(entry(++n)); // two lines in one turn: they go out in one write
      await log.flush();
    }
    await log.close();
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(['i.jsonl', 'i.jsonl.1', 'i.jsonl.2']);
    const lines = (await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')))).join('').trim().split('\n');
    const seen = lines.map((l) => JSON.parse(l).path);
    // the oldest generations are dropped on purpose; every line of the kept files is whole and in order
    const numbers = seen.map((p) => Number(p.split('=')[1])).sort((a, b) => a - b);
    expect(numbers.at(-1)).toBe(59);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => 60 - numbers.length + i));
  });

  it('a deleted log folder is re-created at the next rotation instead of crashing the proxy', async () => {
    dir = await mkdtemp(join(tmpdir(), 'swixter-log-'));
    const file = join(dir, 'gone', 'i.jsonl');
    const log = new AccessLog(file, { maxBytes: 500, keep: 1 });
    await log.open();
    const errors: string[] = [];
    log.onError = (err) => errors.push(err.message);
    await rm(join(dir, 'gone'), { recursive: true, force: true });
    for (let n = 0; n < 20; n++) log.write(entry(n));
    await log.flush();
    await log.close();
    // the rotation re-created the folder and the log goes on; nothing was thrown
    expect(await readdir(join(dir, 'gone'))).toContain('i.jsonl');
    expect(errors).toEqual([]);
  });
});
