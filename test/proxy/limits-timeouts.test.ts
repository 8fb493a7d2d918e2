import { createServer, type Server } from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { json, type MockUpstream, mockUpstream, sleep } from '../helpers/mock-upstream.js';
import { configWith, startTestProxy, type TestProxy } from '../helpers/proxy.js';

let upstream: MockUpstream;
let proxy: TestProxy;
afterEach(async () => {
  await proxy?.close();
  await upstream?.close();
});

const profile = (baseURL: string, proxySection: Record<string, unknown> = {}) =>
  startTestProxy(
    configWith({ a: { providerId: 'anthropic', apiKey: 'k-123456789', baseURL } }, { proxy: proxySection }),
    { kind: 'profile', profile: 'a' },
  );

async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe('limits and errors, in the client API shape', () => {
  it('413 for a body over proxy.maxBodySize (declared or chunked); nothing reaches the upstream', async () => {
    upstream = await mockUpstream((_req, res) => json(res, 200, {}));
    proxy = await profile(upstream.url, { maxBodySize: 1000 });
    const declared = await request(`${proxy.url}/v1/messages`, { method: 'POST', body: 'x'.repeat(2000) });
    expect(declared.statusCode).toBe(413);
    expect(await declared.body.json()).toEqual({
      type: 'error',
      error: { type: 'request_too_large', message: expect.stringContaining('1000 bytes') },
    });
    async function* chunks() {
      for (let i = 0; i < 5; i++) yield Buffer.alloc(400, 'y');
    }
    const chunked = await request(`${proxy.url}/v1/chat/completions`, {
      method: 'POST',
      body: Readable.from(chunks()),
    });
    expect(chunked.statusCode).toBe(413);
    expect(await chunked.body.json()).toMatchObject({ error: { type: 'request_too_large' } });
    expect(upstream.requests).toHaveLength(0);
    // the log says how large the refused body was, and its model when that came before the cut
    const head = Buffer.from('{"model":"claude-opus-4-1","messages":[{"role":"user","content":"');
    const modelFirst = await request(`${proxy.url}/v1/messages`, {
      method: 'POST',
      body: Readable.from(
        (async function* () {
          yield head;
          for (let i = 0; i < 5; i++) yield Buffer.alloc(400, 'z');
        })(),
      ),
    });
    expect(modelFirst.statusCode).toBe(413);
    await modelFirst.body.dump();
    const lines = await proxy.accessLog(3);
    expect(lines.map((l) => [l.status, l.request_size, l.model])).toEqual([
      [413, 2000, null],
      [413, 1200, null],
      [413, head.length + 3 * 400, 'claude-opus-4-1'], // cut at the first piece past 1000 bytes
    ]);
  });

  it('502 when the upstream is unreachable, naming the profile and host', async () => {
    proxy = await profile(`http://127.0.0.1:${await closedPort()}`);
    const res = await request(`${proxy.url}/v1/messages`, { method: 'POST', body: '{"model":"m"}' });
    expect(res.statusCode).toBe(502);
    const body = (await res.body.json()) as any;
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('api_error');
    expect(body.error.message).toContain('profile "a"');
    expect(body.error.message).toContain('connection refused');
    const oa = await request(`${proxy.url}/v1/files`, { method: 'GET', headers: { authorization: 'Bearer x' } });
    expect(oa.statusCode).toBe(502);
    expect(await oa.body.json()).toMatchObject({
      error: { type: 'api_error', message: expect.stringContaining('connection refused') },
    });
  });

  it('504 when the upstream sends no headers within proxy.timeout (a streaming request)', async () => {
    upstream = await mockUpstream(async (_req, res) => {
      await sleep(2000);
      json(res, 200, {});
    });
    proxy = await profile(upstream.url, { timeout: 300 });
    const started = Date.now();
    const res = await request(`${proxy.url}/v1/messages`, { method: 'POST', body: '{"model":"m","stream":true}' });
    expect(res.statusCode).toBe(504);
    expect(await res.body.json()).toMatchObject({
      type: 'error',
      error: { type: 'timeout_error', message: expect.stringContaining('(proxy.timeout)') },
    });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('a non-streaming request waits proxy.nonStreamingTimeout for its headers (they come once the whole answer is made)', async () => {
    upstream = await mockUpstream(async (req, res) => {
      await sleep(Number(req.headers['x-delay']));
      json(res, 200, { ok: true });
    });
    proxy = await profile(upstream.url, { timeout: 300, nonStreamingTimeout: 1200 });
    const slow = await request(`${proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-delay': '700' }, // past proxy.timeout, within nonStreamingTimeout
      body: '{"model":"m"}',
    });
    expect(slow.statusCode).toBe(200);
    expect(await slow.body.json()).toEqual({ ok: true });
    const started = Date.now();
    const hung = await request(`${proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-delay': '3000' },
      body: '{"model":"m"}',
    });
    expect(hung.statusCode).toBe(504);
    expect(await hung.body.json()).toMatchObject({
      error: { type: 'timeout_error', message: expect.stringContaining('(proxy.nonStreamingTimeout)') },
    });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('an idle stream (silence longer than proxy.timeout) ends with an error event, not a hang', async () => {
    upstream = await mockUpstream(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(
        'event: message_start\ndata: {"type":"message_start","message":{"id":"m","type":"message","role":"assistant","content":[],"model":"m","usage":{"input_tokens":1,"output_tokens":0}}}\n\n',
      );
      res.write(
        'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
      );
      await sleep(3000);
      res.end();
    });
    proxy = await profile(upstream.url, { timeout: 300 });
    const res = await request(`${proxy.url}/v1/messages`, { method: 'POST', body: '{"model":"m","stream":true}' });
    expect(res.statusCode).toBe(200);
    const text = await res.body.text();
    expect(text).toContain('event: message_start');
    expect(text.trimEnd().split('\n\n').at(-1)).toMatch(
      /^event: error\ndata: \{"type":"error","error":\{"type":"timeout_error"/,
    );
    const [entry] = await proxy.accessLog();
    expect(entry.error.kind).toBe('idle_timeout');
  });

  it('a long stream with short gaps is not cut by proxy.timeout (it bounds silence, not length)', async () => {
    upstream = await mockUpstream(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < 8; i++) {
        res.write(`event: ping\ndata: {"type":"ping"}\n\n`);
        await sleep(100);
      }
      res.end('event: message_stop\ndata: {"type":"message_stop"}\n\n');
    });
    proxy = await profile(upstream.url, { timeout: 300 });
    const text = await (
      await request(`${proxy.url}/v1/messages`, { method: 'POST', body: '{"model":"m","stream":true}' })
    ).body.text();
    expect(text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
  });

  it('client abort mid-stream closes the upstream connection at once, and is logged as the client leaving', async () => {
    upstream = await mockUpstream(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < 200 && !res.destroyed; i++) {
        res.write('event: ping\ndata: {"type":"ping"}\n\n');
        await sleep(20);
      }
      res.end();
    });
    proxy = await profile(upstream.url);
    const controller = new AbortController();
    const res = await request(`${proxy.url}/v1/messages`, {
      method: 'POST',
      body: '{"model":"m","stream":true}',
      signal: controller.signal,
    });
    const it = res.body[Symbol.asyncIterator]();
    await it.next();
    controller.abort();
    const deadline = Date.now() + 1000;
    while (upstream.aborted === 0 && Date.now() < deadline) await sleep(10);
    expect(upstream.aborted).toBe(1);
    const [entry] = await proxy.accessLog();
    // the 200 went out; the line says the answer was not all delivered, and why
    expect(entry).toMatchObject({ status: 200, error: { kind: 'client_gone' } });
    expect(entry.error.message).toContain('went away in the middle of the answer');
    // the client's leaving says nothing of the upstream
    const breaker = proxy.proxy.runtime.breakers.snapshot(Date.now()).find((b) => b.profile === 'a');
    expect(breaker?.consecutiveFailures ?? 0).toBe(0);
  });

  it('an upstream error with the same format is passed through unchanged (status, body, retry-after)', async () => {
    const body = '{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}';
    upstream = await mockUpstream((_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
      res.end(body);
    });
    proxy = await profile(upstream.url);
    const res = await request(`${proxy.url}/v1/messages`, { method: 'POST', body: '{"model":"m"}' });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(await res.body.text()).toBe(body);
  });

  it('unknown local paths answer a JSON 404, never HTML', async () => {
    upstream = await mockUpstream((_req, res) => json(res, 200, {}));
    proxy = await profile(upstream.url);
    const res = await request(`${proxy.url}/admin`);
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('application/json');
    expect(await res.body.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    const [line] = await proxy.accessLog(1);
    expect(line).toMatchObject({
      method: 'GET',
      path: '/admin',
      status: 404,
      profile: null,
      error: { kind: 'not_found', message: expect.stringContaining('GET /admin') },
    });
  });

  it('a request without the required proxy token gets a 401 and a log line; health checks get none', async () => {
    upstream = await mockUpstream((_req, res) => json(res, 200, {}));
    proxy = await startTestProxy(
      configWith({ a: { providerId: 'anthropic', apiKey: 'k-123456789', baseURL: upstream.url } }),
      { kind: 'profile', profile: 'a' },
      { token: 'swx-proxy-token-0123456789' },
    );
    expect((await request(`${proxy.url}/health`)).statusCode).toBe(200);
    const wrong = await request(`${proxy.url}/v1/messages?key=guess-0123456789abcdef`, {
      method: 'POST',
      headers: { 'x-api-key': 'swx-proxy-token-0123456788', 'user-agent': 'claude-cli/2.0.0 (external, cli)' },
      body: '{"model":"m"}',
    });
    expect(wrong.statusCode).toBe(401);
    expect(await wrong.body.json()).toMatchObject({ error: { type: 'authentication_error' } });
    const right = await request(`${proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-swixter-token': 'swx-proxy-token-0123456789' },
      body: '{"model":"m"}',
    });
    expect(right.statusCode).toBe(200);
    await right.body.dump();
    expect(upstream.requests).toHaveLength(1);
    const lines = await proxy.accessLog(2);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      status: 401,
      request_size: 13,
      client: 'claude-code/2.0.0',
      error: { kind: 'proxy_token' },
    });
    expect(lines[0].path).not.toContain('guess-0123456789abcdef'); // a query credential is masked here too
    expect(lines[1]).toMatchObject({ status: 200, profile: 'a' });
  });
});
