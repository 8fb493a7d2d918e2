import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { type MockUpstream, mockUpstream, sleep } from '../helpers/mock-upstream.js';
import { configWith, startTestProxy, type TestProxy } from '../helpers/proxy.js';

// A client that reads slowly must slow the upstream down, not make the proxy hold the answer:
// the upstream's writes block once the sockets' buffers and the proxy's small queue are full.

let upstream: MockUpstream;
let proxy: TestProxy;
afterEach(async () => {
  await proxy?.close();
  await upstream?.close();
});

const TOTAL = 64 * 1024 * 1024;
const PIECE = 64 * 1024;

/** An upstream that writes TOTAL bytes as fast as its socket takes them, counting what it got rid of. */
async function floodingUpstream(kind: 'stream' | 'json'): Promise<{ upstream: MockUpstream; written: () => number }> {
  let written = 0;
  const upstream = await mockUpstream(async (_req, res) => {
    res.writeHead(
      200,
      kind === 'stream'
        ? { 'content-type': 'text/event-stream' }
        : { 'content-type': 'application/json', 'content-length': String(TOTAL) },
    );
    const event = Buffer.from(
      `event: ping\ndata: {"type":"ping","pad":"${'x'.repeat(PIECE - 40)}"}\n\n`.slice(0, PIECE),
    );
    const piece = kind === 'stream' ? event : Buffer.alloc(PIECE, 0x20);
    while (written < TOTAL && !res.destroyed) {
      written += piece.length;
      if (!res.write(piece)) await new Promise((done) => res.once('drain', done));
    }
    res.end();
  });
  return { upstream, written: () => written };
}

describe('backpressure', () => {
  it.each(['stream', 'json'] as const)(
    'a client that stops reading stops the upstream (%s), and then gets every byte',
    async (kind) => {
      const flood = await floodingUpstream(kind);
      upstream = flood.upstream;
      proxy = await startTestProxy(
        configWith({ a: { providerId: 'anthropic', apiKey: 'k-123456789', baseURL: upstream.url } }),
        { kind: 'profile', profile: 'a' },
      );
      const res = await request(`${proxy.url}/v1/messages`, {
        method: 'POST',
        body: JSON.stringify({ model: 'm', stream: kind === 'stream' }),
        highWaterMark: 64 * 1024,
      });
      expect(res.statusCode).toBe(200);
      // the client reads nothing for a while: the upstream must come to a stop far below TOTAL
      await sleep(300);
      const stalled = flood.written();
      await sleep(200);
      expect(flood.written()).toBe(stalled);
      expect(stalled).toBeLessThan(TOTAL / 4);
      let received = 0;
      for await (const chunk of res.body) received += (chunk as Buffer).length;
      if (kind === 'json') expect(received).toBe(TOTAL);
      else expect(received).toBeGreaterThanOrEqual(TOTAL); // the proxy ends a cut stream with an error event
      expect(flood.written()).toBe(TOTAL);
    },
  );
});
