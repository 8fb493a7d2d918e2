import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import OpenAI, { type APIError, RateLimitError } from 'openai';
import type {
  FunctionTool,
  Response,
  ResponseCreateParamsNonStreaming,
  ResponseStreamEvent,
  Tool,
} from 'openai/resources/responses/responses';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { json, type MockUpstream, mockUpstream } from '../helpers/mock-upstream.js';
import { configWith, startTestProxy, type TestProxy } from '../helpers/proxy.js';
import { FIXTURES, fixture, replaySse } from '../helpers/replay.js';

// The official `openai` SDK's Responses API (what Codex speaks) is the oracle, through Swixter to
// an OpenAI Chat upstream and to an Anthropic Messages upstream (protocol-notes §3, §5.6). The two
// real Codex CLI request captures are replayed as raw fetches (real-clients.md §2).

const CHAT_KEY = 'sk-chat-upstream-key-123456';
const ANTHROPIC_KEY = 'sk-ant-upstream-key-654321';

let upstream: MockUpstream;
let chatProxy: TestProxy;
let claudeProxy: TestProxy;
let chatClient: OpenAI;
let claudeClient: OpenAI;

// ---- inline Chat SSE bodies -------------------------------------------------------------------

const CHUNK_BASE = { id: 'chatcmpl-inline1', object: 'chat.completion.chunk', created: 1764000000, model: 'gpt-mock' };
const chatChunk = (delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ ...CHUNK_BASE, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const chatUsage = (prompt: number, completion: number) =>
  `data: ${JSON.stringify({
    ...CHUNK_BASE,
    choices: [],
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  })}\n\n`;
const DONE = 'data: [DONE]\n\n';

const PATCH = '*** Begin Patch\n*** Add File: hello.txt\n+hello "world"\n*** End Patch\n';
const PATCH_ARGS = JSON.stringify({ input: PATCH });

/** One tool call whose arguments arrive in `pieces` fragments after the id/name chunk. */
function toolCallSse(id: string, name: string, args: string, pieces = 3): string {
  const size = Math.ceil(args.length / pieces);
  let sse =
    chatChunk({ role: 'assistant', content: null }) +
    chatChunk({ tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: '' } }] });
  for (let at = 0; at < args.length; at += size) {
    sse += chatChunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(at, at + size) } }] });
  }
  return sse + chatChunk({}, 'tool_calls') + chatUsage(300, 40) + DONE;
}

const INLINE_CHAT: Record<string, string> = {
  'custom-tool': toolCallSse('call_patch_1', 'apply_patch', PATCH_ARGS, 4),
  'namespace-tool': toolCallSse(
    'call_spawn_1',
    'multi_agent_v1__spawn_agent',
    '{"message":"check the logs","agent_type":"explorer"}',
  ),
  'exec-command': toolCallSse('call_exec_7', 'exec_command', '{"cmd":"echo hi"}', 2),
  'cut-by-length':
    chatChunk({ role: 'assistant', content: '' }) +
    chatChunk({ content: 'The files are: a.txt, b' }) +
    chatChunk({}, 'length') +
    chatUsage(50, 16) +
    DONE,
  'said-hi':
    chatChunk({ role: 'assistant', content: '' }) +
    chatChunk({ content: 'The command printed ' }) +
    chatChunk({ content: '"hi".' }) +
    chatChunk({}, 'stop') +
    chatUsage(9000, 8) +
    DONE,
};

// ---- inline Anthropic SSE: a custom tool answered through an Anthropic upstream -----------------

const anthropicEvent = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const ANTHROPIC_PATCH_SSE =
  anthropicEvent('message_start', {
    message: {
      id: 'msg_01PatchAbc',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 70, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 },
    },
  }) +
  anthropicEvent('content_block_start', {
    index: 0,
    content_block: { type: 'tool_use', id: 'toolu_01PatchXyz', name: 'apply_patch', input: {} },
  }) +
  anthropicEvent('content_block_delta', {
    index: 0,
    delta: { type: 'input_json_delta', partial_json: PATCH_ARGS.slice(0, 20) },
  }) +
  anthropicEvent('content_block_delta', {
    index: 0,
    delta: { type: 'input_json_delta', partial_json: PATCH_ARGS.slice(20) },
  }) +
  anthropicEvent('content_block_stop', { index: 0 }) +
  anthropicEvent('message_delta', {
    delta: { stop_reason: 'tool_use', stop_sequence: null },
    usage: { output_tokens: 33 },
  }) +
  anthropicEvent('message_stop', {});

// ---- non-streaming bodies ---------------------------------------------------------------------

const CHAT_COMPLETION = {
  id: 'chatcmpl-nonstream1',
  object: 'chat.completion',
  created: 1764000000,
  model: 'gpt-mock',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'Let me look.',
        tool_calls: [
          { id: 'call_read_1', type: 'function', function: { name: 'Read', arguments: '{"path":"a.txt"}' } },
        ],
      },
      finish_reason: 'tool_calls',
    },
  ],
  usage: { prompt_tokens: 100, completion_tokens: 7, total_tokens: 107, prompt_tokens_details: { cached_tokens: 80 } },
};

const ANTHROPIC_MESSAGE = {
  id: 'msg_01NonStream',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5',
  content: [
    { type: 'thinking', thinking: 'I need the file.', signature: 'sig-abc' },
    { type: 'text', text: 'Let me look.' },
    { type: 'tool_use', id: 'toolu_01Read', name: 'Read', input: { path: 'a.txt' } },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: { input_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 80, output_tokens: 7 },
};

async function writeText(res: ServerResponse, body: string): Promise<void> {
  await replaySse(res, body, 11);
}

beforeAll(async () => {
  upstream = await mockUpstream(async (req, res) => {
    const name = String(req.headers['x-fixture'] ?? '');
    const status = Number(req.headers['x-status'] ?? 200);
    const anthropic = req.url.startsWith('/v1/messages');
    if (status !== 200) {
      const body = anthropic
        ? { type: 'error', error: { type: 'rate_limit_error', message: `mock says ${status}` } }
        : {
            error: {
              message: `mock says ${status}`,
              type: req.headers['x-error-code'] ?? 'rate_limit_exceeded',
              param: null,
              code: req.headers['x-error-code'] ?? null,
            },
          };
      return json(res, status, body, status === 429 ? { 'retry-after': '5' } : {});
    }
    if (anthropic) {
      if (!req.json?.stream) return json(res, 200, ANTHROPIC_MESSAGE);
      if (name === 'patch') return writeText(res, ANTHROPIC_PATCH_SSE);
      return replaySse(res, fixture(`anthropic-streams/${name || 'text'}.sse`));
    }
    // Some OpenAI-compatible servers ignore `stream: true` and answer one JSON completion.
    if (!req.json?.stream || name === 'json-for-stream') return json(res, 200, CHAT_COMPLETION);
    const inline = INLINE_CHAT[name];
    if (inline !== undefined) return writeText(res, inline);
    return replaySse(res, fixture(`chat-streams/${name || 'openai-text'}.sse`));
  });
  chatProxy = await startTestProxy(
    configWith({
      chat: {
        providerId: 'custom',
        apiKey: CHAT_KEY,
        baseURL: `${upstream.url}/v1`,
        apiFormat: 'openai_chat',
        model: 'gpt-mock',
      },
    }),
    { kind: 'profile', profile: 'chat' },
  );
  claudeProxy = await startTestProxy(
    configWith({
      claude: { providerId: 'anthropic', apiKey: ANTHROPIC_KEY, baseURL: upstream.url, model: 'claude-sonnet-4-5' },
    }),
    { kind: 'profile', profile: 'claude' },
  );
  chatClient = new OpenAI({ baseURL: `${chatProxy.url}/v1`, apiKey: 'dummy', maxRetries: 0 });
  claudeClient = new OpenAI({ baseURL: `${claudeProxy.url}/v1`, apiKey: 'dummy', maxRetries: 0 });
});
afterAll(async () => {
  await chatProxy.close();
  await claudeProxy.close();
  await upstream.close();
});
// Several tests make the upstream fail on purpose; each starts with closed circuit breakers so
// one test's failures (or a 429's Retry-After hold) never turn the next test's answer into a 503.
afterEach(() => {
  chatProxy.proxy.runtime.breakers.reset();
  claudeProxy.proxy.runtime.breakers.reset();
});

const withFixture = (name: string) => ({ headers: { 'x-fixture': name } });

const FUNCTION_TOOLS: FunctionTool[] = [
  {
    type: 'function',
    name: 'Bash',
    description: 'run a command',
    parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
    strict: false,
  },
  {
    type: 'function',
    name: 'add',
    description: 'a + b',
    parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
    strict: false,
  },
  {
    type: 'function',
    name: 'multiply',
    description: 'a * b',
    parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
    strict: false,
  },
  {
    type: 'function',
    name: 'get_weather',
    description: 'weather',
    parameters: { type: 'object', properties: { location: { type: 'string' }, city: { type: 'string' } } },
    strict: false,
  },
];
const APPLY_PATCH: Tool = {
  type: 'custom',
  name: 'apply_patch',
  description: 'Edit files with a patch.',
  format: {
    type: 'grammar',
    syntax: 'lark',
    definition: 'start: begin_patch hunk+ end_patch\nbegin_patch: "*** Begin Patch"',
  },
};
const NAMESPACE: Tool = {
  type: 'namespace',
  name: 'multi_agent_v1',
  description: 'Tools for sub-agents.',
  tools: [
    {
      type: 'function',
      name: 'spawn_agent',
      description: 'Spawn a sub-agent',
      parameters: {
        type: 'object',
        properties: { message: { type: 'string' }, agent_type: { type: 'string' } },
        required: ['message'],
      },
    },
  ],
};

/** Request parameters valid for both `responses.create` and `responses.stream`. */
type Params = Omit<ResponseCreateParamsNonStreaming, 'stream'>;

const base: Params = {
  model: 'gpt-5-codex',
  instructions: 'You are a coding agent.',
  input: 'List the files.',
  tools: FUNCTION_TOOLS,
};

/** `responses.stream(...).finalResponse()` plus every event the SDK saw. */
async function streamed(c: OpenAI, fixtureName: string, extra: Partial<Params> = {}) {
  const events: ResponseStreamEvent[] = [];
  const stream = c.responses.stream({ ...base, ...extra }, withFixture(fixtureName));
  stream.on('event', (event) => events.push(event));
  const response = await stream.finalResponse();
  return { response, events };
}

/** Grammar every stream must satisfy (§3): created first, sequence numbers 0..n-1, one terminal event last. */
function expectWellFormed(events: ResponseStreamEvent[], terminal: string): void {
  expect(events[0]?.type).toBe('response.created');
  expect(events[1]?.type).toBe('response.in_progress');
  expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  expect(events.at(-1)?.type).toBe(terminal);
  const terminals = events.filter((e) =>
    ['response.completed', 'response.failed', 'response.incomplete'].includes(e.type),
  );
  expect(terminals).toHaveLength(1);
}

/** The items of `response.output_item.done` events, in output order: what Codex acts on. */
const doneItems = (events: ResponseStreamEvent[]) =>
  events.flatMap((e) => (e.type === 'response.output_item.done' ? [{ index: e.output_index, item: e.item }] : []));

const itemsOfType = <T extends Response['output'][number]['type']>(response: Response, type: T) =>
  response.output.filter((item): item is Extract<Response['output'][number], { type: T }> => item.type === type);

describe('OpenAI SDK (Responses) → Swixter → OpenAI Chat upstream', () => {
  it('case 114: text → output_text exact, one completed message item, usage integers (case 119)', async () => {
    const { response, events } = await streamed(chatClient, 'openai-text');
    expectWellFormed(events, 'response.completed');
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Hello wörld 🌍 — 你好!');
    expect(response.model).toBe('gpt-5-codex');
    expect(response.output).toHaveLength(1);
    expect(response.output[0]).toMatchObject({
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: 'Hello wörld 🌍 — 你好!', annotations: [] }],
    });
    expect(response.usage).toEqual({
      input_tokens: 1200,
      input_tokens_details: { cached_tokens: 1024 },
      output_tokens: 9,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 1209,
    });
    const deltas = events.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : []));
    expect(deltas.join('')).toBe('Hello wörld 🌍 — 你好!');
  });

  it('case 104/110/112: the upstream gets a Chat request (system from instructions, nested tools, stream_options)', async () => {
    await streamed(chatClient, 'openai-text', { max_output_tokens: 256, store: false, include: [] });
    const sent = upstream.requests.at(-1)!;
    expect(sent.url).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${CHAT_KEY}`);
    expect(sent.json).toMatchObject({
      model: 'gpt-mock',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 256,
      messages: [
        { role: 'system', content: 'You are a coding agent.' },
        { role: 'user', content: 'List the files.' },
      ],
    });
    expect(sent.json.messages).toHaveLength(2);
    expect(sent.json.tools[0]).toEqual({
      type: 'function',
      function: {
        name: 'Bash',
        description: 'run a command',
        parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
        strict: false,
      },
    });
    for (const key of ['input', 'instructions', 'store', 'include', 'max_output_tokens']) {
      expect(sent.json).not.toHaveProperty(key);
    }
  });

  it('case 115/116: one function call → function_call item with call_id, name, full arguments', async () => {
    const { response, events } = await streamed(chatClient, 'deepseek-reasoning');
    expectWellFormed(events, 'response.completed');
    const calls = itemsOfType(response, 'function_call');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      type: 'function_call',
      call_id: 'call_00_Rb3kLm9Qx2Vt7Wz',
      name: 'Bash',
      arguments: '{"command": "ls -la"}',
      status: 'completed',
    });
    expect(calls[0]!.id).toMatch(/^fc_/);
    const added = events.find((e) => e.type === 'response.output_item.added' && e.item.type === 'function_call');
    expect(added).toMatchObject({ item: { arguments: '', status: 'in_progress', call_id: 'call_00_Rb3kLm9Qx2Vt7Wz' } });
    const argsDone = events.find((e) => e.type === 'response.function_call_arguments.done');
    expect(argsDone).toMatchObject({ arguments: '{"command": "ls -la"}' });
  });

  it('case 117: reasoning_content → a reasoning item (summary), never output_text; then message, then call', async () => {
    const { response } = await streamed(chatClient, 'deepseek-reasoning');
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call']);
    const [reasoning] = itemsOfType(response, 'reasoning');
    expect(reasoning!.summary).toEqual([
      { type: 'summary_text', text: "The user wants the file listed. I'll call Bash." },
    ]);
    expect(response.output_text).toBe("I'll list the files.");
    expect(response.usage).toMatchObject({
      input_tokens: 2048,
      input_tokens_details: { cached_tokens: 1920 },
      output_tokens: 64,
      output_tokens_details: { reasoning_tokens: 21 },
      total_tokens: 2112,
    });
  });

  it('case 115: several function calls → one item each, in order, arguments rebuilt from fragments', async () => {
    const { response, events } = await streamed(chatClient, 'openai-parallel-tools');
    expectWellFormed(events, 'response.completed');
    const calls = itemsOfType(response, 'function_call');
    expect(calls.map((c) => [c.call_id, c.name, JSON.parse(c.arguments)])).toEqual([
      ['call_Xa1bC2dE3fG4hI5jK6lM7nO8', 'add', { a: 2, b: 3 }],
      ['call_Pq9rS8tU7vW6xY5zA4bC3dE2', 'multiply', { a: 4, b: 5 }],
    ]);
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
    expect(doneItems(events).map((d) => d.index)).toEqual([0, 1]);
    expect(response.usage).toMatchObject({ input_tokens: 106, output_tokens: 50, total_tokens: 156 });
  });

  it('case 116: odd upstream ids (Kimi "functions.add:0") are passed verbatim as call_id', async () => {
    const { response } = await streamed(chatClient, 'kimi-ids');
    expect(itemsOfType(response, 'function_call').map((c) => [c.call_id, c.name, c.arguments])).toEqual([
      ['functions.add:0', 'add', '{"a":2,"b":3}'],
      ['functions.multiply:1', 'multiply', '{"a":4,"b":5}'],
    ]);
  });

  it('case 109: custom tool apply_patch → custom_tool_call item whose input is the patch text', async () => {
    const { response, events } = await streamed(chatClient, 'custom-tool', { tools: [APPLY_PATCH] });
    expectWellFormed(events, 'response.completed');
    expect(response.output).toHaveLength(1);
    expect(response.output[0]).toMatchObject({
      type: 'custom_tool_call',
      call_id: 'call_patch_1',
      name: 'apply_patch',
      input: PATCH,
    });
    const done = doneItems(events);
    expect(done).toHaveLength(1);
    expect(done[0]!.item).toMatchObject({ type: 'custom_tool_call', input: PATCH, call_id: 'call_patch_1' });
    expect(events.some((e) => e.type === 'response.function_call_arguments.delta')).toBe(false);
    const inputDone = events.find((e) => e.type === 'response.custom_tool_call_input.done');
    expect(inputDone).toMatchObject({ input: PATCH });
    // Upstream: a function tool with one string parameter `input`, the grammar in its description.
    const tool = upstream.requests.at(-1)!.json.tools[0];
    expect(tool.type).toBe('function');
    expect(tool.function.name).toBe('apply_patch');
    expect(tool.function.parameters).toMatchObject({
      type: 'object',
      properties: { input: { type: 'string' } },
      required: ['input'],
    });
    expect(tool.function.description).toContain('begin_patch: "*** Begin Patch"');
  });

  it('case 109: custom_tool_call + custom_tool_call_output in history → Chat tool_calls + tool message', async () => {
    await chatClient.responses.create(
      {
        ...base,
        tools: [APPLY_PATCH],
        input: [
          { role: 'user', content: 'Add hello.txt' },
          { type: 'custom_tool_call', call_id: 'call_patch_1', name: 'apply_patch', input: PATCH },
          { type: 'custom_tool_call_output', call_id: 'call_patch_1', output: 'Done!' },
        ],
      },
      withFixture('said-hi'),
    );
    const messages = upstream.requests.at(-1)!.json.messages;
    expect(messages.slice(-2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_patch_1', type: 'function', function: { name: 'apply_patch', arguments: PATCH_ARGS } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_patch_1', content: 'Done!' },
    ]);
  });

  it('namespace tool round trip: flattened upstream, namespace restored on the call and on the way back', async () => {
    const { response } = await streamed(chatClient, 'namespace-tool', { tools: [...FUNCTION_TOOLS, NAMESPACE] });
    const [call] = itemsOfType(response, 'function_call');
    expect(call).toMatchObject({
      call_id: 'call_spawn_1',
      name: 'spawn_agent',
      namespace: 'multi_agent_v1',
      arguments: '{"message":"check the logs","agent_type":"explorer"}',
    });
    expect(
      upstream.requests
        .at(-1)!
        .json.tools.map((t: { function: { name: string } }) => t.function.name)
        .at(-1),
    ).toBe('multi_agent_v1__spawn_agent');

    // Codex sends the call back with its namespace, plus the output.
    await chatClient.responses.create(
      {
        ...base,
        tools: [...FUNCTION_TOOLS, NAMESPACE],
        input: [
          { role: 'user', content: 'Check the logs with a helper.' },
          {
            type: 'function_call',
            call_id: call!.call_id,
            name: call!.name,
            namespace: 'multi_agent_v1',
            arguments: call!.arguments,
          },
          { type: 'function_call_output', call_id: call!.call_id, output: 'agent-42 started' },
        ],
      },
      withFixture('said-hi'),
    );
    expect(upstream.requests.at(-1)!.json.messages.slice(-2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_spawn_1',
            type: 'function',
            function: {
              name: 'multi_agent_v1__spawn_agent',
              arguments: '{"message":"check the logs","agent_type":"explorer"}',
            },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_spawn_1', content: 'agent-42 started' },
    ]);
  });

  it('case 121: responses.create (non-streaming) → message + function_call items, usage', async () => {
    const response = await chatClient.responses.create(base);
    expect(response.object).toBe('response');
    expect(response.id).toMatch(/^resp_/);
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Let me look.');
    expect(response.output.map((item) => item.type)).toEqual(['message', 'function_call']);
    expect(itemsOfType(response, 'function_call')[0]).toMatchObject({
      call_id: 'call_read_1',
      name: 'Read',
      arguments: '{"path":"a.txt"}',
      status: 'completed',
    });
    expect(response.usage).toEqual({
      input_tokens: 100,
      input_tokens_details: { cached_tokens: 80 },
      output_tokens: 7,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 107,
    });
    expect(upstream.requests.at(-1)!.json.stream).toBeUndefined();
  });

  it('case 118: finish_reason length → response.incomplete with reason max_output_tokens', async () => {
    const { response, events } = await streamed(chatClient, 'cut-by-length', { max_output_tokens: 16 });
    expectWellFormed(events, 'response.incomplete');
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(response.output_text).toBe('The files are: a.txt, b');
    expect(response.usage).toMatchObject({ input_tokens: 50, output_tokens: 16, total_tokens: 66 });
  });

  it('case 81: a Chat upstream that answers JSON to a stream request → still a Responses stream for the client', async () => {
    const { response, events } = await streamed(chatClient, 'json-for-stream');
    expectWellFormed(events, 'response.completed');
    expect(upstream.requests.at(-1)!.json.stream).toBe(true);
    expect(response.output_text).toBe('Let me look.');
    expect(itemsOfType(response, 'function_call')[0]).toMatchObject({
      call_id: 'call_read_1',
      name: 'Read',
      arguments: '{"path":"a.txt"}',
    });
    expect(response.usage).toMatchObject({ input_tokens: 100, output_tokens: 7, total_tokens: 107 });
  });

  it('case 99/120: an upstream error chunk mid-stream → response.failed (finalResponse: status failed, not a success)', async () => {
    const { response, events } = await streamed(chatClient, 'error-chunk');
    expectWellFormed(events, 'response.failed');
    expect(response.status).toBe('failed');
    expect(response.error).toMatchObject({ code: 'rate_limit_exceeded' });
    expect(response.error?.message).toContain('Rate limit exceeded: free-models-per-min');
    // The half-written message never gets an output_item.done (Codex would act on it).
    expect(doneItems(events)).toEqual([]);
  });

  it('case 120: a cut stream (no finish_reason, no [DONE]) → response.failed, the half tool call never done', async () => {
    const { response, events } = await streamed(chatClient, 'cut-mid-stream');
    expectWellFormed(events, 'response.failed');
    expect(response.status).toBe('failed');
    expect(response.error?.code).toBeTruthy();
    expect(doneItems(events).some((d) => d.item.type === 'function_call')).toBe(false);
  });

  it('case 99: upstream 429 before the stream → RateLimitError (status and retry-after kept)', async () => {
    const events: ResponseStreamEvent[] = [];
    const stream = chatClient.responses.stream(base, { headers: { 'x-status': '429' } });
    stream.on('event', (e) => events.push(e));
    const err = await stream.finalResponse().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as APIError).status).toBe(429);
    expect((err as APIError).headers?.get('retry-after')).toBe('5');
    expect((err as APIError).message).toContain('mock says 429');
    expect(events).toEqual([]);
  });
  it.each([
    ['429', 'insufficient_quota'], // Codex reports "quota exceeded" instead of retrying
    ['404', 'model_not_found'], // Codex: the model is unavailable
  ])('upstream %s with code %s before the stream → the client gets the upstream code', async (status, code) => {
    const err = (await chatClient.responses
      .stream(base, { headers: { 'x-status': status, 'x-error-code': code } })
      .finalResponse()
      .catch((e: unknown) => e)) as APIError;
    expect(err.status).toBe(Number(status));
    expect(err.code).toBe(code);
    expect(err.message).toContain(`mock says ${status}`);
  });
});

describe('OpenAI SDK (Responses) → Swixter → Anthropic Messages upstream', () => {
  it('text → output_text exact; usage counts cache reads and writes as input', async () => {
    const { response, events } = await streamed(claudeClient, 'text');
    expectWellFormed(events, 'response.completed');
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Hello from café 東京 👋!');
    expect(response.output.map((item) => item.type)).toEqual(['message']);
    expect(response.usage).toEqual({
      input_tokens: 2173,
      input_tokens_details: { cached_tokens: 2048 },
      output_tokens: 12,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 2185,
    });
  });

  it('the upstream gets an Anthropic request: system from instructions, input_schema tools, max_tokens, x-api-key', async () => {
    await streamed(claudeClient, 'text', { tools: [FUNCTION_TOOLS[0]!, APPLY_PATCH] });
    const sent = upstream.requests.at(-1)!;
    expect(sent.url).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe(ANTHROPIC_KEY);
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.json).toMatchObject({
      model: 'claude-sonnet-4-5',
      stream: true,
      system: [{ type: 'text', text: 'You are a coding agent.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'List the files.' }] }],
    });
    expect(Number.isInteger(sent.json.max_tokens) && sent.json.max_tokens > 0).toBe(true);
    expect(sent.json.tools).toEqual([
      {
        name: 'Bash',
        description: 'run a command',
        input_schema: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
      },
      expect.objectContaining({
        name: 'apply_patch',
        input_schema: expect.objectContaining({ type: 'object', properties: { input: expect.any(Object) } }),
      }),
    ]);
    for (const key of ['input', 'instructions', 'stream_options', 'parallel_tool_calls']) {
      expect(sent.json).not.toHaveProperty(key);
    }
  });

  it('the upstream request carries an anthropic-version header (the Anthropic API requires it)', async () => {
    await streamed(claudeClient, 'text');
    expect(upstream.requests.at(-1)!.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('case 112 through the composition: reasoning.effort → Anthropic thinking (budget below max_tokens)', async () => {
    await streamed(claudeClient, 'text', { reasoning: { effort: 'high' } });
    const sent = upstream.requests.at(-1)!.json;
    expect(sent.thinking).toMatchObject({ type: 'enabled' });
    expect(sent.thinking?.budget_tokens).toBeGreaterThanOrEqual(1024);
    expect(sent.thinking?.budget_tokens).toBeLessThan(sent.max_tokens);
  });

  it("a tool loop keeps Claude's thinking: the signed thinking goes to Codex as encrypted_content and back to Anthropic", async () => {
    // turn 1: Claude thinks and calls a tool; Codex keeps the output items (store: false)
    const first = await streamed(claudeClient, 'thinking-tool-use', { reasoning: { effort: 'high' } });
    const [reasoning] = itemsOfType(first.response, 'reasoning');
    expect(reasoning!.encrypted_content).toMatch(/^swx1\./);
    const call = itemsOfType(first.response, 'function_call')[0]!;
    // turn 2: Codex sends the items back, with the tool's output, as its next request
    const followUp: Partial<Params> = {
      reasoning: { effort: 'high' },
      input: [
        { role: 'user', content: 'What is the weather in Paris?' },
        {
          type: 'reasoning',
          id: reasoning!.id,
          summary: reasoning!.summary,
          encrypted_content: reasoning!.encrypted_content,
        },
        { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: 'function_call_output', call_id: call.call_id, output: '18°C, sunny' },
      ] as Params['input'],
    };
    await streamed(claudeClient, 'text', followUp);
    const sent = upstream.requests.at(-1)!.json;
    expect(sent.thinking).toMatchObject({ type: 'enabled' }); // not dropped for an unsigned tool turn
    const assistant = sent.messages.find((m: { role: string }) => m.role === 'assistant');
    expect(assistant.content[0]).toEqual({
      type: 'thinking',
      thinking: 'The user wants the weather in Paris. I should call get_weather with the location.',
      signature: 'EqQBCkgIARABGAIiQL2dUzBk1v3Ew2nZTlW3+9OqX6Jv3mRz4Zp2bq1cH3xq',
    });
    expect(assistant.content[1]).toMatchObject({ type: 'tool_use', id: call.call_id, name: 'get_weather' });

    // the same items sent to another profile: its signature would be refused there, so it stays behind
    const other = await startTestProxy(
      configWith({
        elsewhere: {
          providerId: 'anthropic',
          apiKey: ANTHROPIC_KEY,
          baseURL: upstream.url,
          model: 'claude-sonnet-4-5',
        },
      }),
      { kind: 'profile', profile: 'elsewhere' },
    );
    try {
      const client = new OpenAI({ baseURL: `${other.url}/v1`, apiKey: 'dummy', maxRetries: 0 });
      await streamed(client, 'text', followUp);
      const elsewhere = upstream.requests.at(-1)!.json;
      expect(elsewhere.thinking).toBeUndefined();
      expect(JSON.stringify(elsewhere.messages)).not.toContain('"type":"thinking"');
    } finally {
      await other.close();
    }
  });

  it('thinking + tool use → reasoning item, then function_call with the toolu id as call_id', async () => {
    const { response, events } = await streamed(claudeClient, 'thinking-tool-use');
    expectWellFormed(events, 'response.completed');
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'function_call']);
    expect(itemsOfType(response, 'reasoning')[0]!.summary).toEqual([
      {
        type: 'summary_text',
        text: 'The user wants the weather in Paris. I should call get_weather with the location.',
      },
    ]);
    expect(itemsOfType(response, 'function_call')[0]).toMatchObject({
      call_id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
      name: 'get_weather',
      arguments: '{"location": "Paris, France", "unit": "celsius"}',
      status: 'completed',
    });
    expect(response.usage).toMatchObject({ input_tokens: 423, output_tokens: 119, total_tokens: 542 });
  });

  it('parallel tool use → message then two function_call items, ids kept', async () => {
    const { response } = await streamed(claudeClient, 'parallel-tools');
    expect(response.output_text).toBe("I'll check both cities.");
    expect(itemsOfType(response, 'function_call').map((c) => [c.call_id, c.name, c.arguments])).toEqual([
      ['toolu_01A09q90qw90lq917835lq9', 'get_weather', '{"city": "Paris"}'],
      ['toolu_01B7cRw2qv8bXsT4nYpE6mJd', 'get_weather', '{"city": "Tokyo"}'],
    ]);
  });

  it('custom tool apply_patch answered by tool_use → custom_tool_call with the patch as input', async () => {
    const { response, events } = await streamed(claudeClient, 'patch', { tools: [APPLY_PATCH] });
    expectWellFormed(events, 'response.completed');
    expect(response.output).toHaveLength(1);
    expect(response.output[0]).toMatchObject({
      type: 'custom_tool_call',
      call_id: 'toolu_01PatchXyz',
      name: 'apply_patch',
      input: PATCH,
    });
  });

  it('responses.create (non-streaming) → reasoning, message and function_call items', async () => {
    const response = await claudeClient.responses.create(base);
    expect(response.status).toBe('completed');
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call']);
    expect(response.output_text).toBe('Let me look.');
    expect(itemsOfType(response, 'function_call')[0]).toMatchObject({
      call_id: 'toolu_01Read',
      name: 'Read',
      arguments: '{"path":"a.txt"}',
    });
    expect(response.usage).toMatchObject({
      input_tokens: 100,
      input_tokens_details: { cached_tokens: 80 },
      output_tokens: 7,
      total_tokens: 107,
    });
  });

  it('case 99: Anthropic `event: error` mid-stream → response.failed, not a silent success', async () => {
    const { response, events } = await streamed(claudeClient, 'error-after-start');
    expectWellFormed(events, 'response.failed');
    expect(response.status).toBe('failed');
    expect(response.error?.message).toContain('Overloaded');
    expect(doneItems(events)).toEqual([]);
  });

  it('case 120: a cut Anthropic stream → response.failed', async () => {
    const { response, events } = await streamed(claudeClient, 'cut');
    expectWellFormed(events, 'response.failed');
    expect(response.status).toBe('failed');
    expect(response.error?.code).toBeTruthy();
  });

  it('upstream 429 before the stream → RateLimitError', async () => {
    const err = await claudeClient.responses
      .stream(base, { headers: { 'x-status': '429' } })
      .finalResponse()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as APIError).status).toBe(429);
    expect((err as APIError).headers?.get('retry-after')).toBe('5');
  });
});

// ---- real Codex CLI captures, sent as raw fetches ------------------------------------------------

interface SseMessage {
  event: string | undefined;
  data: Record<string, any>;
}

function parseSse(text: string): SseMessage[] {
  return text
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim().length > 0)
    .map((block) => {
      let event: string | undefined;
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      return { event, data: JSON.parse(data.join('\n')) };
    });
}

function capture(name: string): { headers: Record<string, string>; body: Record<string, any> } {
  const record = JSON.parse(readFileSync(join(FIXTURES, 'codex', name), 'utf8'));
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(record.headers as Record<string, string>)) {
    if (key !== 'host' && key !== 'content-length') headers[key] = value;
  }
  return { headers, body: record.body };
}

async function codexPost(name: string, fixtureName: string, through: TestProxy = chatProxy) {
  const { headers, body } = capture(name);
  const res = await fetch(`${through.url}/v1/responses`, {
    method: 'POST',
    headers: { ...headers, 'x-fixture': fixtureName },
    body: JSON.stringify(body),
  });
  return { res, messages: parseSse(await res.text()), body };
}

/** What Codex needs (real-clients.md §2): named events, numbered, output_item.done items, completed with id + usage. */
function expectCodexStream(messages: SseMessage[]) {
  for (const m of messages) expect(m.event).toBe(m.data.type);
  expect(messages.map((m) => m.data.sequence_number)).toEqual(messages.map((_, i) => i));
  expect(messages[0]!.data.type).toBe('response.created');
  const last = messages.at(-1)!.data;
  expect(last.type).toBe('response.completed');
  expect(last.response.id).toMatch(/^resp_/);
  expect(last.response.status).toBe('completed');
  for (const key of ['input_tokens', 'output_tokens', 'total_tokens'] as const) {
    expect(Number.isInteger(last.response.usage[key])).toBe(true);
  }
  const done = messages.filter((m) => m.data.type === 'response.output_item.done').map((m) => m.data.item);
  expect(done.length).toBeGreaterThan(0);
  expect(last.response.output).toEqual(done);
  return { done, completed: last.response };
}

describe('real Codex CLI 0.169 requests → Swixter → Chat upstream (raw fetch)', () => {
  it('codex-1 first request: valid Chat request upstream; exec_command call streamed back as output_item.done', async () => {
    const { res, messages, body } = await codexPost('codex-1-first-request.json', 'exec-command');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const { done, completed } = expectCodexStream(messages);
    expect(done).toEqual([
      expect.objectContaining({
        type: 'function_call',
        call_id: 'call_exec_7',
        name: 'exec_command',
        arguments: '{"cmd":"echo hi"}',
        status: 'completed',
      }),
    ]);
    expect(completed.model).toBe('mock-model');
    expect(completed.usage).toMatchObject({ input_tokens: 300, output_tokens: 40, total_tokens: 340 });

    const sent = upstream.requests.at(-1)!;
    expect(sent.url).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${CHAT_KEY}`);
    const chat = sent.json;
    expect(chat.model).toBe('gpt-mock');
    expect(chat.stream).toBe(true);
    expect(chat.stream_options).toEqual({ include_usage: true });
    expect(chat.tool_choice).toBe('auto');
    expect(chat.parallel_tool_calls).toBe(true);
    // two developer messages and two user messages: one system prompt, one user turn
    expect(chat.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
    expect(chat.messages.at(-1).content).toMatch(/^lorem ipsum .*\nPlease run echo hi in the shell$/s);
    const names: string[] = chat.tools.map((t: { type: string; function: { name: string } }) => {
      expect(t.type).toBe('function');
      expect(t.function.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
      return t.function.name;
    });
    expect(names).toContain('exec_command');
    expect(names).toContain('multi_agent_v1__spawn_agent');
    expect(names).not.toContain('web_search');
    // 8 top-level function tools + the namespace's inner tools; web_search dropped.
    const nsTools = body.tools.find((t: { type: string }) => t.type === 'namespace').tools.length;
    expect(names).toHaveLength(8 + nsTools - 1);
    for (const key of ['input', 'store', 'include', 'prompt_cache_key', 'client_metadata', 'reasoning']) {
      expect(chat).not.toHaveProperty(key);
    }
  });

  it('codex-2 follow-up: function_call + output become tool_calls + tool message; text answer completes', async () => {
    const { res, messages, body } = await codexPost('codex-2-function-call-output-followup.json', 'said-hi');
    expect(res.status).toBe(200);
    const { done, completed } = expectCodexStream(messages);
    expect(done).toEqual([
      expect.objectContaining({
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: 'The command printed "hi".', annotations: [] }],
      }),
    ]);
    expect(completed.usage).toMatchObject({ input_tokens: 9000, output_tokens: 8, total_tokens: 9008 });

    const chat = upstream.requests.at(-1)!.json;
    const output = body.input.at(-1).output as string;
    expect(chat.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(chat.messages.slice(-2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_mockmwv4fwi72',
            type: 'function',
            function: { name: 'exec_command', arguments: '{"cmd":"echo hi"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_mockmwv4fwi72', content: output },
    ]);
  });
});

describe('real Codex CLI 0.169 requests → Swixter → Anthropic upstream (raw fetch)', () => {
  const ANTHROPIC_FIELDS = new Set([
    'model',
    'max_tokens',
    'system',
    'messages',
    'tools',
    'tool_choice',
    'thinking',
    'temperature',
    'top_p',
    'top_k',
    'stop_sequences',
    'metadata',
    'stream',
  ]);

  it('codex-2 follow-up: a valid Anthropic request (tool_use + tool_result pair, schemas, no Responses fields)', async () => {
    const { res, messages, body } = await codexPost(
      'codex-2-function-call-output-followup.json',
      'thinking-tool-use',
      claudeProxy,
    );
    expect(res.status).toBe(200);
    const { done } = expectCodexStream(messages);
    expect(done.map((item) => item.type)).toEqual(['reasoning', 'function_call']);

    const sent = upstream.requests.at(-1)!;
    expect(sent.url).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe(ANTHROPIC_KEY);
    const req = sent.json;
    for (const key of Object.keys(req)) expect(ANTHROPIC_FIELDS.has(key), `unexpected field ${key}`).toBe(true);
    expect(req.model).toBe('claude-sonnet-4-5');
    expect(req.stream).toBe(true);
    expect(Number.isInteger(req.max_tokens) && req.max_tokens > 0).toBe(true);
    // The two developer messages become the system prompt; no system/developer role is left in messages.
    expect(req.system).toHaveLength(1);
    expect(req.system[0].text).toMatch(/^lorem ipsum .*\n\nlorem ipsum /s);
    expect(req.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user']);
    const [firstUser, assistant, results] = req.messages;
    expect(firstUser.content.at(-1)).toEqual({
      type: 'text',
      text: expect.stringMatching(/\nPlease run echo hi in the shell$/),
    });
    expect(assistant.content).toEqual([
      { type: 'tool_use', id: 'call_mockmwv4fwi72', name: 'exec_command', input: { cmd: 'echo hi' } },
    ]);
    // the end of the history is a cache breakpoint (Anthropic reads it back on the next turn), as is the system's
    expect(results.content).toEqual([
      {
        type: 'tool_result',
        tool_use_id: 'call_mockmwv4fwi72',
        content: body.input.at(-1).output,
        cache_control: { type: 'ephemeral' },
      },
    ]);
    expect(req.system.at(-1).cache_control).toEqual({ type: 'ephemeral' });
    for (const tool of req.tools) {
      expect(tool.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
      expect(tool.input_schema.type).toBe('object');
      expect(Object.keys(tool).every((k) => ['name', 'description', 'input_schema'].includes(k))).toBe(true);
    }
    expect(req.tools.map((t: { name: string }) => t.name)).not.toContain('web_search');
    expect(req.tool_choice).toEqual({ type: 'auto' });
  });
});
