import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { json, type MockUpstream, mockUpstream } from '../helpers/mock-upstream.js';
import { configWith, startTestProxy, type TestProxy } from '../helpers/proxy.js';
import { fixture, replaySse } from '../helpers/replay.js';

// Claude Code asks for reasoning on every request (adaptive thinking, effort "high"), also of a
// custom model. A model without reasoning answers 400 to the parameter (OpenAI's gpt-4.1, an
// Ollama model without thinking). The proxy sends such a request again without it, and leaves it
// out of that model's later requests: the coder never sees the 400.

let upstream: MockUpstream;
let proxy: TestProxy;
afterEach(async () => {
  await proxy?.close();
  await upstream?.close();
});

/** The real Claude Code request for a custom model: adaptive thinking, effort high, streamed. */
const CLAUDE_CODE = JSON.parse(fixture('claude-code/claude-code-4-no-tools-custom-model.json')).body as Record<
  string,
  unknown
>;
const STREAM = fixture('chat-streams/openai-text.sse');

/** A Chat upstream whose model refuses the reasoning parameter with `message`, and answers without it. */
async function refusingUpstream(message: string, status = 400): Promise<MockUpstream> {
  return mockUpstream(async (req, res) => {
    if (req.json.reasoning_effort !== undefined || req.json.reasoning !== undefined)
      return json(res, status, { error: { message, type: 'invalid_request_error', param: 'reasoning_effort' } });
    if (req.json.stream) return replaySse(res, STREAM);
    json(res, 200, {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: req.json.model,
      choices: [{ index: 0, message: { role: 'assistant', content: 'plain answer' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
    });
  });
}

async function proxyFor(providerId: string, model: string): Promise<TestProxy> {
  return startTestProxy(
    configWith({ p: { providerId, apiKey: 'sk-up-123456', baseURL: `${upstream.url}/v1`, model } }),
    { kind: 'profile', profile: 'p' },
  );
}

const client = (p: TestProxy) => new Anthropic({ baseURL: p.url, apiKey: 'client', maxRetries: 0 });
const streamed = (p: TestProxy) =>
  client(p)
    .messages.stream(CLAUDE_CODE as unknown as Anthropic.MessageStreamParams)
    .finalMessage();

describe('a model that refuses the reasoning parameter', () => {
  it.each([
    ['openai', 'gpt-4.1', "Unsupported parameter: 'reasoning_effort' is not supported with this model.", 400],
    ['ollama', 'qwen3-coder', '"qwen3-coder" does not support thinking', 400],
    ['gemini', 'gemini-2.0-flash', 'Thinking is not supported for this model.', 422],
  ])(
    '%s %s: the request goes again without it, and later ones go without it at once',
    async (preset, model, message, status) => {
      upstream = await refusingUpstream(message, status);
      proxy = await proxyFor(preset, model);

      const first = await streamed(proxy);
      expect(first.content.some((b) => b.type === 'text' && b.text.length > 0)).toBe(true);
      expect(upstream.requests.map((r) => r.json.reasoning_effort)).toEqual(['high', undefined]);
      expect(upstream.requests[1]!.json).toMatchObject({ model, stream: true });

      await streamed(proxy);
      expect(upstream.requests).toHaveLength(3); // no second refusal
      expect(upstream.requests[2]!.json).not.toHaveProperty('reasoning_effort');

      const entries = await proxy.accessLog(2);
      expect(entries.map((e) => e.status)).toEqual([200, 200]);
      // the refused first request is in the line's attempts, before the one that answered
      expect(entries[0]!.attempts).toMatchObject([
        { profile: 'p', status, outcome: 'reasoning_refused', error: expect.stringContaining(message.slice(0, 20)) },
        { profile: 'p', status: 200, outcome: 'ok' },
      ]);
      expect(entries[1]!.attempts).toBeUndefined();
    },
  );

  it('a refused value is sent again without the parameter, and that value is left out of later requests', async () => {
    upstream = await refusingUpstream(
      "Unsupported value: 'reasoning_effort' does not support 'high' with this model. Supported values are: 'medium'.",
    );
    proxy = await proxyFor('openai', 'gpt-5-chat-latest');
    await streamed(proxy);
    await streamed(proxy);
    expect(upstream.requests.map((r) => r.json.reasoning_effort)).toEqual(['high', undefined, undefined]);
  });

  it('a config change forgets the refusals (the profile may point elsewhere now)', async () => {
    upstream = await refusingUpstream("Unsupported parameter: 'reasoning_effort' is not supported with this model.");
    proxy = await proxyFor('openai', 'gpt-4.1');
    await streamed(proxy);
    expect(upstream.requests).toHaveLength(2);
    await proxy.updateConfig((c) => {
      c.profiles!.p!.headers = { 'x-note': 'edited' };
    });
    await streamed(proxy);
    expect(upstream.requests.map((r) => r.json.reasoning_effort)).toEqual(['high', undefined, 'high', undefined]);
  });

  it('an error that is not about the parameter is answered as it is, without a second request', async () => {
    upstream = await refusingUpstream('ignored');
    upstream.setHandler((_req, res) =>
      json(res, 400, { error: { message: 'max_tokens is too large for this model', type: 'invalid_request_error' } }),
    );
    proxy = await proxyFor('openai', 'gpt-4.1');
    const err = await streamed(proxy).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect(upstream.requests).toHaveLength(1);
  });

  it('a refusal of the request sent without the parameter is the answer (no loop)', async () => {
    upstream = await mockUpstream((_req, res) =>
      json(res, 400, { error: { message: '"m" does not support thinking', type: 'invalid_request_error' } }),
    );
    proxy = await proxyFor('ollama', 'm');
    const err = await streamed(proxy).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect(upstream.requests.map((r) => r.json.reasoning_effort)).toEqual(['high', undefined]);
  });
});
