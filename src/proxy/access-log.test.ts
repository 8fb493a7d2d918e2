import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

  it('lines that fill many 64 K batches, multi-byte text and a line longer than a batch reach the file whole and in order', async () => {
    dir = await mkdtemp(join(tmpdir(), 'swixter-log-'));
    const file = join(dir, 'i.jsonl');
    const log = new AccessLog(file, { maxBytes: 1e9 });
    await log.open();
    const written: AccessEntry[] = [];
    for (let n = 0; n < 3000; n++) {
      const e = entry(n);
      e.client = n % 3 === 0 ? `日本語😀-${n}` : `c-${n}`; // 3- and 4-byte UTF-8 characters
      if (n === 1500) e.request_body = 'é'.repeat(40_000); // 80 KB: more than one batch
      log.write(e);
      written.push(e);
    }
    await log.close();
    const text = await readFile(file, 'utf8');
    expect(text).toBe(written.map((e) => `${JSON.stringify(e)}\n`).join(''));
  });

  it('queued lines wait for the timer, unless they add up to 64 K characters: then they are written at once', async () => {
    dir = await mkdtemp(join(tmpdir(), 'swixter-log-'));
    const file = join(dir, 'i.jsonl');
    const log = new AccessLog(file);
    await log.open();
    /** Reads the file until it holds `n` lines (file reads let real time pass; timers are fake). */
    const lines = async (n: number): Promise<number> => {
      let count = 0;
      for (let i = 0; i < 300 && count < n; i++)
        count = (await readFile(file, 'utf8').catch(() => '')).split('\n').length - 1;
      return count;
    };
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      log.write(entry(1));
      expect(await lines(1)).toBe(0); // held for the batch
      vi.advanceTimersByTime(25);
      expect(await lines(1)).toBe(1);
      const big = entry(2);
      big.request_body = 'x'.repeat(40_000);
      big.response_body = 'y'.repeat(30_000);
      log.write(big); // no timer runs: only the size bound can send it
      expect(await lines(2)).toBe(2);
    } finally {
      vi.useRealTimers();
      await log.close();
    }
    expect(JSON.parse((await readFile(file, 'utf8')).split('\n')[1]!).request_body).toHaveLength(40_000);
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
