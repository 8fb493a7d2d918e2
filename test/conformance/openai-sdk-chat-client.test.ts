import OpenAI, {
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { json, type MockUpstream, mockUpstream } from '../helpers/mock-upstream.js';
import { configWith, startTestProxy, type TestProxy } from '../helpers/proxy.js';
import { fixture, replaySse } from '../helpers/replay.js';

// The official `openai` SDK is the oracle: an OpenAI Chat Completions client through Swixter to an
// Anthropic Messages upstream that replays recorded Anthropic streams (protocol-notes §5.8, §2.3).

const UPSTREAM_KEY = 'sk-ant-upstream-key-123456';
const CLIENT_MODEL = 'gpt-4o';
const UPSTREAM_MODEL = 'claude-sonnet-4-5';

let upstream: MockUpstream;
let proxy: TestProxy;
let client: OpenAI;

/** The Anthropic error type the mock answers with for each status (Anthropic's own table, §1.7). */
const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** A non-streaming Anthropic Message: thinking, text and a tool call, with cache reads and writes. */
const MESSAGE = {
  id: 'msg_01NonStreamAbc',
  type: 'message',
  role: 'assistant',
  model: UPSTREAM_MODEL,
  content: [
    { type: 'thinking', thinking: 'The user wants a.txt read.', signature: 'EqQBCkgIARABGAIiQL2dUzBk' },
    { type: 'text', text: 'Let me check.' },
    { type: 'tool_use', id: 'toolu_01ReadA', name: 'Read', input: { path: 'a.txt' } },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: { input_tokens: 20, cache_creation_input_tokens: 30, cache_read_input_tokens: 80, output_tokens: 7 },
};

/** A plain text Message (stop_reason end_turn). */
const TEXT_MESSAGE = {
  id: 'msg_01TextOnly',
  type: 'message',
  role: 'assistant',
  model: UPSTREAM_MODEL,
  content: [{ type: 'text', text: 'Paris is 18°C and cloudy; Tokyo is 24°C and sunny.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 50, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 15 },
};

beforeAll(async () => {
  upstream = await mockUpstream(async (req, res) => {
    const name = String(req.headers['x-fixture'] ?? '');
    const status = Number(req.headers['x-status'] ?? 200);
    if (status !== 200) {
      return json(
        res,
        status,
        {
          type: 'error',
          error: { type: ANTHROPIC_ERROR_TYPES[status] ?? 'api_error', message: `mock says ${status}` },
          request_id: 'req_mock_1',
        },
        {
          'request-id': `req_up_${status}`,
          ...(status === 429 ? { 'retry-after': '7', 'retry-after-ms': '7000' } : {}),
        },
      );
    }
    if (req.json?.stream) return replaySse(res, fixture(`anthropic-streams/${name || 'text'}.sse`));
    json(res, 200, name === 'text' ? TEXT_MESSAGE : MESSAGE);
  });
  proxy = await startTestProxy(
    configWith({
      claude: {
        providerId: 'anthropic',
        apiKey: UPSTREAM_KEY,
        baseURL: upstream.url,
        apiFormat: 'anthropic_messages',
        model: UPSTREAM_MODEL,
        models: { defaultHaikuModel: 'claude-haiku-4-5' },
      },
    }),
    { kind: 'profile', profile: 'claude' },
  );
  client = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'dummy', maxRetries: 0 });
});
afterAll(async () => {
  await proxy.close();
  await upstream.close();
});
// Several tests make the upstream fail on purpose; each starts with a closed circuit breaker so
// one test's failures (or a 429's Retry-After hold) never turn the next test's answer into a 503.
afterEach(() => {
  proxy.proxy.runtime.breakers.reset();
});

const withFixture = (name: string) => ({ headers: { 'x-fixture': name } });
const TOOLS: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
  {
    type: 'function',
    function: {
      name: 'Read',
      description: 'read a file',
      parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
    },
  },
];
const base: ChatCompletionCreateParamsNonStreaming = {
  model: CLIENT_MODEL,
  messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
  tools: TOOLS,
};

type ReasoningDelta = { reasoning_content?: string | null };

/** `chat.completions.stream(...).finalChatCompletion()` plus every chunk the SDK saw. */
async function streamed(fixtureName: string, extra: Partial<ChatCompletionCreateParamsNonStreaming> = {}) {
  const chunks: ChatCompletionChunk[] = [];
  const stream = client.chat.completions.stream({ ...base, ...extra, stream: true }, withFixture(fixtureName));
  stream.on('chunk', (chunk) => chunks.push(chunk));
  const completion = await stream.finalChatCompletion();
  return { completion, chunks };
}

const reasoningOf = (chunks: ChatCompletionChunk[]) =>
  chunks.map((c) => (c.choices[0]?.delta as ReasoningDelta | undefined)?.reasoning_content ?? '').join('');

/** Iterates a raw `create({stream:true})`; returns the chunks received and the error it threw, if any. */
async function iterate(fixtureName: string, extra: Record<string, unknown> = {}) {
  const chunks: ChatCompletionChunk[] = [];
  let error: unknown;
  try {
    const stream = await client.chat.completions.create({ ...base, ...extra, stream: true }, withFixture(fixtureName));
    for await (const chunk of stream) chunks.push(chunk);
  } catch (err) {
    error = err;
  }
  return { chunks, error };
}

describe('OpenAI SDK (Chat Completions) → Swixter → Anthropic Messages upstream', () => {
  it('create (non-streaming): text + tool_calls + reasoning_content, finish tool_calls (cases 134, 138)', async () => {
    const completion = await client.chat.completions.create(base);
    expect(completion.object).toBe('chat.completion');
    expect(completion.id).toBe('chatcmpl-msg_01NonStreamAbc');
    expect(completion.model).toBe(CLIENT_MODEL);
    expect(completion.choices).toHaveLength(1);
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.role).toBe('assistant');
    expect(choice.message.content).toBe('Let me check.');
    expect(choice.message.tool_calls).toEqual([
      { id: 'toolu_01ReadA', type: 'function', function: { name: 'Read', arguments: '{"path":"a.txt"}' } },
    ]);
    expect((choice.message as ReasoningDelta).reasoning_content).toBe('The user wants a.txt read.');
    // The thinking signature is Anthropic's; it never leaks into the Chat answer.
    expect(JSON.stringify(completion)).not.toContain('EqQBCkgIARABGAIiQL2dUzBk');
  });

  it('case 139: usage — prompt_tokens = input + cache_creation + cache_read, cached_tokens = cache_read', async () => {
    const completion = await client.chat.completions.create(base);
    expect(completion.usage).toMatchObject({
      prompt_tokens: 130,
      completion_tokens: 7,
      total_tokens: 137,
      prompt_tokens_details: { cached_tokens: 80 },
    });
  });

  it('case 138: end_turn → finish_reason stop, content only, no tool_calls', async () => {
    const completion = await client.chat.completions.create(base, withFixture('text'));
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('stop');
    expect(choice.message.content).toBe('Paris is 18°C and cloudy; Tokyo is 24°C and sunny.');
    expect(choice.message.tool_calls ?? []).toEqual([]);
    expect(completion.usage).toMatchObject({ prompt_tokens: 50, completion_tokens: 15, total_tokens: 65 });
  });

  it('case 137: stream().finalChatCompletion() for plain text (UTF-8 split across TCP pieces)', async () => {
    const { completion, chunks } = await streamed('text');
    const choice = completion.choices[0]!;
    expect(choice.message.role).toBe('assistant');
    expect(choice.message.content).toBe('Hello from café 東京 👋!');
    expect(choice.finish_reason).toBe('stop');
    expect(choice.message.tool_calls).toBeUndefined();
    expect(completion.model).toBe(CLIENT_MODEL);
    expect(completion.id).toBe('chatcmpl-msg_01XFDUDYJgAACzvnptvVoYEL');
    // Every chunk shares id, created, model and object (§2.1).
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ id: completion.id, object: 'chat.completion.chunk', model: CLIENT_MODEL });
      expect(chunk.created).toBe(completion.created);
    }
    expect(Number.isInteger(completion.created)).toBe(true);
    expect(Math.abs(completion.created - Date.now() / 1000)).toBeLessThan(120);
    // Without stream_options.include_usage no chunk carries usage.
    expect(chunks.some((c) => c.usage !== undefined && c.usage !== null)).toBe(false);
    expect(upstream.requests.at(-1)!.json).toMatchObject({ stream: true, model: UPSTREAM_MODEL });
  });

  it('case 137: thinking + tool use → reasoning_content deltas then one tool call (id kept, arguments rebuilt)', async () => {
    const { completion, chunks } = await streamed('thinking-tool-use');
    expect(reasoningOf(chunks)).toBe(
      'The user wants the weather in Paris. I should call get_weather with the location.',
    );
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toEqual([
      {
        id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"location": "Paris, France", "unit": "celsius"}' },
      },
    ]);
    // The signature_delta is never forwarded to a Chat client.
    expect(JSON.stringify(chunks)).not.toContain('EqQBCkgIARABGAIiQL2dUzBk1v3Ew2nZTlW3');
    // Reasoning comes strictly before the tool call.
    const firstTool = chunks.findIndex((c) => c.choices[0]?.delta.tool_calls !== undefined);
    const lastReasoning = chunks.findLastIndex(
      (c) => (c.choices[0]?.delta as ReasoningDelta | undefined)?.reasoning_content,
    );
    expect(lastReasoning).toBeGreaterThanOrEqual(0);
    expect(firstTool).toBeGreaterThan(lastReasoning);
  });

  it('case 137: parallel tools — tool indexes count tool calls only, ids kept, arguments rebuilt', async () => {
    const { completion, chunks } = await streamed('parallel-tools');
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBe("I'll check both cities.");
    expect(choice.message.tool_calls).toEqual([
      {
        id: 'toolu_01A09q90qw90lq917835lq9',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city": "Paris"}' },
      },
      {
        id: 'toolu_01B7cRw2qv8bXsT4nYpE6mJd',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city": "Tokyo"}' },
      },
    ]);
    const indexes = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls?.map((t) => t.index) ?? []);
    expect([...new Set(indexes)]).toEqual([0, 1]);
    // Each tool call's first delta carries id + type + name; later ones only arguments.
    const starts = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls?.filter((t) => t.id !== undefined) ?? []);
    expect(starts.map((t) => [t.index, t.type, t.function?.name])).toEqual([
      [0, 'function', 'get_weather'],
      [1, 'function', 'get_weather'],
    ]);
  });

  it('a tool without parameters (the real API streams only an empty partial_json) → arguments "{}", which a strict tool parses', async () => {
    const tools: ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'list_open_files',
          parameters: { type: 'object', properties: {}, required: [], additionalProperties: false },
          strict: true,
        },
      },
    ];
    const { completion } = await streamed('tool-without-input', { tools });
    const [call] = completion.choices[0]!.message.tool_calls!;
    expect(call).toMatchObject({ id: 'toolu_01NoArgs4Lm2', function: { name: 'list_open_files', arguments: '{}' } });
    expect((call as { function: { parsed_arguments?: unknown } }).function.parsed_arguments).toEqual({});
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('case 137/139: stream_options.include_usage → one final usage chunk with choices [] before [DONE]', async () => {
    const { chunks, error } = await iterate('parallel-tools', { stream_options: { include_usage: true } });
    expect(error).toBeUndefined();
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({
      prompt_tokens: 1536,
      completion_tokens: 87,
      total_tokens: 1623,
      prompt_tokens_details: { cached_tokens: 1024 },
    });
    expect(chunks.slice(0, -1).every((c) => c.usage === undefined || c.usage === null)).toBe(true);
    // The finish chunk comes right before the usage chunk.
    expect(chunks.at(-2)!.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('case 139: include_usage through stream().finalChatCompletion() — cache writes and reads counted in prompt_tokens', async () => {
    const { completion } = await streamed('text', { stream_options: { include_usage: true } });
    expect(completion.usage).toMatchObject({
      prompt_tokens: 2173,
      completion_tokens: 12,
      total_tokens: 2185,
      prompt_tokens_details: { cached_tokens: 2048 },
    });
  });

  it('case 137: raw create({stream:true}) iteration — role chunk first, text deltas, finish stop', async () => {
    const { chunks, error } = await iterate('text');
    expect(error).toBeUndefined();
    expect(chunks[0]!.choices[0]).toMatchObject({ index: 0, delta: { role: 'assistant', content: '' } });
    expect(chunks[0]!.choices[0]!.finish_reason).toBeNull();
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Hello from café 東京 👋!');
    const finishes = chunks.flatMap((c) => (c.choices[0]?.finish_reason ? [c.choices[0].finish_reason] : []));
    expect(finishes).toEqual(['stop']);
    expect(chunks.at(-1)!.choices[0]?.finish_reason).toBe('stop');
    expect(new Set(chunks.map((c) => c.id))).toEqual(new Set(['chatcmpl-msg_01XFDUDYJgAACzvnptvVoYEL']));
  });

  it('case 140: upstream `event: error` after content → stream().finalChatCompletion() rejects with APIError', async () => {
    const err = await streamed('error-after-start').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).error).toMatchObject({ type: 'overloaded_error', message: 'Overloaded' });
  });

  it('case 140: upstream `event: error` after content → raw iteration yields the text, then throws APIError', async () => {
    const { chunks, error } = await iterate('error-after-start');
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toContain('Overloaded');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Let me think about that for a');
    expect(chunks.some((c) => c.choices[0]?.finish_reason)).toBe(false);
  });

  it('a cut upstream stream (no message_delta / message_stop) → the SDK throws APIError, never a silent success', async () => {
    const err = await streamed('cut').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    const { chunks, error } = await iterate('cut');
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).error).toMatchObject({ type: 'api_error' });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('The answer is forty');
    expect(chunks.some((c) => c.choices[0]?.finish_reason)).toBe(false);
  });

  it.each([
    [400, BadRequestError, 'invalid_request_error'],
    [401, AuthenticationError, 'authentication_error'],
    [403, PermissionDeniedError, 'permission_error'],
    [404, NotFoundError, 'not_found_error'],
    [429, RateLimitError, 'rate_limit_error'],
    [500, InternalServerError, 'api_error'],
    [529, InternalServerError, 'overloaded_error'],
  ])('case 98: upstream HTTP %i → the SDK %o, status kept, error.type %s', async (status, errorClass, type) => {
    const err = await client.chat.completions
      .create(base, { headers: { 'x-status': String(status) } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errorClass);
    const apiError = err as APIError;
    expect(apiError.status).toBe(status);
    expect(apiError.type).toBe(type);
    expect(apiError.error).toMatchObject({ type, param: null });
    expect(apiError.message).toContain(`mock says ${status}`);
    expect(apiError.message).not.toContain(UPSTREAM_KEY);
    // the upstream's request id, under the header the OpenAI SDK reads
    expect(apiError.requestID).toBe(`req_up_${status}`);
    if (status === 429) {
      expect(apiError.headers?.get('retry-after')).toBe('7');
      expect(apiError.headers?.get('retry-after-ms')).toBe('7000');
    }
  });

  it('case 80: upstream 429 to a stream request → RateLimitError before any chunk (no 200 + SSE)', async () => {
    const stream = client.chat.completions.stream({ ...base, stream: true }, { headers: { 'x-status': '429' } });
    const chunks: ChatCompletionChunk[] = [];
    stream.on('chunk', (c) => chunks.push(c));
    const err = await stream.finalChatCompletion().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as APIError).status).toBe(429);
    expect((err as APIError).headers?.get('retry-after')).toBe('7');
    expect(chunks).toEqual([]);
  });

  it('cases 132–136: the upstream receives a valid Anthropic request (system, tool_use, tool_result turn, params)', async () => {
    await client.chat.completions.create(
      {
        model: CLIENT_MODEL,
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'Weather in Paris and Tokyo?' },
          {
            role: 'assistant',
            content: 'Checking both.',
            tool_calls: [
              { id: 'call_paris', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
              { id: 'call_tokyo', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_paris', content: '18°C, cloudy' },
          { role: 'tool', tool_call_id: 'call_tokyo', content: '24°C, sunny' },
          { role: 'developer', content: 'Answer in one line.' },
          { role: 'user', content: 'Summarise.' },
        ],
        tools: [TOOLS[0]!],
        tool_choice: 'required',
        parallel_tool_calls: false,
        max_completion_tokens: 512,
        stop: 'END',
        temperature: 0.2,
        user: 'dev@example.com',
      },
      withFixture('text'),
    );
    const sent = upstream.requests.at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/v1/messages');
    expect(sent.json).toEqual({
      model: UPSTREAM_MODEL,
      max_tokens: 512,
      system: [
        { type: 'text', text: 'You are terse.' },
        { type: 'text', text: 'Answer in one line.' },
      ],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Tokyo?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking both.' },
            { type: 'tool_use', id: 'call_paris', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'call_tokyo', name: 'get_weather', input: { city: 'Tokyo' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_paris', content: '18°C, cloudy' },
            { type: 'tool_result', tool_use_id: 'call_tokyo', content: '24°C, sunny' },
            { type: 'text', text: 'Summarise.' },
          ],
        },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Current weather for a city',
          input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      ],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      temperature: 0.2,
      stop_sequences: ['END'],
      metadata: { user_id: 'dev_example_com' },
    });
  });

  it('case 136: max_tokens is always sent (Anthropic requires it), and streaming requests say stream:true', async () => {
    await client.chat.completions.create({ model: CLIENT_MODEL, messages: [{ role: 'user', content: 'hi' }] });
    const plain = upstream.requests.at(-1)!.json;
    expect(Number.isInteger(plain.max_tokens)).toBe(true);
    expect(plain.max_tokens).toBeGreaterThan(0);
    expect(plain.stream).toBeUndefined();
    expect(plain.system).toBeUndefined();
    expect(plain.tools).toBeUndefined();
    await streamed('text', { max_tokens: 300 });
    const streamedBody = upstream.requests.at(-1)!.json;
    expect(streamedBody.max_tokens).toBe(300);
    expect(streamedBody.stream).toBe(true);
    // OpenAI-only fields never reach Anthropic.
    expect(streamedBody.stream_options).toBeUndefined();
    expect(streamedBody.parallel_tool_calls).toBeUndefined();
  });

  it('case 135: image_url parts (data URL and http URL) → Anthropic image blocks in order', async () => {
    await client.chat.completions.create(
      {
        model: CLIENT_MODEL,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'what is this?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
              { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
            ],
          },
        ],
      },
      withFixture('text'),
    );
    expect(upstream.requests.at(-1)!.json.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
        ],
      },
    ]);
  });

  it('case 136: reasoning_effort → Anthropic thinking with 1024 ≤ budget < max_tokens; temperature dropped', async () => {
    await client.chat.completions.create(
      {
        model: CLIENT_MODEL,
        messages: [{ role: 'user', content: 'think hard' }],
        reasoning_effort: 'medium',
        temperature: 0.5,
      },
      withFixture('text'),
    );
    const sent = upstream.requests.at(-1)!.json;
    expect(sent.thinking).toMatchObject({ type: 'enabled' });
    expect(sent.thinking.budget_tokens).toBeGreaterThanOrEqual(1024);
    expect(sent.thinking.budget_tokens).toBeLessThan(sent.max_tokens);
    expect(sent).not.toHaveProperty('temperature');
    expect(sent).not.toHaveProperty('reasoning_effort');
  });

  it("upstream auth: x-api-key with the profile's key; the client's Bearer token is not forwarded", async () => {
    await client.chat.completions.create(base);
    const headers = upstream.requests.at(-1)!.headers;
    expect(headers['x-api-key']).toBe(UPSTREAM_KEY);
    expect(headers.authorization).toBeUndefined();
    expect(headers['content-type']).toBe('application/json');
  });

  it('the upstream request carries an anthropic-version header (the Anthropic API requires it)', async () => {
    await client.chat.completions.create(base);
    expect(upstream.requests.at(-1)!.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('case 134: unparsable tool-call arguments in history are sent as text (a 400 would refuse the rest of the session)', async () => {
    const before = upstream.requests.length;
    const completion = await client.chat.completions.create({
      model: CLIENT_MODEL,
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_bad', type: 'function', function: { name: 'get_weather', arguments: '{"city":' } }],
        },
        { role: 'tool', tool_call_id: 'call_bad', content: 'x' },
      ],
      tools: [TOOLS[0]!],
    });
    expect(completion.choices[0]!.message.role).toBe('assistant');
    expect(upstream.requests.length).toBe(before + 1);
    const sent = upstream.requests.at(-1)!.json as { messages: Array<{ role: string; content: unknown }> };
    expect(sent.messages[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'call_bad', name: 'get_weather', input: { _raw_arguments: '{"city":' } }],
    });
  });

  it('case 103: models.list() returns the profile models in the OpenAI list shape, answered locally', async () => {
    const before = upstream.requests.length;
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toEqual([UPSTREAM_MODEL, 'claude-haiku-4-5']);
    for (const model of page.data) {
      expect(model.object).toBe('model');
      expect(typeof model.owned_by).toBe('string');
      expect(Number.isInteger(model.created)).toBe(true);
    }
    const raw = await fetch(`${proxy.url}/v1/models`, { headers: { authorization: 'Bearer dummy' } });
    expect(raw.status).toBe(200);
    const body = (await raw.json()) as { object: string; data: unknown[] };
    expect(body.object).toBe('list');
    expect(body.data).toHaveLength(2);
    expect(upstream.requests.length).toBe(before);
  });

  it('the access log records the conversion, both model names and usage', async () => {
    const before = (await proxy.accessLog(0)).length;
    await streamed('thinking-tool-use');
    // the client has its whole answer before the proxy has read the upstream's last bytes and logged
    const entries = await proxy.accessLog(before + 1);
    expect(entries.at(-1)).toMatchObject({
      path: '/v1/chat/completions',
      status: 200,
      model: CLIENT_MODEL,
      upstream_model: UPSTREAM_MODEL,
      format: 'openai_chat->anthropic_messages',
      stream: true,
      usage: { input_tokens: 423, output_tokens: 119, cache_read_tokens: 0, cache_write_tokens: 0 },
    });
  });
});
