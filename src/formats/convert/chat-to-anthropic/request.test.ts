import { describe, expect, it } from 'vitest';
import { ConversionError, type ConvertOptions } from '../types.js';
import { wantsUsageChunk } from './context.js';
import { chatToAnthropic } from './index.js';
import { DEFAULT_MAX_TOKENS } from './map-params.js';
import { convertRequest } from './request.js';

const options: ConvertOptions = { upstreamModel: 'claude-sonnet-4-20250514', quirks: {}, now: 1_750_000_000 };

describe('convertRequest (Chat → Anthropic)', () => {
  it('case 132–136: a typical tool-using stream request, end to end', () => {
    const out = convertRequest(
      {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '18 C' },
        ],
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'Current weather',
              parameters: { type: 'object', properties: { city: { type: 'string' } } },
            },
          },
        ],
        tool_choice: 'auto',
        parallel_tool_calls: false,
        max_completion_tokens: 1000,
        temperature: 0.3,
        stop: 'END',
        user: 'user@example.com',
        stream: true,
        stream_options: { include_usage: true },
      },
      options,
    );
    expect(out.path).toBe('/v1/messages');
    expect(out.body).toEqual({
      model: 'claude-sonnet-4-20250514',
      max_tokens: 1000,
      system: [{ type: 'text', text: 'You are terse.' }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '18 C' }] },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Current weather',
          input_schema: { type: 'object', properties: { city: { type: 'string' } } },
        },
      ],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      temperature: 0.3,
      stop_sequences: ['END'],
      metadata: { user_id: 'user_example_com' },
      stream: true,
    });
    expect(out.context).toEqual({
      clientModel: 'gpt-4o',
      toolNames: {},
      stream: true,
      created: 1_750_000_000,
      extra: { chatIncludeUsage: true },
    });
    expect(wantsUsageChunk(out.context)).toBe(true);
    expect(out.warnings).toEqual([]);
  });

  it('a minimal non-stream request: default max_tokens, no optional fields, stream_options not forwarded', () => {
    const out = convertRequest(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream_options: { include_usage: true } },
      options,
    );
    expect(out.body).toEqual({
      model: 'claude-sonnet-4-20250514',
      max_tokens: DEFAULT_MAX_TOKENS,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    });
    expect(out.context.stream).toBe(false);
    expect(wantsUsageChunk(out.context)).toBe(false);
  });

  it('reasoning_effort → thinking, and temperature/top_p are dropped with it', () => {
    const out = convertRequest(
      {
        model: 'o3',
        messages: [{ role: 'user', content: 'prove it' }],
        reasoning_effort: 'medium',
        temperature: 0.2,
        top_p: 0.5,
      },
      options,
    );
    expect(out.body).toEqual({
      model: 'claude-sonnet-4-20250514',
      max_tokens: DEFAULT_MAX_TOKENS + 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'prove it' }] }],
      thinking: { type: 'enabled', budget_tokens: 4096 },
    });
    expect(out.warnings).toEqual(['temperature, top_p dropped: Anthropic does not accept them with thinking']);
  });

  it.each([
    ['claude-opus-4-7', 'xhigh', 'xhigh'],
    ['claude-sonnet-5', 'minimal', 'low'],
    ['anthropic/claude-opus-4.8', 'high', 'high'],
    ['claude-opus-4-6', 'xhigh', 'high'], // both modes: adaptive preferred; no xhigh before Opus 4.7
  ])(
    '%s: reasoning_effort %s → adaptive thinking with the text asked for, output_config.effort %s',
    (model, effort, expected) => {
      const out = convertRequest(
        {
          model: 'o3',
          messages: [{ role: 'user', content: 'prove it' }],
          reasoning_effort: effort,
          response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } },
        },
        { ...options, upstreamModel: model },
      );
      // a budget: 400 "thinking.type.enabled" is not supported for this model (Opus 4.7 and later)
      expect(out.body).toMatchObject({
        thinking: { type: 'adaptive', display: 'summarized' },
        output_config: { effort: expected, format: { type: 'json_schema', schema: { type: 'object' } } },
      });
      expect(JSON.stringify(out.body)).not.toContain('budget_tokens');
    },
  );

  it('Claude Opus 4.7 and later: temperature, top_p and top_k are dropped even without thinking (400 "deprecated for this model")', () => {
    const body = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], temperature: 0, top_k: 5 };
    const newer = convertRequest(body, { ...options, upstreamModel: 'claude-opus-4-7' });
    expect(newer.body).not.toHaveProperty('temperature');
    expect(newer.body).not.toHaveProperty('top_k');
    expect(newer.body).not.toHaveProperty('thinking');
    expect(newer.warnings).toContain(
      'temperature, top_k dropped: Anthropic does not accept them for this model (Claude Opus 4.7 and later)',
    );
    for (const model of ['claude-opus-4-6', 'claude-haiku-4-5', 'deepseek-chat'])
      expect(convertRequest(body, { ...options, upstreamModel: model }).body).toMatchObject({
        temperature: 0,
        top_k: 5,
      });
  });

  it('omitReasoning (the upstream refused thinking for this model): no thinking, and the budget is the plain one', () => {
    const out = convertRequest(
      { model: 'o3', messages: [{ role: 'user', content: 'prove it' }], reasoning_effort: 'medium', temperature: 0.2 },
      { ...options, omitReasoning: true },
    );
    expect(out.body).toEqual({
      model: 'claude-sonnet-4-20250514',
      max_tokens: DEFAULT_MAX_TOKENS,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'prove it' }] }],
      temperature: 0.2,
    });
  });

  it("reasoning_effort in a tool loop: no thinking (Anthropic wants the last tool-calling turn's own thinking back)", () => {
    const messages = [
      { role: 'user', content: 'list files' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'ls', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'a.txt' },
    ];
    const tools = [{ type: 'function', function: { name: 'ls', parameters: { type: 'object', properties: {} } } }];
    const inLoop = convertRequest({ model: 'o3', messages, tools, reasoning_effort: 'medium' }, options);
    expect(inLoop.body).not.toHaveProperty('thinking');
    expect(inLoop.warnings.join('\n')).toMatch(/last tool-calling turn/);
    // once the loop ended with an answer, a new question may think again
    const after = convertRequest(
      {
        model: 'o3',
        messages: [...messages, { role: 'assistant', content: 'One file.' }, { role: 'user', content: 'and now?' }],
        tools,
        reasoning_effort: 'medium',
      },
      options,
    );
    expect(after.body).toHaveProperty('thinking');
  });

  it('tool calls in a history without tools (a summary or title request) are sent as text', () => {
    const out = convertRequest(
      {
        model: 'gpt-x',
        messages: [
          { role: 'user', content: 'list files' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'ls', arguments: '{"dir":"."}' } }],
          },
          { role: 'tool', tool_call_id: 'call_1', content: 'a.txt' },
          { role: 'user', content: 'Summarise the conversation.' },
        ],
      },
      options,
    );
    const body = out.body as { messages: Array<{ role: string; content: Array<{ type: string; text?: string }> }> };
    const blocks = body.messages.flatMap((m) => m.content);
    expect(blocks.map((b) => b.type)).not.toContain('tool_use');
    expect(blocks.map((b) => b.type)).not.toContain('tool_result');
    expect(body.messages[1]!.content).toEqual([{ type: 'text', text: '[called tool ls (call_1) with {"dir":"."}]' }]);
    expect(body.messages[2]!.content[0]).toEqual({ type: 'text', text: '[result of tool call call_1]\na.txt' });
    expect(out.warnings).toContain('tool calls in the history were sent as text: the request defines no tools');
    expect(out.body).not.toHaveProperty('tools');
  });

  it('a forced tool choice wins over reasoning_effort (Anthropic rejects the pair)', () => {
    const out = convertRequest(
      {
        model: 'o3',
        messages: [{ role: 'user', content: 'x' }],
        tools: [{ type: 'function', function: { name: 'f' } }],
        tool_choice: 'required',
        reasoning_effort: 'high',
        temperature: 0.4,
      },
      options,
    );
    expect(out.body).toMatchObject({ tool_choice: { type: 'any' }, temperature: 0.4 });
    expect(out.body).not.toHaveProperty('thinking');
    expect(out.warnings).toEqual([
      'reasoning_effort was dropped: Anthropic does not allow thinking when tool_choice forces a tool',
    ]);
  });

  it('max_tokens is clamped to options.maxTokensCap', () => {
    const out = convertRequest(
      { model: 'm', messages: [{ role: 'user', content: 'x' }], max_tokens: 64000 },
      { ...options, maxTokensCap: 8192 },
    );
    expect(out.body).toMatchObject({ max_tokens: 8192 });
    expect(out.warnings).toEqual(['max_tokens 64000 was clamped to 8192']);
  });

  it('user is not forwarded when the provider says so', () => {
    const out = convertRequest(
      { model: 'm', messages: [{ role: 'user', content: 'x' }], user: 'u1' },
      { ...options, quirks: { forwardUser: false } },
    );
    expect(out.body).not.toHaveProperty('metadata');
  });

  it('OpenAI-only fields are never forwarded, and the behaviour-changing ones are named', () => {
    const out = convertRequest(
      {
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        response_format: { type: 'json_object' },
        logprobs: true,
        seed: 1,
        presence_penalty: 0.1,
        store: false,
        service_tier: 'auto',
      },
      options,
    );
    expect(Object.keys(out.body)).toEqual(['model', 'max_tokens', 'messages']);
    expect(out.warnings).toEqual([
      'logprobs is not supported by Anthropic upstreams and was not forwarded',
      'seed is not supported by Anthropic upstreams and was not forwarded',
      'presence_penalty is not supported by Anthropic upstreams and was not forwarded',
      'response_format "json_object" has no Anthropic equivalent and was not forwarded',
    ]);
  });

  it("a JSON-schema response_format (Codex's --output-schema on the way) becomes output_config.format", () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    const out = convertRequest(
      {
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        response_format: { type: 'json_schema', json_schema: { name: 'codex_output_schema', schema, strict: true } },
      },
      options,
    );
    expect((out.body as Record<string, unknown>).output_config).toEqual({ format: { type: 'json_schema', schema } });
    expect(out.warnings).toEqual([]);
  });

  it('the client model falls back to the upstream model when absent', () => {
    expect(convertRequest({ messages: [{ role: 'user', content: 'x' }] }, options).context.clientModel).toBe(
      'claude-sonnet-4-20250514',
    );
  });

  it.each([
    [null, 'the request body must be a JSON object'],
    [{ model: 'm' }, 'messages must be a non-empty array'],
    [{ model: 'm', messages: [{ role: 'user', content: 'x' }], n: 3 }, 'n must be 1'],
  ])('invalid request %j → ConversionError', (body, message) => {
    expect(() => convertRequest(body, options)).toThrow(ConversionError);
    expect(() => convertRequest(body, options)).toThrow(message);
  });

  it('is exported as the chatToAnthropic converter', () => {
    expect(chatToAnthropic.client).toBe('openai_chat');
    expect(chatToAnthropic.upstream).toBe('anthropic_messages');
    expect(chatToAnthropic.request({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, options).path).toBe(
      '/v1/messages',
    );
  });
});
