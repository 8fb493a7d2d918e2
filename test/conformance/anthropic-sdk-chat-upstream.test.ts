import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type MockUpstream, mockUpstream } from '../helpers/mock-upstream.js';
import { chatProfile, configWith, startTestProxy, type TestProxy } from '../helpers/proxy.js';
import { fixture, replaySse } from '../helpers/replay.js';

// The official Anthropic SDK is the oracle: Claude Code's path (Anthropic Messages client) through
// Swixter to an OpenAI Chat upstream that replays recorded provider streams.

let upstream: MockUpstream;
let proxy: TestProxy;
let client: Anthropic;

const CHAT_COMPLETION = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1764000000,
  model: 'gpt-mock',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'Let me check.',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'Read', arguments: '{"path":"a.txt"}' } }],
      },
      finish_reason: 'tool_calls',
    },
  ],
  usage: { prompt_tokens: 100, completion_tokens: 7, total_tokens: 107, prompt_tokens_details: { cached_tokens: 80 } },
};

beforeAll(async () => {
  upstream = await mockUpstream(async (req, res) => {
    const name = String(req.headers['x-fixture'] ?? '');
    const status = Number(req.headers['x-status'] ?? 200);
    if (status !== 200) {
      return json(
        res,
        status,
        { error: { message: `mock says ${status}`, type: 'mock_error', code: null } },
        {
          'x-request-id': `req-up-${status}`,
          ...(status === 429 ? { 'retry-after': '3', 'retry-after-ms': '3000' } : {}),
        },
      );
    }
    if (req.json?.stream) return replaySse(res, fixture(`chat-streams/${name || 'openai-text'}.sse`));
    json(res, 200, CHAT_COMPLETION);
  });
  proxy = await startTestProxy(configWith({ chat: chatProfile(upstream.url) }), { kind: 'profile', profile: 'chat' });
  client = new Anthropic({ baseURL: proxy.url, apiKey: 'sk-ant-client-dummy', maxRetries: 0 });
});
afterAll(async () => {
  await proxy.close();
  await upstream.close();
});

const withFixture = (name: string) => ({ headers: { 'x-fixture': name } });
const TOOLS: Anthropic.Tool[] = [
  {
    name: 'Read',
    description: 'read a file',
    input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
  {
    name: 'Bash',
    description: 'run a command',
    input_schema: { type: 'object', properties: { command: { type: 'string' } } },
  },
  { name: 'add', input_schema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } } },
  { name: 'multiply', input_schema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } } },
  { name: 'get_weather', input_schema: { type: 'object', properties: { location: { type: 'string' } } } },
];
const base = {
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'hello' }],
  tools: TOOLS,
};

describe('Anthropic SDK → Swixter → OpenAI Chat upstream', () => {
  it('messages.create (non-streaming): text + tool_use, usage with cache, the model the client asked for', async () => {
    const msg = await client.messages.create(base);
    expect(msg.model).toBe('claude-sonnet-4-5');
    expect(msg.content).toEqual([
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'call_1', name: 'Read', input: { path: 'a.txt' } },
    ]);
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.usage).toMatchObject({ input_tokens: 20, cache_read_input_tokens: 80, output_tokens: 7 });
    const sent = upstream.requests.at(-1)!;
    expect(sent.url).toBe('/v1/chat/completions');
    expect(sent.json.model).toBe('gpt-mock');
    expect(sent.headers.authorization).toBe('Bearer sk-upstream-key-123456');
  });

  it('stream().finalMessage(): plain text with cached usage (OpenAI)', async () => {
    const msg = await client.messages.stream(base, withFixture('openai-text')).finalMessage();
    expect(msg.content.map((b) => b.type)).toEqual(['text']);
    expect((msg.content[0] as Anthropic.TextBlock).text.length).toBeGreaterThan(0);
    expect(msg.usage).toMatchObject({ input_tokens: 176, cache_read_input_tokens: 1024, output_tokens: 9 });
    expect(msg.stop_reason).toBe('end_turn');
    expect(upstream.requests.at(-1)!.json).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('stream().finalMessage(): several parallel tool calls, arguments rebuilt from fragments', async () => {
    const msg = await client.messages.stream(base, withFixture('openai-parallel-tools')).finalMessage();
    const tools = msg.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    expect(tools.map((t) => t.name)).toEqual(['add', 'multiply']);
    for (const t of tools) expect(Object.keys(t.input as object).length).toBeGreaterThan(0);
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.usage.output_tokens).toBe(50);
  });

  it('stream().finalMessage(): Groq one-chunk tool call with repeated usage', async () => {
    const msg = await client.messages.stream(base, withFixture('groq-one-chunk-tool')).finalMessage();
    const tool = msg.content.find((b) => b.type === 'tool_use') as Anthropic.ToolUseBlock;
    expect(tool.name).toBe('Read');
    expect(Object.keys(tool.input as object).length).toBeGreaterThan(0);
    expect(msg.usage).toMatchObject({ input_tokens: 812, output_tokens: 27 });
  });

  it('stream().finalMessage(): DeepSeek reasoning_content → thinking, then text, then tool use', async () => {
    const msg = await client.messages.stream(base, withFixture('deepseek-reasoning')).finalMessage();
    expect(msg.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect((msg.content[0] as Anthropic.ThinkingBlock).thinking).toBe(
      "The user wants the file listed. I'll call Bash.",
    );
    // Not a real signature: a Swixter tag naming the profile (so a later failover can drop it).
    expect((msg.content[0] as Anthropic.ThinkingBlock).signature).toMatch(/^swx1\.[A-Za-z0-9_-]+\.[A-Za-z0-9]+$/);
    expect((msg.content[2] as Anthropic.ToolUseBlock).input).toEqual({ command: 'ls -la' });
    expect(msg.usage).toMatchObject({ input_tokens: 128, cache_read_input_tokens: 1920, output_tokens: 64 });
  });

  it.each(['openrouter-reasoning-details', 'ollama-reasoning', 'llamacpp-tool', 'kimi-ids', 'think-tags'])(
    'stream().finalMessage() accepts the %s recording',
    async (name) => {
      const msg = await client.messages.stream(base, withFixture(name)).finalMessage();
      expect(msg.content.length).toBeGreaterThan(0);
      for (const block of msg.content) {
        if (block.type === 'tool_use') {
          expect(block.id).toMatch(/^[a-zA-Z0-9_-]+$/);
          expect(typeof block.input).toBe('object');
        }
        if (block.type === 'text') expect(block.text.length).toBeGreaterThan(0);
      }
      if (msg.content.some((b) => b.type === 'tool_use')) expect(msg.stop_reason).toBe('tool_use');
      expect(msg.usage.output_tokens).toBeGreaterThan(0);
    },
  );

  it('the Ollama stream (finish "stop" after a tool call) still ends with stop_reason tool_use', async () => {
    const msg = await client.messages.stream(base, withFixture('ollama-reasoning')).finalMessage();
    expect(msg.content.some((b) => b.type === 'tool_use')).toBe(true);
    expect(msg.stop_reason).toBe('tool_use');
  });

  it('a mid-stream error chunk makes the SDK throw an APIError with the mapped type', async () => {
    await expect(client.messages.stream(base, withFixture('error-chunk')).finalMessage()).rejects.toThrow(
      Anthropic.APIError,
    );
  });

  it('a stream cut before completion makes the SDK throw, never a silent success', async () => {
    await expect(client.messages.stream(base, withFixture('cut-mid-stream')).finalMessage()).rejects.toThrow();
  });

  it('images in, as base64 and URL, reach the upstream as image_url parts', async () => {
    await client.messages.create({
      ...base,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
          ],
        },
      ],
    });
    const content = upstream.requests.at(-1)!.json.messages.at(-1).content;
    expect(content).toEqual([
      { type: 'text', text: 'what is this?' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
    ]);
  });

  it.each([
    [400, Anthropic.BadRequestError, 'invalid_request_error'],
    [401, Anthropic.AuthenticationError, 'authentication_error'],
    [403, Anthropic.PermissionDeniedError, 'permission_error'],
    [404, Anthropic.NotFoundError, 'not_found_error'],
    [429, Anthropic.RateLimitError, 'rate_limit_error'],
    [500, Anthropic.InternalServerError, 'api_error'],
    [529, Anthropic.InternalServerError, 'overloaded_error'],
  ])('upstream HTTP %i raises the SDK %o with error.type %s', async (status, errorClass, type) => {
    const err = await client.messages
      .create(base, { headers: { 'x-status': String(status) } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errorClass);
    expect((err as InstanceType<typeof Anthropic.APIError>).status).toBe(status);
    expect(((err as InstanceType<typeof Anthropic.APIError>).error as { error: { type: string } }).error.type).toBe(
      type,
    );
    const apiError = err as InstanceType<typeof Anthropic.APIError>;
    // the upstream's request id, under the header the Anthropic SDK reads
    expect(apiError.requestID).toBe(`req-up-${status}`);
    if (status === 429) {
      expect(apiError.headers?.get('retry-after')).toBe('3');
      expect(apiError.headers?.get('retry-after-ms')).toBe('3000');
    }
  });

  it('count_tokens is answered locally with an estimate covering system, messages and tools', async () => {
    const before = upstream.requests.length;
    const small = await client.messages.countTokens({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'hi' }],
    });
    const big = await client.messages.countTokens({
      model: 'claude-sonnet-4-5',
      system: 'You are a careful engineer. '.repeat(50),
      messages: [{ role: 'user', content: 'hi' }],
      tools: TOOLS,
    });
    expect(small.input_tokens).toBeGreaterThan(0);
    expect(big.input_tokens).toBeGreaterThan(small.input_tokens + 300);
    expect(upstream.requests.length).toBe(before);
  });

  it('models.list answers with the profile models in the Anthropic shape', async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toEqual(['gpt-mock']);
    expect(page.data[0]).toMatchObject({ type: 'model', display_name: 'gpt-mock' });
  });

  it('the access log records usage, both model names and the conversion', async () => {
    const before = (await proxy.accessLog(0)).length;
    await client.messages.stream(base, withFixture('deepseek-reasoning')).finalMessage();
    // the client has its whole answer before the proxy has read the upstream's last bytes and logged
    const entries = await proxy.accessLog(before + 1);
    const last = entries.at(-1);
    expect(last).toMatchObject({
      model: 'claude-sonnet-4-5',
      upstream_model: 'gpt-mock',
      format: 'anthropic_messages->openai_chat',
      stream: true,
    });
    expect(last.usage).toEqual({
      input_tokens: 128,
      output_tokens: 64,
      cache_read_tokens: 1920,
      cache_write_tokens: 0,
    });
  });
});
