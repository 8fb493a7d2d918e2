import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startPair } from '../helpers/failover-group.js';
import { healthyAnthropic } from '../helpers/faults.js';
import { type MockUpstream, mockUpstream } from '../helpers/mock-upstream.js';
import { configWith, startTestProxy, type TestProxy } from '../helpers/proxy.js';

let proxy: TestProxy;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await proxy?.close();
  for (const close of closers.splice(0)) await close();
});
const track = (m: MockUpstream): MockUpstream => {
  closers.push(() => m.close());
  return m;
};

const single = (baseURL: string) =>
  startTestProxy(configWith({ a: { providerId: 'anthropic', apiKey: 'k-aaaaaaaaaaaa', baseURL } }), {
    kind: 'profile',
    profile: 'a',
  });

describe('robustness', () => {
  it('Expect: 100-continue (curl with a large body) is served, not failed over', async () => {
    const up = track(await healthyAnthropic('ok'));
    proxy = await single(up.url);
    const body = '{"model":"m","max_tokens":5,"messages":[]}';
    const raw = await new Promise<string>((done) => {
      const socket = connect(Number(new URL(proxy.url).port), '127.0.0.1', () => {
        socket.write(
          `POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
        );
        setTimeout(() => socket.write(body), 50);
      });
      let data = '';
      socket.on('data', (d) => {
        data += d.toString();
      });
      socket.on('end', () => done(data));
    });
    expect(raw).toMatch(/HTTP\/1\.1 200 OK/);
    expect(up.requests).toHaveLength(1);
    expect(up.requests[0]!.headers.expect).toBeUndefined();
  });

  it("Codex's WebSocket probe (GET /v1/responses, Upgrade: websocket) gets 426, so Codex falls back to HTTP at once", async () => {
    const probe = JSON.parse(
      readFileSync(new URL('../fixtures/codex/codex-3-websocket-upgrade-probe.json', import.meta.url), 'utf8'),
    ) as { method: string; path: string; headers: Record<string, string> };
    const up = track(await healthyAnthropic('ok'));
    proxy = await single(up.url);
    const head = Object.entries({ ...probe.headers, host: 'x' })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    const raw = await new Promise<string>((done) => {
      const socket = connect(Number(new URL(proxy.url).port), '127.0.0.1', () => {
        socket.write(`${probe.method} ${probe.path} HTTP/1.1\r\n${head}\r\n`);
      });
      let data = '';
      socket.on('data', (d) => {
        data += d.toString();
        if (data.includes('\r\n\r\n') && data.trimEnd().endsWith('}')) socket.end();
      });
      socket.on('close', () => done(data));
    });
    // 400 would make Codex give up and exit 1 (shared/design/real-clients.md)
    expect(raw).toMatch(/^HTTP\/1\.1 426 /);
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as { error: { message: string } };
    expect(body.error.message).toContain('does not relay protocol upgrades (Upgrade: websocket)');
    expect(up.requests).toHaveLength(0);
    const [line] = await proxy.accessLog();
    expect(line).toMatchObject({
      method: 'GET',
      path: '/v1/responses',
      status: 426,
      error: { kind: 'upgrade_refused' },
    });
  });

  it('an upstream that compresses anyway: its error reaches the client as consistent bytes (decodable, right length)', async () => {
    const errorJson = JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } });
    const gz = gzipSync(errorJson);
    const up = track(
      await mockUpstream((_req, res) => {
        res.writeHead(429, {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'content-length': String(gz.length),
        });
        res.end(gz);
      }),
    );
    proxy = await single(up.url);
    const res = await request(`${proxy.url}/v1/messages`, { method: 'POST', body: '{"model":"m"}' });
    expect(res.statusCode).toBe(429);
    expect(up.requests[0]!.headers['accept-encoding']).toBe('identity');
    const bytes = Buffer.from(await res.body.arrayBuffer());
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(bytes).toString()).toBe(errorJson);
  });

  it('a Chat upstream that compresses anyway: its whole answer and its error are read and converted; a compressed stream is a clear error', async () => {
    const answer = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: 'unzipped answer' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    };
    const up = track(
      await mockUpstream((req, res) => {
        const json = req.json as { stream?: boolean; max_tokens?: number };
        const gz = json.stream
          ? gzipSync('data: {"choices":[{"index":0,"delta":{"content":"x"}}]}\n\ndata: [DONE]\n\n')
          : json.max_tokens === 7
            ? gzipSync(JSON.stringify({ error: { message: 'you asked for 7', type: 'invalid_request_error' } }))
            : gzipSync(JSON.stringify(answer));
        res.writeHead(json.max_tokens === 7 ? 400 : 200, {
          'content-type': json.stream ? 'text/event-stream' : 'application/json',
          'content-encoding': 'gzip',
        });
        res.end(gz);
      }),
    );
    proxy = await startTestProxy(
      configWith({
        c: { providerId: 'custom', apiFormat: 'openai_chat', apiKey: 'k-cccccccccccc', baseURL: `${up.url}/v1` },
      }),
      { kind: 'profile', profile: 'c' },
    );
    const ask = (extra: object) =>
      request(`${proxy.url}/v1/messages`, {
        method: 'POST',
        body: JSON.stringify({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], ...extra }),
      });
    const whole = await ask({});
    expect(whole.statusCode).toBe(200);
    expect(await whole.body.json()).toMatchObject({
      type: 'message',
      content: [{ type: 'text', text: 'unzipped answer' }],
    });
    const refused = await ask({ max_tokens: 7 });
    expect(refused.statusCode).toBe(400);
    expect(JSON.stringify(await refused.body.json())).toContain('you asked for 7');
    const streamed = await ask({ stream: true });
    expect(streamed.statusCode).toBe(502);
    expect(JSON.stringify(await streamed.body.json())).toContain('compressed its event stream');
  });

  it('an Anthropic stream compressed anyway is piped as sent (no gate, nothing appended), also in a group', async () => {
    const events =
      'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}\n\n' +
      'event: message_stop\ndata: {"type":"message_stop"}\n\n';
    const gz = gzipSync(events);
    const a = track(
      await mockUpstream((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
        res.end(gz);
      }),
    );
    const b = track(await healthyAnthropic('b'));
    proxy = await startPair(a.url, b.url);
    const res = await request(`${proxy.url}/v1/messages`, {
      method: 'POST',
      body: '{"model":"m","max_tokens":5,"stream":true,"messages":[]}',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    const bytes = Buffer.from(await res.body.arrayBuffer());
    expect(gunzipSync(bytes).toString()).toBe(events); // nothing appended after the compressed bytes
    expect(b.requests).toHaveLength(0);
    const [line] = await proxy.accessLog(1);
    expect(line).toMatchObject({ status: 200, profile: 'a', stream: true });
    expect(line.error).toBeUndefined();
  });

  it('non-UTF-8 bytes in a passthrough JSON answer arrive unchanged in a group (gated) too', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}],"usage":{"input_tokens":1,"output_tokens":1}}'),
    ]);
    const up = track(
      await mockUpstream((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(latin1.length) });
        res.end(latin1);
      }),
    );
    const backup = track(await healthyAnthropic('backup'));
    proxy = await startPair(up.url, backup.url);
    const res = await request(`${proxy.url}/v1/messages`, { method: 'POST', body: '{"model":"m"}' });
    expect(Buffer.from(await res.body.arrayBuffer()).equals(latin1)).toBe(true);
  });

  it('a key an upstream echoes in an error event is masked in status, logs and the client’s error', async () => {
    const secret = 'ak_live_Zx81SECRETKEYVALUE77';
    const bad = track(
      await mockUpstream((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`event: error\ndata: {"type":"error","error":{"type":"api_error","message":"bad key ${secret}"}}\n\n`);
      }),
    );
    const bad2 = track(
      await mockUpstream((_req, res) => {
        res.end();
      }),
    );
    proxy = await startTestProxy(
      configWith(
        {
          a: { providerId: 'anthropic', apiKey: secret, baseURL: bad.url },
          b: { providerId: 'anthropic', apiKey: 'k-bbbbbbbbbbbb', baseURL: `${bad2.url}/x` },
        },
        { groups: { g: { id: 'g', name: 'g', profiles: ['a', 'b'] } } },
      ),
      { kind: 'group', group: 'g' },
    );
    const res = await request(`${proxy.url}/v1/messages`, { method: 'POST', body: '{"model":"m","stream":true}' });
    const clientText = await res.body.text();
    const status = await (await request(`${proxy.url}/_swixter/status`)).body.text();
    const log = JSON.stringify(await proxy.accessLog());
    for (const text of [clientText, status, log, proxy.stderr.join('')]) expect(text).not.toContain('SECRETKEYVALUE');
    expect(status).toContain('ak_…UE77');
  });
});

describe('converted streams', () => {
  const chunk = (delta: object, finish: string | null = null) =>
    `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  const wholeAnswer =
    chunk({ role: 'assistant', content: '' }) +
    chunk({ content: 'Hello' }) +
    chunk({ content: ' there' }) +
    chunk({}, 'stop') +
    `data: ${JSON.stringify({ id: 'c1', choices: [], usage: { prompt_tokens: 7, completion_tokens: 2 } })}\n\n` +
    'data: [DONE]\n\n';

  /** An upstream that sends the whole answer, then holds its response open until `released`. */
  async function holdingUpstream(released: Promise<void>) {
    const state = { ended: false };
    const up = track(
      await mockUpstream(async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(wholeAnswer);
        await released;
        state.ended = true;
        if (!res.destroyed) res.end();
      }),
    );
    proxy = await startTestProxy(
      configWith({
        c: { providerId: 'custom', apiKey: 'k-cccccccccccc', baseURL: `${up.url}/v1`, apiFormat: 'openai_chat' },
      }),
      { kind: 'profile', profile: 'c' },
    );
    const res = await request(`${proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'claude-x',
        max_tokens: 9,
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    return { up, state, text: await res.body.text() };
  }

  it('end for the client as soon as the converter is done, while the upstream still holds its response open', async () => {
    let release = () => {};
    const { state, text } = await holdingUpstream(
      new Promise<void>((done) => {
        release = done;
      }),
    );
    expect(state.ended).toBe(false);
    expect(text).toContain('"text":" there"');
    expect(text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
    release();
    const [entry] = await proxy.accessLog();
    expect(entry).toMatchObject({ status: 200, usage: { input_tokens: 7, output_tokens: 2 } });
    expect(entry.error).toBeUndefined();
  });

  it('an upstream that never ends after a complete answer is cut off shortly after; the request is logged as a success', async () => {
    let release = () => {};
    const { up, text } = await holdingUpstream(
      new Promise<void>((done) => {
        release = done;
      }),
    );
    closers.push(async () => release());
    expect(text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
    const [entry] = await proxy.accessLog(); // waits up to 2 s; the proxy cuts the upstream after 1 s
    expect(entry).toMatchObject({ status: 200, usage: { input_tokens: 7, output_tokens: 2 } });
    expect(entry.error).toBeUndefined();
    await expect.poll(() => up.aborted).toBe(1);
  });
});
