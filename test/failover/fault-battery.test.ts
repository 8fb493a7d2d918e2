import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { answerFault, type HttpFault, healthyAnthropic, refusedUrl, resettingServer } from '../helpers/faults.js';
import { type MockUpstream, mockUpstream } from '../helpers/mock-upstream.js';
import { configWith, startTestProxy, type TestProxy } from '../helpers/proxy.js';

// Group [primary (broken in one way), backup (healthy)]: the official SDK's
// stream().finalMessage() must succeed with the backup's answer, with nothing of the primary's
// failure visible, and the access log must list both attempts.

let proxy: TestProxy;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await proxy?.close();
  for (const close of closers.splice(0)) await close();
});

async function groupProxy(primaryURL: string, backupURL: string, proxySection: Record<string, unknown> = {}) {
  return startTestProxy(
    configWith(
      {
        primary: { providerId: 'anthropic', apiKey: 'k-primary-000001', baseURL: primaryURL },
        backup: { providerId: 'anthropic', apiKey: 'k-backup-0000002', baseURL: backupURL },
      },
      {
        groups: { g1: { id: 'g1', name: 'main', profiles: ['primary', 'backup'] } },
        proxy: { timeout: 400, ...proxySection },
      },
    ),
    { kind: 'group', group: 'main' },
  );
}

const ask = (p: TestProxy) =>
  new Anthropic({ baseURL: p.url, apiKey: 'client', maxRetries: 0 }).messages
    .stream({ model: 'claude-x', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] })
    .finalMessage();

async function withFault(fault: HttpFault): Promise<MockUpstream> {
  const m = await mockUpstream((_req, res) => answerFault(fault, res));
  closers.push(() => m.close());
  return m;
}

async function backup(): Promise<MockUpstream> {
  const m = await healthyAnthropic('answer from backup');
  closers.push(() => m.close());
  return m;
}

/** Group [an OpenAI-format profile at `chatURL`, a healthy Anthropic-format backup]. */
async function chatThenBackupProxy(chatURL: string): Promise<TestProxy> {
  const good = await backup();
  return startTestProxy(
    configWith(
      {
        chat: { providerId: 'custom', apiKey: 'k-chat-0000003', baseURL: `${chatURL}/v1`, apiFormat: 'openai_chat' },
        backup: { providerId: 'anthropic', apiKey: 'k-backup-0000002', baseURL: good.url },
      },
      { groups: { g1: { id: 'g1', name: 'mixed', profiles: ['chat', 'backup'] } } },
    ),
    { kind: 'group', group: 'mixed' },
  );
}

const FAILOVER_CASES: Array<[HttpFault, string]> = [
  ['http-500', 'http_status'],
  ['http-503-retry-after', 'http_status'],
  ['http-529', 'http_status'],
  ['http-429-retry-after', 'http_status'],
  ['http-401', 'http_status'],
  ['hang', 'headers_timeout'],
  ['error-event', 'stream_error'],
  ['empty-stream', 'empty_stream'],
  ['cut-before-first-event', 'stream_cut'],
];

describe('failover: the coder never notices', () => {
  it.each(FAILOVER_CASES)('primary %s → the backup answers; the attempt is logged as %s', async (fault, cause) => {
    const primary = await withFault(fault);
    const good = await backup();
    proxy = await groupProxy(primary.url, good.url);
    const msg = await ask(proxy);
    expect(msg.content).toEqual(
      [{ type: 'text', text: 'answer from backup', citations: undefined }].map(({ citations: _c, ...b }) => b),
    );
    expect(primary.requests).toHaveLength(1);
    expect(good.requests).toHaveLength(1);
    const [entry] = await proxy.accessLog();
    expect(entry.status).toBe(200);
    expect(entry.profile).toBe('backup');
    expect(entry.attempts.map((a: { profile: string; outcome: string }) => [a.profile, a.outcome])).toEqual([
      ['primary', cause],
      ['backup', 'ok'],
    ]);
  });

  it('refused connection → the backup answers', async () => {
    const good = await backup();
    proxy = await groupProxy(await refusedUrl(), good.url);
    expect((await ask(proxy)).content[0]).toMatchObject({ text: 'answer from backup' });
    expect((await proxy.accessLog())[0].attempts[0]).toMatchObject({
      profile: 'primary',
      outcome: 'refused',
      status: null,
    });
  });

  it('connection reset before headers → the backup answers', async () => {
    const reset = await resettingServer();
    closers.push(reset.close);
    const good = await backup();
    proxy = await groupProxy(reset.url, good.url);
    expect((await ask(proxy)).content[0]).toMatchObject({ text: 'answer from backup' });
    expect(reset.connections).toBe(1);
    expect((await proxy.accessLog())[0].attempts[0]).toMatchObject({ profile: 'primary', outcome: 'reset' });
  });

  it('400 is the request’s fault: returned at once, no failover', async () => {
    const primary = await withFault('http-400');
    const good = await backup();
    proxy = await groupProxy(primary.url, good.url);
    const err = await ask(proxy).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect(good.requests).toHaveLength(0);
  });

  it('cut after content was sent: the client gets a clean error event (no hang, no silent truncation) and the breaker counts it', async () => {
    const primary = await withFault('cut-after-content');
    const good = await backup();
    proxy = await groupProxy(primary.url, good.url);
    const started = Date.now();
    const err = await ask(proxy).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(good.requests).toHaveLength(0); // content was already sent: no silent switch mid-answer
    const [entry] = await proxy.accessLog();
    expect(entry.error.kind).toMatch(/stream_cut|reset|idle_timeout/);
    expect(proxy.proxy.runtime.breakers.get('primary').consecutiveFailures).toBe(1);
  });

  it('all profiles failing → the last upstream error, status kept, in the client shape', async () => {
    const a = await withFault('http-503-retry-after');
    const b = await withFault('http-529');
    proxy = await groupProxy(a.url, b.url);
    const err = await ask(proxy).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.InternalServerError);
    expect((err as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
  });
});

describe('mixed formats in one group', () => {
  it('Anthropic-format profile fails → OpenAI-format profile answers, converted on that hop', async () => {
    const primary = await withFault('http-500');
    const chat = await mockUpstream(async (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(
        [
          'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}',
          'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt","choices":[{"index":0,"delta":{"content":"from chat"},"finish_reason":null}]}',
          'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}',
          'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}',
          'data: [DONE]',
          '',
        ].join('\n\n'),
      );
      void req;
    });
    closers.push(() => chat.close());
    proxy = await startTestProxy(
      configWith(
        {
          primary: { providerId: 'anthropic', apiKey: 'k-primary-000001', baseURL: primary.url },
          chat: {
            providerId: 'custom',
            apiKey: 'k-chat-0000003',
            baseURL: `${chat.url}/v1`,
            apiFormat: 'openai_chat',
            model: 'gpt',
          },
        },
        { groups: { g1: { id: 'g1', name: 'mixed', profiles: ['primary', 'chat'] } } },
      ),
      { kind: 'group', group: 'mixed' },
    );
    const msg = await ask(proxy);
    expect(msg.content).toEqual([{ type: 'text', text: 'from chat' }]);
    expect(msg.model).toBe('claude-x');
    expect(primary.requests[0]!.url).toBe('/v1/messages');
    expect(chat.requests[0]!.url).toBe('/v1/chat/completions');
    expect(chat.requests[0]!.json).toMatchObject({
      model: 'gpt',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const [entry] = await proxy.accessLog();
    expect(entry.format).toBe('anthropic_messages->openai_chat');
  });

  it('an OpenAI-format profile whose streamed answer is only whitespace is empty: the backup answers', async () => {
    const chunk = (delta: object, finish: string | null = null) =>
      `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const chat = await mockUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(
        `${chunk({ role: 'assistant', content: '' })}${chunk({ content: '\n\n' })}${chunk({}, 'stop')}data: [DONE]\n\n`,
      );
    });
    closers.push(() => chat.close());
    proxy = await chatThenBackupProxy(chat.url);
    expect((await ask(proxy)).content).toEqual([{ type: 'text', text: 'answer from backup' }]);
    expect((await proxy.accessLog())[0].attempts[0]).toMatchObject({ profile: 'chat', outcome: 'empty_stream' });
  });

  it('an OpenAI-format profile that sends data:{"error"} in a 200 fails over to an Anthropic-format one', async () => {
    const chat = await withFault('openai-error-chunk');
    proxy = await chatThenBackupProxy(chat.url);
    expect((await ask(proxy)).content[0]).toMatchObject({ text: 'answer from backup' });
    expect((await proxy.accessLog())[0].attempts[0]).toMatchObject({
      profile: 'chat',
      outcome: 'stream_error',
      status: 200,
    });
  });
});
