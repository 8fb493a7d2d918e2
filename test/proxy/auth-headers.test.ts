import { connect } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { json, type MockUpstream, mockUpstream } from '../helpers/mock-upstream.js';
import { configWith, startTestProxy, type TestProxy } from '../helpers/proxy.js';

let upstream: MockUpstream;
let proxy: TestProxy;
afterEach(async () => {
  await proxy?.close();
  await upstream?.close();
});

const echo = () => mockUpstream((req, res) => json(res, 200, { ok: true, url: req.url }));

describe('auth', () => {
  it('x-api-key style: the profile key replaces whatever the client sent', async () => {
    upstream = await echo();
    proxy = await startTestProxy(
      configWith({ a: { providerId: 'anthropic', apiKey: 'sk-ant-profile-aaaa1111', baseURL: upstream.url } }),
      { kind: 'profile', profile: 'a' },
    );
    await request(`${proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-client-key-zzzz', authorization: 'Bearer sk-client-bearer-yyyy' },
      body: '{"model":"m"}',
    }).then((r) => r.body.text());
    const h = upstream.requests[0]!.headers;
    expect(h['x-api-key']).toBe('sk-ant-profile-aaaa1111');
    expect(h.authorization).toBeUndefined();
  });

  it('bearer style: Authorization: Bearer <profile key>, client x-api-key dropped', async () => {
    upstream = await echo();
    proxy = await startTestProxy(
      configWith({ g: { providerId: 'groq', apiKey: 'gsk-profile-bbbb2222', baseURL: upstream.url } }),
      { kind: 'profile', profile: 'g' },
    );
    await request(`${proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'x-api-key': 'client', authorization: 'Bearer client' },
      body: '{"model":"m","messages":[]}',
    }).then((r) => r.body.text());
    const h = upstream.requests[0]!.headers;
    expect(h.authorization).toBe('Bearer gsk-profile-bbbb2222');
    expect(h['x-api-key']).toBeUndefined();
  });

  it('a key held in an environment variable is read when the request is sent', async () => {
    upstream = await echo();
    process.env.SWIXTER_TEST_KEY = 'gsk-from-env-cccc3333';
    proxy = await startTestProxy(
      configWith({ g: { providerId: 'groq', apiKey: '', apiKeyEnv: 'SWIXTER_TEST_KEY', baseURL: upstream.url } }),
      { kind: 'profile', profile: 'g' },
    );
    await request(`${proxy.url}/v1/chat/completions`, { method: 'POST', body: '{"model":"m","messages":[]}' }).then(
      (r) => r.body.text(),
    );
    expect(upstream.requests[0]!.headers.authorization).toBe('Bearer gsk-from-env-cccc3333');
    delete process.env.SWIXTER_TEST_KEY;
    const missing = await request(`${proxy.url}/v1/chat/completions`, {
      method: 'POST',
      body: '{"model":"m","messages":[]}',
    });
    expect(missing.statusCode).toBe(401);
    expect(JSON.stringify(await missing.body.json())).toContain('$SWIXTER_TEST_KEY');
  });

  it('a profile without a key forwards the client credentials; a swx- local token never leaves', async () => {
    upstream = await echo();
    proxy = await startTestProxy(configWith({ a: { providerId: 'anthropic', apiKey: '', baseURL: upstream.url } }), {
      kind: 'profile',
      profile: 'a',
    });
    await request(`${proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-ant-client-own-4444' },
      body: '{"model":"m"}',
    }).then((r) => r.body.text());
    expect(upstream.requests[0]!.headers['x-api-key']).toBe('sk-ant-client-own-4444');
    await request(`${proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer swx-local-token-abc' },
      body: '{"model":"m"}',
    }).then((r) => r.body.text());
    expect(upstream.requests[1]!.headers.authorization).toBeUndefined();
  });
});

describe('headers', () => {
  it('adds proxy.headers and the profile headers (profile wins); anthropic-* pass unchanged; Host is the upstream', async () => {
    upstream = await echo();
    proxy = await startTestProxy(
      configWith(
        {
          a: {
            providerId: 'anthropic',
            apiKey: 'k-123456789',
            baseURL: upstream.url,
            headers: { 'X-Team': 'profile', 'X-Profile-Only': '1' },
          },
        },
        { proxy: { headers: { 'X-Team': 'proxy', 'X-Proxy-Only': '2' } } },
      ),
      { kind: 'profile', profile: 'a' },
    );
    await request(`${proxy.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'anthropic-version': '2023-06-01',
        'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14',
        'x-custom': 'c',
      },
      body: '{"model":"m"}',
    }).then((r) => r.body.text());
    const h = upstream.requests[0]!.headers;
    expect(h).toMatchObject({
      'x-team': 'profile',
      'x-profile-only': '1',
      'x-proxy-only': '2',
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14',
      'x-custom': 'c',
    });
    expect(h.host).toBe(new URL(upstream.url).host);
  });

  it('removes hop-by-hop headers in both directions (incl. the ones Connection lists)', async () => {
    upstream = await mockUpstream((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        connection: 'x-upstream-hop, keep-alive',
        'x-upstream-hop': 'secret',
        'keep-alive': 'timeout=5',
        'proxy-authenticate': 'Basic',
        'x-kept': 'yes',
      });
      res.end('{}');
    });
    proxy = await startTestProxy(
      configWith({ a: { providerId: 'anthropic', apiKey: 'k-123456789', baseURL: upstream.url } }),
      { kind: 'profile', profile: 'a' },
    );
    // Raw request so the client can send hop-by-hop headers undici would refuse.
    const port = new URL(proxy.url).port;
    const raw = await new Promise<string>((done) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          'POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nConnection: close, x-client-hop\r\nX-Client-Hop: 1\r\nKeep-Alive: timeout=9\r\nTE: trailers\r\nProxy-Authorization: Basic abc\r\nUpgrade: h2c\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"model":"m"}',
        );
      });
      let data = '';
      socket.on('data', (d) => {
        data += d.toString();
      });
      socket.on('end', () => done(data));
    });
    const sent = upstream.requests[0]!.headers;
    for (const name of ['x-client-hop', 'keep-alive', 'te', 'proxy-authorization', 'upgrade'])
      expect(sent[name], name).toBeUndefined();
    const head = raw.split('\r\n\r\n')[0]!.toLowerCase();
    expect(head).toContain('x-kept: yes');
    expect(head).not.toContain('x-upstream-hop');
    expect(head).not.toContain('proxy-authenticate');
    expect(head).not.toContain('timeout=5');
  });
});

describe('routes', () => {
  let a: MockUpstream;
  let b: MockUpstream;
  afterEach(async () => {
    await a?.close();
    await b?.close();
  });

  it('a model glob route overrides the profile; first match wins; a provider route redirects; no match keeps the profile', async () => {
    upstream = await mockUpstream((_req, res) => json(res, 200, { from: 'profile' }));
    a = await mockUpstream((_req, res) => json(res, 200, { from: 'a' }));
    b = await mockUpstream((_req, res) => json(res, 200, { from: 'b' }));
    proxy = await startTestProxy(
      configWith(
        {
          main: { providerId: 'anthropic', apiKey: 'k-main-1234567', baseURL: upstream.url },
          fast: { providerId: 'groq', apiKey: 'k-fast-1234567', baseURL: a.url, apiFormat: 'anthropic_messages' },
        },
        {
          proxy: {
            routes: [
              { match: { model: '*-haiku-*' }, profile: 'fast' },
              { match: { model: 'claude-*' }, upstream: b.url },
              { match: { model: 'gpt-?o' }, upstream: a.url },
            ],
          },
        },
      ),
      { kind: 'profile', profile: 'main' },
    );
    const send = async (model: string) =>
      (await (
        await request(`${proxy.url}/v1/messages`, { method: 'POST', body: JSON.stringify({ model }) })
      ).body.json()) as { from: string };
    expect((await send('claude-haiku-4-5')).from).toBe('a'); // route 1 (also matches route 2: first wins)
    expect(a.requests[0]!.headers.authorization).toBe('Bearer k-fast-1234567'); // groq's auth style
    expect((await send('claude-opus-4')).from).toBe('b'); // route 2, main's credentials
    expect(b.requests[0]!.headers['x-api-key']).toBe('k-main-1234567');
    expect((await send('gpt-4o')).from).toBe('a');
    expect((await send('llama-3')).from).toBe('profile');
    // a model name is no path: `*` crosses the `/` of provider-prefixed names (OpenRouter, Groq)
    expect((await send('anthropic/claude-3-haiku-x')).from).toBe('a');
    const log = await proxy.accessLog(5);
    expect(log.map((e) => e.profile)).toEqual(['fast', 'main', 'main', 'main', 'fast']);
  });

  it('match.provider redirects only targets of that provider', async () => {
    upstream = await mockUpstream((_req, res) => json(res, 200, { from: 'profile' }));
    a = await mockUpstream((_req, res) => json(res, 200, { from: 'relay' }));
    proxy = await startTestProxy(
      configWith(
        { g: { providerId: 'groq', apiKey: 'k-groq-1234567', baseURL: upstream.url } },
        { proxy: { routes: [{ match: { provider: 'groq' }, upstream: a.url }] } },
      ),
      {
        kind: 'profile',
        profile: 'g',
      },
    );
    const res = await request(`${proxy.url}/v1/chat/completions`, {
      method: 'POST',
      body: '{"model":"x","messages":[]}',
    });
    expect(await res.body.json()).toEqual({ from: 'relay' });
    expect(a.requests[0]!.headers.authorization).toBe('Bearer k-groq-1234567');
  });
});
