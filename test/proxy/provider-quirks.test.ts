import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type MockUpstream, mockUpstream } from '../helpers/mock-upstream.js';
import { configWith, startTestProxy, type TestProxy } from '../helpers/proxy.js';

// A user's provider can say what its endpoint accepts (config `providers.<id>.quirks`, layered
// over the preset's): e.g. an Azure OpenAI deployment of a reasoning model behind `custom`
// wants max_completion_tokens, a vLLM server takes top_k. The converted request must follow.

let upstream: MockUpstream;
let proxy: TestProxy;

const COMPLETION = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1764000000,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
};

beforeAll(async () => {
  upstream = await mockUpstream((_req, res) => json(res, 200, COMPLETION));
  const profile = (providerId: string) => ({
    providerId,
    apiKey: 'sk-up-123456',
    baseURL: `${upstream.url}/v1`,
    model: 'm',
  });
  proxy = await startTestProxy(
    configWith(
      { tuned: profile('azure-reasoning') },
      {
        providers: {
          'azure-reasoning': {
            id: 'azure-reasoning',
            baseURL: `${upstream.url}/v1`,
            apiFormat: 'openai_chat',
            quirks: { maxTokensField: 'max_completion_tokens', topK: true, reasoning: 'openai' },
          },
        },
      },
    ),
    { kind: 'profile', profile: 'tuned' },
  );
});
afterAll(async () => {
  await proxy.close();
  await upstream.close();
});

const REQUEST = {
  model: 'claude-sonnet-4-5',
  max_tokens: 1000,
  top_k: 5,
  thinking: { type: 'enabled', budget_tokens: 10000 },
  messages: [{ role: 'user', content: 'hi' }],
};

async function send(path: string) {
  const before = upstream.requests.length;
  const res = await fetch(`${proxy.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'client' },
    body: JSON.stringify(REQUEST),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  expect(((await res.json()) as { content: Array<{ text?: string }> }).content[0]?.text).toBe('ok');
  expect(upstream.requests.length).toBe(before + 1);
  return upstream.requests.at(-1)!.json as Record<string, unknown>;
}

describe('provider quirks from the config', () => {
  it('cases 34, 35, 31: a user provider with quirks gets max_completion_tokens, top_k and reasoning_effort', async () => {
    const sent = await send('/v1/messages');
    expect(sent.max_completion_tokens).toBe(1000);
    expect(sent).not.toHaveProperty('max_tokens');
    expect(sent.top_k).toBe(5);
    expect(sent.reasoning_effort).toBe('medium');
  });

  it('an override of a built-in preset keeps the preset quirks it does not change', async () => {
    await proxy.updateConfig((c) => {
      c.profiles!.tuned!.providerId = 'openai';
      c.providers = {
        openai: {
          id: 'openai',
          baseURL: `${upstream.url}/v1`,
          apiFormat: 'openai_chat',
          quirks: { maxTokensField: 'max_tokens' },
        },
      };
    });
    const sent = await send('/v1/messages');
    expect(sent.max_tokens).toBe(1000); // the user's value beats the preset's max_completion_tokens
    expect(sent).not.toHaveProperty('max_completion_tokens');
    expect(sent.reasoning_effort).toBe('medium'); // the preset's reasoning knob stays
    expect(sent).not.toHaveProperty('top_k'); // OpenAI takes none, and the override did not say otherwise
  });

  it('the same profile switched to the plain custom preset gets its defaults again', async () => {
    await proxy.updateConfig((c) => {
      c.profiles!.tuned!.providerId = 'custom';
    });
    const sent = await send('/v1/messages');
    expect(sent.max_tokens).toBe(1000);
    expect(sent).not.toHaveProperty('max_completion_tokens');
    expect(sent).not.toHaveProperty('top_k');
    expect(sent).not.toHaveProperty('reasoning_effort');
  });
});
