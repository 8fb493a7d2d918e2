import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { startPair } from '../helpers/failover-group.js';
import { json, type MockUpstream, mockUpstream } from '../helpers/mock-upstream.js';
import { configWith, startTestProxy, type TestProxy } from '../helpers/proxy.js';

// Thinking signatures are bound to the provider that made them. After a failover, a history
// holding another profile's thinking blocks must not reach a profile as if they were its own.
// Each mock provider here signs with its own prefix and rejects foreign signatures with the 400
// Anthropic gives ("Invalid signature in thinking block"), as the real API does.

let proxy: TestProxy;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await proxy?.close();
  for (const close of closers.splice(0)) await close();
});

interface Provider extends MockUpstream {
  down: boolean;
}

function thinkingStream(sig: string, text: string): string {
  const e = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  return [
    e('message_start', {
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-x',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 5, output_tokens: 1 },
      },
    }),
    e('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
    e('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: `thoughts of ${sig}` } }),
    e('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: sig } }),
    e('content_block_stop', { index: 0 }),
    e('content_block_start', { index: 1, content_block: { type: 'text', text: '' } }),
    e('content_block_delta', { index: 1, delta: { type: 'text_delta', text } }),
    e('content_block_stop', { index: 1 }),
    e('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 9 } }),
    e('message_stop', {}),
  ].join('');
}

/** An Anthropic-format provider that signs with `prefix` and rejects thinking it did not sign. */
async function provider(prefix: string): Promise<Provider> {
  let n = 0;
  const p = (await mockUpstream((req, res) => {
    if (p.down) return json(res, 500, { type: 'error', error: { type: 'api_error', message: 'down' } });
    for (const m of req.json.messages ?? []) {
      if (m.role !== 'assistant' || !Array.isArray(m.content)) continue;
      for (const b of m.content) {
        if (b.type === 'thinking' && !String(b.signature).startsWith(prefix)) {
          return json(res, 400, {
            type: 'error',
            error: { type: 'invalid_request_error', message: 'Invalid signature in thinking block' },
          });
        }
      }
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(thinkingStream(`${prefix}${++n}`, `answer from ${prefix}`));
  })) as Provider;
  p.down = false;
  closers.push(() => p.close());
  return p;
}

const client = (p: TestProxy) => new Anthropic({ baseURL: p.url, apiKey: 'client', maxRetries: 0 });

/** A follow-up that replays the assistant turn (thinking included), as Claude Code does. */
function followUp(previous: Anthropic.Message): Anthropic.MessageCreateParams {
  return {
    model: 'claude-x',
    max_tokens: 2000,
    thinking: { type: 'enabled', budget_tokens: 1024 },
    messages: [
      { role: 'user', content: 'first' },
      { role: 'assistant', content: previous.content as Anthropic.ContentBlockParam[] },
      { role: 'user', content: 'second' },
    ],
  };
}

const thinkingSignatures = (body: any): string[] =>
  (body.messages as any[])
    .flatMap((m) => (Array.isArray(m.content) ? m.content : []))
    .filter((b: any) => b.type === 'thinking')
    .map((b: any) => b.signature);

describe('thinking-signature provenance across failover', () => {
  it('A → B: A’s signed thinking is not sent to B after A fails; B → A: B’s is not sent back to A', async () => {
    const a = await provider('sigA-');
    const b = await provider('sigB-');
    proxy = await startPair(a.url, b.url);
    const first = await client(proxy)
      .messages.stream({ model: 'claude-x', max_tokens: 2000, messages: [{ role: 'user', content: 'first' }] })
      .finalMessage();
    expect(first.content[0]).toMatchObject({ type: 'thinking', signature: 'sigA-1' });

    // A goes down: the follow-up fails over to B, which must not see A's signature.
    a.down = true;
    const second = await client(proxy).messages.stream(followUp(first)).finalMessage();
    expect(second.content.at(-1)).toMatchObject({ type: 'text', text: 'answer from sigB-' });
    const toB = b.requests.at(-1)!.json;
    expect(thinkingSignatures(toB)).toEqual([]);
    expect(toB.thinking).toBeUndefined(); // the last assistant turn lost its thinking: thinking off for this request
    expect(thinkingSignatures(a.requests.at(-1)!.json)).toEqual(['sigA-1']); // A itself was offered its own block

    // A is back: a history with B's thinking goes to A without it.
    a.down = false;
    const third = await client(proxy).messages.stream(followUp(second)).finalMessage();
    expect(third.content.at(-1)).toMatchObject({ type: 'text', text: 'answer from sigA-' });
    expect(thinkingSignatures(a.requests.at(-1)!.json)).toEqual([]);
    // … while a history with A's own thinking reaches A intact.
    await client(proxy).messages.stream(followUp(third)).finalMessage();
    expect(thinkingSignatures(a.requests.at(-1)!.json)).toEqual(['sigA-2']);
  });

  it('a provider that signs nothing (Kimi, GLM): its unsigned thinking never reaches Anthropic, and comes back to it', async () => {
    const claude = await provider('sigA-');
    const glm = await mockUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(thinkingStream('', 'answer from glm')); // its signature_delta carries ""
    });
    closers.push(() => glm.close());
    proxy = await startTestProxy(
      configWith(
        {
          claude: { providerId: 'anthropic', apiKey: 'k-aaaaaaaaaa', baseURL: claude.url },
          glm: { providerId: 'custom', apiFormat: 'anthropic_messages', apiKey: 'k-gggggggggg', baseURL: glm.url },
        },
        { groups: { g: { id: 'g', name: 'pair', profiles: ['claude', 'glm'] } } },
      ),
      { kind: 'group', group: 'pair' },
    );
    const first = await client(proxy)
      .messages.stream({ model: 'claude-x', max_tokens: 2000, messages: [{ role: 'user', content: 'first' }] })
      .finalMessage();
    // Claude is down: GLM answers, with thinking Claude Code keeps unsigned
    claude.down = true;
    const second = await client(proxy).messages.stream(followUp(first)).finalMessage();
    expect(second.content[0]).toMatchObject({ type: 'thinking', signature: '' });
    // GLM gets its own unsigned thinking back (Kimi and DeepSeek require it on tool turns)
    await client(proxy).messages.stream(followUp(second)).finalMessage();
    expect(thinkingSignatures(glm.requests.at(-1)!.json)).toEqual(['']);
    // Claude is back: the unsigned block would be a 400 there ("Invalid signature"): it stays behind
    claude.down = false;
    const fourth = await client(proxy).messages.stream(followUp(second)).finalMessage();
    expect(fourth.content.at(-1)).toMatchObject({ type: 'text', text: 'answer from sigA-' });
    expect(thinkingSignatures(claude.requests.at(-1)!.json)).toEqual([]);
  });

  it('two profiles of one Anthropic upstream (two keys, two models) are one signer: its thinking stays across them', async () => {
    const upstream = await provider('sigA-');
    proxy = await startTestProxy(
      configWith(
        {
          opus: { providerId: 'anthropic', apiKey: 'k-oooooooooo', baseURL: upstream.url, model: 'claude-opus-4-1' },
          sonnet: {
            providerId: 'anthropic',
            apiKey: 'k-ssssssssss',
            baseURL: upstream.url,
            model: 'claude-sonnet-4-5',
          },
        },
        { groups: { g: { id: 'g', name: 'pair', profiles: ['opus', 'sonnet'] } } },
      ),
      { kind: 'group', group: 'pair' },
    );
    proxy.proxy.runtime.breakers.get('opus').failure(Date.now(), 'held for the test', {
      failureThreshold: 1,
      cooldownMs: 60_000,
      failureRate: 1,
      minRequests: 100,
      windowSize: 10,
    });
    const first = await client(proxy)
      .messages.stream({ model: 'claude-x', max_tokens: 2000, messages: [{ role: 'user', content: 'first' }] })
      .finalMessage(); // answered through "sonnet" (opus skipped)
    proxy.proxy.runtime.breakers.reset('opus');
    await client(proxy).messages.stream(followUp(first)).finalMessage(); // through "opus" now
    const toOpus = upstream.requests.at(-1)!.json;
    expect(toOpus.model).toBe('claude-opus-4-1');
    expect(thinkingSignatures(toOpus)).toEqual(['sigA-1']); // kept, and thinking stays on
    expect(toOpus.thinking).toMatchObject({ type: 'enabled' });
  });

  it('redacted thinking in a non-streaming answer is remembered too: not sent to B after A fails', async () => {
    const answer = (from: string) => ({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-x',
      content: [
        { type: 'redacted_thinking', data: `${from}-redacted` },
        { type: 'text', text: `answer from ${from}` },
      ],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 5, output_tokens: 9 },
    });
    const a = (await mockUpstream((_req, res) =>
      a.down
        ? json(res, 500, { type: 'error', error: { type: 'api_error', message: 'down' } })
        : json(res, 200, answer('A')),
    )) as Provider;
    const b = await mockUpstream((_req, res) => json(res, 200, answer('B')));
    a.down = false;
    closers.push(
      () => a.close(),
      () => b.close(),
    );
    proxy = await startPair(a.url, b.url);
    const first = await client(proxy).messages.create({
      model: 'claude-x',
      max_tokens: 2000,
      messages: [{ role: 'user', content: 'first' }],
    });
    expect(first.content[0]).toMatchObject({ type: 'redacted_thinking', data: 'A-redacted' });
    a.down = true;
    const second = await client(proxy).messages.create({ ...followUp(first), stream: false });
    expect(second.content.at(-1)).toMatchObject({ type: 'text', text: 'answer from B' });
    const toB = JSON.stringify(b.requests.at(-1)!.json);
    expect(toB).not.toContain('A-redacted');
  });

  it('thinking a Chat-format profile produced (tagged by Swixter) never reaches an Anthropic-format profile', async () => {
    const chat = (await mockUpstream((_req, res) => {
      if (chat.down) return json(res, 503, { error: { message: 'down', type: 'server_error' } });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(
        [
          'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"ds","choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"deep thoughts"},"finish_reason":null}]}',
          'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"ds","choices":[{"index":0,"delta":{"content":"answer from chat"},"finish_reason":"stop"}]}',
          'data: [DONE]',
          '',
        ].join('\n\n'),
      );
    })) as Provider;
    chat.down = false;
    closers.push(() => chat.close());
    const a = await provider('sigA-');
    proxy = await startTestProxy(
      configWith(
        {
          ds: { providerId: 'deepseek', apiKey: 'k-dddddddddd', baseURL: chat.url },
          a: { providerId: 'anthropic', apiKey: 'k-aaaaaaaaaa', baseURL: a.url },
        },
        { groups: { g: { id: 'g', name: 'mixed', profiles: ['ds', 'a'] } } },
      ),
      { kind: 'group', group: 'mixed' },
    );
    const first = await client(proxy)
      .messages.stream({ model: 'claude-x', max_tokens: 2000, messages: [{ role: 'user', content: 'first' }] })
      .finalMessage();
    expect(first.content[0]).toMatchObject({ type: 'thinking', thinking: 'deep thoughts' });
    chat.down = true;
    const second = await client(proxy).messages.stream(followUp(first)).finalMessage();
    expect(second.content.at(-1)).toMatchObject({ type: 'text', text: 'answer from sigA-' });
    expect(thinkingSignatures(a.requests.at(-1)!.json)).toEqual([]);
  });
});
