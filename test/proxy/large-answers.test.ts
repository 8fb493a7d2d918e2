import { createHash } from 'node:crypto';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { type MockUpstream, mockUpstream } from '../helpers/mock-upstream.js';
import { configWith, startTestProxy, type TestProxy } from '../helpers/proxy.js';

// With a group (or retries), a whole answer is held until it is known to be good, so that a
// failure can still move on to the next profile. An answer too large to hold (a file download
// through /v1/files, say) must still reach the client whole, not cut at the holding limit.

let upstream: MockUpstream;
let backup: MockUpstream;
let proxy: TestProxy;
afterEach(async () => {
  await proxy?.close();
  await upstream?.close();
  await backup?.close();
});

const SIZE = 65 * 1024 * 1024 + 12_345; // past the 64 MB a held answer may take

describe('a whole answer larger than a held answer may be', () => {
  it('reaches the client whole, with its own length, through a group', async () => {
    const piece = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < piece.length; i++) piece[i] = (i * 31) & 0xff;
    const expected = createHash('sha256');
    let left = SIZE;
    const parts: Buffer[] = [];
    while (left > 0) {
      const part = piece.subarray(0, Math.min(piece.length, left));
      parts.push(part);
      expected.update(part);
      left -= part.length;
    }
    upstream = await mockUpstream(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(SIZE) });
      for (const part of parts) if (!res.write(part)) await new Promise((done) => res.once('drain', done));
      res.end();
    });
    backup = await mockUpstream((_req, res) => {
      res.end('backup');
    });
    proxy = await startTestProxy(
      configWith(
        {
          a: { providerId: 'anthropic', apiKey: 'k-a-0000000001', baseURL: upstream.url },
          b: { providerId: 'anthropic', apiKey: 'k-b-0000000002', baseURL: backup.url },
        },
        { groups: { g: { id: 'g', name: 'g', profiles: ['a', 'b'] } } },
      ),
      { kind: 'group', group: 'g' },
    );
    const res = await request(`${proxy.url}/v1/files/file_1/content`, {
      headers: { 'anthropic-version': '2023-06-01' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-length']).toBe(String(SIZE));
    const received = createHash('sha256');
    let size = 0;
    for await (const chunk of res.body) {
      received.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    expect(size).toBe(SIZE);
    expect(received.digest('hex')).toBe(expected.digest('hex'));
    expect(backup.requests).toHaveLength(0);
    const [entry] = await proxy.accessLog();
    expect(entry).toMatchObject({ status: 200, response_size: SIZE });
  }, 30_000);
});
