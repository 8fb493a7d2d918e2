import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { json, type MockUpstream, mockUpstream, sleep, writeSse } from '../helpers/mock-upstream.js';
import { configWith, startTestProxy, type TestProxy } from '../helpers/proxy.js';

let upstream: MockUpstream;
let proxy: TestProxy;
afterEach(async () => {
  await proxy?.close();
  await upstream?.close();
});

const ANTHROPIC_SSE = [
  'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":42,"output_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":7}}}\n\n',
  'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
  'event: ping\ndata: {"type": "ping"}\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Héllo ✓"}}\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" world"}}\n\n',
  'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
  'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":12}}\n\n',
  'event: message_stop\ndata: {"type":"message_stop"}\n\n',
];

async function anthropicProfileProxy(baseURL: string, extra: Record<string, unknown> = {}) {
  return startTestProxy(
    configWith({ main: { providerId: 'anthropic', apiKey: 'sk-ant-profile-key-123456', baseURL, ...extra } }),
    { kind: 'profile', profile: 'main' },
  );
}

describe('passthrough (same format)', () => {
  it('non-streaming JSON is returned byte for byte, status and headers kept', async () => {
    const body =
      '{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"hi"}],"usage":{"input_tokens":3,"output_tokens":1}}';
    upstream = await mockUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_abc' });
      res.end(body);
    });
    proxy = await anthropicProfileProxy(upstream.url);
    const res = await request(`${proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model":"claude-x","max_tokens":5,"messages":[]}',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['request-id']).toBe('req_abc');
    expect(await res.body.text()).toBe(body);
    const [entry] = await proxy.accessLog();
    expect(entry).toMatchObject({
      method: 'POST',
      path: '/v1/messages',
      status: 200,
      profile: 'main',
      model: 'claude-x',
      stream: false,
      usage: { input_tokens: 3, output_tokens: 1 },
    });
    expect(entry.upstream).toBe(upstream.url);
  });

  it('SSE bytes the client receives equal what the upstream sent, chunk by chunk', async () => {
    upstream = await mockUpstream((_req, res) => writeSse(res, ANTHROPIC_SSE, 5));
    proxy = await anthropicProfileProxy(upstream.url);
    const res = await request(`${proxy.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model":"claude-x","stream":true,"messages":[]}',
    });
    expect(res.headers['content-type']).toBe('text/event-stream');
    const received = Buffer.from(await res.body.arrayBuffer());
    expect(received.equals(Buffer.from(ANTHROPIC_SSE.join('')))).toBe(true);
    expect(upstream.requests[0]!.url).toBe('/v1/messages?beta=true');
    const [entry] = await proxy.accessLog();
    expect(entry).toMatchObject({
      path: '/v1/messages?beta=true',
      status: 200,
      stream: true,
      usage: { input_tokens: 42, output_tokens: 12, cache_read_tokens: 7 },
    });
    expect(entry.ttfb_ms).toBeGreaterThan(0);
    expect(entry.response_size).toBe(Buffer.byteLength(ANTHROPIC_SSE.join('')));
  });

  it('streams as bytes arrive (the first event reaches the client before the upstream finishes)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((done) => {
      release = done;
    });
    upstream = await mockUpstream(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(ANTHROPIC_SSE[0]);
      await gate;
      res.end(ANTHROPIC_SSE.slice(1).join(''));
    });
    proxy = await anthropicProfileProxy(upstream.url);
    const res = await request(`${proxy.url}/v1/messages`, { method: 'POST', body: '{"model":"m","stream":true}' });
    const reader = res.body[Symbol.asyncIterator]();
    const first = await reader.next();
    expect(Buffer.from(first.value as Buffer).toString()).toBe(ANTHROPIC_SSE[0]);
    release();
    let rest = '';
    for (;;) {
      const next = await reader.next();
      if (next.done) break;
      rest += Buffer.from(next.value as Buffer).toString();
    }
    expect(rest).toBe(ANTHROPIC_SSE.slice(1).join(''));
  });

  it.each([
    ['https://x.example/openai/v1', '/v1/chat/completions', '/openai/v1/chat/completions'],
    ['https://x.example', '/v1/messages', '/v1/messages'],
    ['https://x.example/anthropic', '/v1/messages', '/anthropic/v1/messages'],
    ['https://x.example/api/paas/v4/', '/v1/chat/completions', '/api/paas/v4/chat/completions'],
    ['https://x.example/v1beta/openai', '/v1/chat/completions', '/v1beta/openai/chat/completions'],
  ])('base %s + %s → %s (no doubled /v1)', async (base, path, expected) => {
    const { joinUpstreamUrl } = await import('../../src/proxy/upstream-url.js');
    expect(joinUpstreamUrl(base, path, '?beta=true').path).toBe(`${expected}?beta=true`);
  });

  it('the profile base URL path is joined without doubling /v1 on the wire', async () => {
    upstream = await mockUpstream((_req, res) => json(res, 200, { id: 'c', object: 'chat.completion', choices: [] }));
    proxy = await startTestProxy(
      configWith({ oa: { providerId: 'openai', apiKey: 'sk-openai-key-9999', baseURL: `${upstream.url}/openai/v1` } }),
      { kind: 'profile', profile: 'oa' },
    );
    await (
      await request(`${proxy.url}/v1/chat/completions`, { method: 'POST', body: '{"model":"gpt","messages":[]}' })
    ).body.text();
    expect(upstream.requests[0]!.url).toBe('/openai/v1/chat/completions');
  });

  it("a Chat passthrough's usage is logged as conversions log it: cache reads and writes apart, reasoning in output", async () => {
    const usage = {
      prompt_tokens: 1000,
      completion_tokens: 27,
      total_tokens: 1340, // xAI-style: reasoning counted outside completion_tokens
      prompt_tokens_details: { cached_tokens: 600, cache_write_tokens: 300 },
      completion_tokens_details: { reasoning_tokens: 313 },
    };
    upstream = await mockUpstream((_req, res) =>
      json(res, 200, { id: 'c', object: 'chat.completion', choices: [], usage }),
    );
    proxy = await startTestProxy(
      configWith({ oa: { providerId: 'openai', apiKey: 'sk-openai-key-9999', baseURL: `${upstream.url}/v1` } }),
      { kind: 'profile', profile: 'oa' },
    );
    const res = await request(`${proxy.url}/v1/chat/completions`, {
      method: 'POST',
      body: '{"model":"gpt","messages":[]}',
    });
    expect(((await res.body.json()) as { usage: unknown }).usage).toEqual(usage); // the client's bytes are untouched
    const [entry] = await proxy.accessLog();
    expect(entry!.usage).toEqual({
      input_tokens: 100,
      output_tokens: 340,
      cache_read_tokens: 600,
      cache_write_tokens: 300,
    });
  });

  it('other /v1/* paths are forwarded as they are; GET without a body works', async () => {
    upstream = await mockUpstream((req, res) => json(res, 200, { path: req.url, method: req.method }));
    proxy = await anthropicProfileProxy(upstream.url);
    const res = await request(`${proxy.url}/v1/files/abc?limit=2`, {
      method: 'GET',
      headers: { 'anthropic-version': '2023-06-01' },
    });
    expect(await res.body.json()).toEqual({ path: '/v1/files/abc?limit=2', method: 'GET' });
  });

  it('a trailing slash or a doubled slash is the same call: recognised, forwarded and logged without', async () => {
    upstream = await mockUpstream((req, res) => json(res, 200, { path: req.url }));
    proxy = await anthropicProfileProxy(upstream.url);
    for (const path of ['/v1/messages/', '/v1//messages', '/v1/messages/?beta=true']) {
      const res = await request(`${proxy.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"model":"claude-x","max_tokens":5,"messages":[]}',
      });
      expect(res.statusCode).toBe(200);
      expect(await res.body.json()).toEqual({
        path: path.endsWith('?beta=true') ? '/v1/messages?beta=true' : '/v1/messages',
      });
    }
    const entries = await proxy.accessLog();
    expect(entries.map((e) => [e.path, e.model])).toEqual([
      ['/v1/messages', 'claude-x'],
      ['/v1/messages', 'claude-x'],
      ['/v1/messages?beta=true', 'claude-x'],
    ]);
  });

  it('maps the model for a same-format profile and logs both names', async () => {
    upstream = await mockUpstream((req, res) =>
      json(res, 200, { model: req.json.model, usage: { input_tokens: 1, output_tokens: 1 } }),
    );
    proxy = await anthropicProfileProxy(upstream.url, {
      models: { defaultHaikuModel: 'small-1', anthropicModel: 'big-1' },
    });
    const haiku = await request(`${proxy.url}/v1/messages`, {
      method: 'POST',
      body: '{"model":"claude-haiku-4-5","messages":[]}',
    });
    expect(((await haiku.body.json()) as { model: string }).model).toBe('small-1');
    const other = await request(`${proxy.url}/v1/messages`, {
      method: 'POST',
      body: '{"model":"claude-sonnet-4-5","messages":[]}',
    });
    expect(((await other.body.json()) as { model: string }).model).toBe('big-1');
    // the profile's own tier name, as `apply` writes it into ANTHROPIC_DEFAULT_HAIKU_MODEL, stays itself
    const own = await request(`${proxy.url}/v1/messages`, {
      method: 'POST',
      body: '{"model":"small-1","messages":[]}',
    });
    expect(((await own.body.json()) as { model: string }).model).toBe('small-1');
    const entries = await proxy.accessLog(3);
    expect(entries.map((e) => [e.model, e.upstream_model])).toEqual([
      ['claude-haiku-4-5', 'small-1'],
      ['claude-sonnet-4-5', 'big-1'],
      ['small-1', 'small-1'],
    ]);
  });

  it("a model mapped to a Claude model of another thinking generation gets thinking settings it takes; Claude Code's real request included", async () => {
    const { readFile } = await import('node:fs/promises');
    upstream = await mockUpstream((req, res) => json(res, 200, { model: req.json.model, sent: req.json }));
    proxy = await anthropicProfileProxy(upstream.url, {
      models: { defaultSonnetModel: 'claude-opus-4-7', defaultOpusModel: 'claude-haiku-4-5' },
    });
    const send = async (body: unknown) => {
      const res = await request(`${proxy.url}/v1/messages`, { method: 'POST', body: JSON.stringify(body) });
      return ((await res.body.json()) as { sent: Record<string, unknown> }).sent;
    };
    // an older Claude Code asking for Sonnet 4.5 with a budget, mapped to Opus 4.7 (which refuses budgets)
    const toAdaptive = await send({
      model: 'claude-sonnet-4-5',
      max_tokens: 32_000,
      thinking: { type: 'enabled', budget_tokens: 31_999 },
      temperature: 1,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(toAdaptive).toMatchObject({
      model: 'claude-opus-4-7',
      thinking: { type: 'adaptive', display: 'summarized' },
      output_config: { effort: 'xhigh' },
    });
    expect(toAdaptive).not.toHaveProperty('temperature');
    // today's Claude Code (adaptive, effort high) asking for Opus 4.8, mapped to Haiku 4.5 (budget only)
    const captured = JSON.parse(
      await readFile(new URL('../fixtures/claude-code/claude-code-1-first-request.json', import.meta.url), 'utf8'),
    ).body;
    const toBudget = await send(captured);
    expect(toBudget).toMatchObject({
      model: 'claude-haiku-4-5',
      thinking: { type: 'enabled', budget_tokens: 16_384 },
    });
    expect(toBudget).not.toHaveProperty('output_config');
    expect(toBudget.messages).toEqual(captured.messages);
    expect(toBudget.tools).toEqual(captured.tools);
  });

  it('answers HEAD / and GET /health locally', async () => {
    upstream = await mockUpstream((_req, res) => json(res, 500, {}));
    proxy = await anthropicProfileProxy(upstream.url);
    expect((await request(`${proxy.url}/`, { method: 'HEAD' })).statusCode).toBe(200);
    const health = await request(`${proxy.url}/health`);
    expect(health.statusCode).toBe(200);
    expect(await health.body.json()).toMatchObject({ status: 'ok' });
    expect(upstream.requests).toHaveLength(0);
    await sleep(10);
  });
});
