import { createServer, type Server, type Socket } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep } from '../helpers/mock-upstream.js';
import { chatProfile, configWith, startTestProxy, type TestProxy } from '../helpers/proxy.js';

let proxy: TestProxy | undefined;
let silent: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy(); // first: the pending connect fails, the proxy closes at once
  await new Promise<void>((done) => (silent ? silent.close(() => done()) : done()));
  await proxy?.close();
  proxy = undefined;
  silent = undefined;
});

describe('a client that leaves', () => {
  it('while the upstream connection is still being set up: logged as 499 at once, not after the connect timeout', async () => {
    // accepts TCP and never answers the TLS handshake: the upstream connection never completes
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((done) => silent!.listen(0, '127.0.0.1', () => done()));
    const port = (silent.address() as { port: number }).port;
    proxy = await startTestProxy(
      configWith({ a: { providerId: 'anthropic', apiKey: 'k-123456789', baseURL: `https://127.0.0.1:${port}` } }),
      { kind: 'profile', profile: 'a' },
    );
    const controller = new AbortController();
    const answer = request(`${proxy.url}/v1/messages`, {
      method: 'POST',
      body: '{"model":"m"}',
      signal: controller.signal,
    }).catch(() => undefined);
    await sleep(200);
    controller.abort();
    await answer;
    const started = Date.now();
    const [entry] = await proxy.accessLog();
    expect(Date.now() - started).toBeLessThan(2000); // the connect timeout is 10 s
    expect(entry.status).toBe(499);
    // the client left: not an upstream fault (no "reset" that would send someone debugging the provider)
    expect(entry.error.kind).toBe('client_gone');
  });
});

describe('shutdown', () => {
  it('a stream still running when the grace period ends gets an error event and its end, and its access-log line', async () => {
    const { mockUpstream } = await import('../helpers/mock-upstream.js');
    const { readFile } = await import('node:fs/promises');
    // an upstream stream that sends its start and then never ends
    const upstream = await mockUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(
        'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}\n\n' +
          'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
      );
    });
    try {
      proxy = await startTestProxy(
        configWith({ a: { providerId: 'anthropic', apiKey: 'k-123456789', baseURL: upstream.url } }),
        { kind: 'profile', profile: 'a' },
      );
      const res = await request(`${proxy.url}/v1/messages`, {
        method: 'POST',
        body: '{"model":"m","stream":true}',
      });
      const reading = res.body.text().catch(() => 'cut');
      await sleep(100);
      const logFile = proxy.proxy.logFile;
      await proxy.proxy.close(50); // grace ends at once: the stream is cut
      const text = await reading;
      proxy = undefined;
      // the client reads why, in its own stream's grammar: not a reset connection
      expect(text).toContain('content_block_start');
      const events = text.split('\n\n').filter(Boolean);
      expect(events.at(-1)).toMatch(/^event: error\ndata: /);
      const error = JSON.parse(events.at(-1)!.split('data: ')[1]!);
      expect(error).toMatchObject({ type: 'error', error: { type: 'api_error' } });
      expect(error.error.message).toContain('Swixter is stopping');
      const lines = (await readFile(logFile, 'utf8')).split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({
        path: '/v1/messages',
        stream: true,
        status: 200,
        error: { kind: 'shutdown' },
      });
    } finally {
      await upstream.close();
    }
  });
  it('a converted stream (Anthropic client, Chat provider) cut by the shutdown ends as the Anthropic SDK reads it: an APIError naming why', async () => {
    const { mockUpstream } = await import('../helpers/mock-upstream.js');
    const { default: Anthropic } = await import('@anthropic-ai/sdk');
    // a Chat stream that sends its first words and then never ends
    const upstream = await mockUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(
        'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-mock","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"},"finish_reason":null}]}\n\n',
      );
    });
    try {
      proxy = await startTestProxy(configWith({ chat: chatProfile(upstream.url) }), {
        kind: 'profile',
        profile: 'chat',
      });
      const client = new Anthropic({ baseURL: proxy.url, apiKey: 'sk-client', maxRetries: 0 });
      const stream = client.messages.stream({
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'hi' }],
      });
      const texts: string[] = [];
      stream.on('text', (t) => texts.push(t));
      const failed = stream.finalMessage().catch((e: unknown) => e);
      await sleep(150);
      const closing = proxy.proxy.close(50);
      const err = await failed;
      await closing;
      proxy = undefined;
      expect(texts).toEqual(['Hello']);
      expect(err).toBeInstanceOf(Anthropic.APIError);
      expect((err as Error).message).toContain('Swixter is stopping');
    } finally {
      await upstream.close();
    }
  });

  it('a JSON answer still arriving when the grace period ends is cut, and logged as the shutdown', async () => {
    const { mockUpstream } = await import('../helpers/mock-upstream.js');
    const { readFile } = await import('node:fs/promises');
    // a JSON answer of unknown length that never ends
    const upstream = await mockUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":"msg_1","content":[{"type":"text","text":"');
    });
    try {
      proxy = await startTestProxy(
        configWith({ a: { providerId: 'anthropic', apiKey: 'k-123456789', baseURL: upstream.url } }),
        { kind: 'profile', profile: 'a' },
      );
      const res = await request(`${proxy.url}/v1/messages`, { method: 'POST', body: '{"model":"m"}' });
      expect(res.statusCode).toBe(200);
      const reading = res.body.text().then(
        () => 'ended',
        () => 'cut',
      );
      await sleep(100);
      const logFile = proxy.proxy.logFile;
      await proxy.proxy.close(50);
      proxy = undefined;
      expect(await reading).toBe('cut'); // never a truncated body that looks whole
      const lines = (await readFile(logFile, 'utf8')).split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ status: 200, stream: false, error: { kind: 'shutdown' } });
    } finally {
      await upstream.close();
    }
  });

  it('a request whose body is still arriving when the grace period ends is logged as the shutdown, not as the client leaving', async () => {
    const { connect } = await import('node:net');
    const { readFile } = await import('node:fs/promises');
    proxy = await startTestProxy(
      configWith({ a: { providerId: 'anthropic', apiKey: 'k-123456789', baseURL: 'http://127.0.0.1:9' } }),
      { kind: 'profile', profile: 'a' },
    );
    const socket = connect(Number(new URL(proxy.url).port), '127.0.0.1');
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.write('POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\n{"model":"m",');
    await sleep(100);
    const logFile = proxy.proxy.logFile;
    await proxy.proxy.close(50);
    proxy = undefined;
    const lines = (await readFile(logFile, 'utf8')).split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ status: 503, error: { kind: 'shutdown' } });
  });

  it('a request still waiting for its answer when the grace period ends gets a 503 in its own shape', async () => {
    const { mockUpstream } = await import('../helpers/mock-upstream.js');
    const upstream = await mockUpstream(() => undefined); // never answers
    try {
      proxy = await startTestProxy(
        configWith({ a: { providerId: 'anthropic', apiKey: 'k-123456789', baseURL: upstream.url } }),
        { kind: 'profile', profile: 'a' },
      );
      const answer = request(`${proxy.url}/v1/messages`, { method: 'POST', body: '{"model":"m"}' });
      await sleep(100);
      const closing = proxy.proxy.close(50);
      const res = await answer;
      expect(res.statusCode).toBe(503);
      const body = (await res.body.json()) as { type: string; error: { type: string; message: string } };
      expect(body).toMatchObject({ type: 'error', error: { type: 'api_error' } });
      expect(body.error.message).toContain('Swixter is stopping');
      await closing;
      const { readFile } = await import('node:fs/promises');
      const lines = (await readFile(proxy.proxy.logFile, 'utf8')).split('\n').filter(Boolean);
      proxy = undefined;
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ status: 503, error: { kind: 'shutdown' } });
    } finally {
      await upstream.close();
    }
  });

  it('stops as soon as the answers in flight are over: a kept-alive connection takes no new work, and its answer says Connection: close', async () => {
    const { mockUpstream, sleep: wait, json } = await import('../helpers/mock-upstream.js');
    const { Agent } = await import('undici');
    const upstream = await mockUpstream(async (_req, res) => {
      await wait(300);
      json(res, 200, { ok: true });
    });
    const agent = new Agent({ keepAliveTimeout: 60_000 });
    try {
      proxy = await startTestProxy(
        configWith({ a: { providerId: 'anthropic', apiKey: 'k-123456789', baseURL: upstream.url } }),
        { kind: 'profile', profile: 'a' },
      );
      const ask = () =>
        request(`${proxy!.url}/v1/messages`, { method: 'POST', body: '{"model":"m"}', dispatcher: agent });
      await (await ask()).body.text(); // a kept-alive connection, idle now
      const inFlight = ask();
      await sleep(50);
      const started = Date.now();
      const stopped = proxy.proxy.close(5000);
      const answer = await inFlight;
      expect(answer.statusCode).toBe(200);
      expect(answer.headers.connection).toBe('close');
      await answer.body.text();
      await stopped;
      proxy = undefined;
      // not the whole 5 s grace: the idle and the finished connections were closed at once
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await agent.close();
      await upstream.close();
    }
  });
});
