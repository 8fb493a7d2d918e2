import { describe, expect, it } from 'vitest';
import type { AnthropicResponse } from '../../anthropic/types.js';
import type { ChatResponse } from '../../openai-chat/types.js';
import { convertResponse } from './response.js';
import { testContext } from './test-support/replay.js';

type Message = ChatResponse['choices'][number]['message'];

function completion(
  message: Partial<Message>,
  finish: string | null = 'stop',
  extra: Partial<ChatResponse> = {},
): ChatResponse {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1_764_000_000,
    model: 'upstream-model',
    choices: [{ index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason: finish }],
    usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 },
    ...extra,
  };
}

function convert(body: unknown, context = testContext({ stream: false })) {
  const result = convertResponse(body, context);
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return { message: result.body as AnthropicResponse, usage: result.usage, warnings: result.warnings };
}

describe('Chat response → Anthropic Message (§5.2)', () => {
  it('case 43: text → text block, end_turn, msg_ id, client model', () => {
    const { message, usage } = convert(completion({ content: 'Hi' }));
    expect(message).toEqual({
      id: expect.stringMatching(/^msg_[a-zA-Z0-9]+$/),
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'Hi' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
    expect(usage).toEqual({ input_tokens: 10, output_tokens: 3, cache_read_tokens: 0, cache_write_tokens: 0 });
  });

  it('case 44: tool calls → tool_use blocks, tool_use, no empty text block', () => {
    const { message } = convert(
      completion(
        {
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'Read', arguments: '{"p":1}' } }],
        },
        'tool_calls',
      ),
    );
    expect(message.content).toEqual([{ type: 'tool_use', id: 'call_1', name: 'Read', input: { p: 1 } }]);
    expect(message.stop_reason).toBe('tool_use');
  });

  it('case 45: reasoning + text + tools → thinking, text, tool_use in that order', () => {
    const { message } = convert(
      completion(
        {
          content: 'Calling',
          reasoning_content: 'plan',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        'tool_calls',
      ),
    );
    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use']);
  });

  it('case 46: invalid JSON arguments → repaired object or wrapped, never a string; with a warning', () => {
    const call = (args: string) => ({ id: 'c', type: 'function' as const, function: { name: 'f', arguments: args } });
    const repaired = convert(completion({ tool_calls: [call('{"p":1')] }, 'tool_calls'));
    expect(repaired.message.content[0]).toMatchObject({ input: { p: 1 } });
    expect(repaired.warnings).toEqual(['tool call "f": arguments were not a JSON object (repaired)']);
    const wrapped = convert(completion({ tool_calls: [call('oops')] }, 'tool_calls'));
    expect(wrapped.message.content[0]).toMatchObject({ input: { raw_arguments: 'oops' } });
  });

  it('case 47: empty arguments → {}; non-object JSON → wrapped', () => {
    const call = (args: string) => ({ id: 'c', type: 'function' as const, function: { name: 'f', arguments: args } });
    expect(convert(completion({ tool_calls: [call('')] }, 'tool_calls')).message.content[0]).toMatchObject({
      input: {},
    });
    expect(convert(completion({ tool_calls: [call('[1]')] }, 'tool_calls')).message.content[0]).toMatchObject({
      input: { raw_arguments: '[1]' },
    });
  });

  it("content as parts (Mistral's reasoning models) → a thinking block and a text block", () => {
    const body = completion({}, 'stop');
    (body.choices[0]!.message as unknown as Record<string, unknown>).content = [
      { type: 'thinking', thinking: [{ type: 'text', text: 'Let me think.' }] },
      { type: 'text', text: 'Hello there' },
    ];
    const { message } = convert(body);
    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect(message.content[0]).toMatchObject({ thinking: 'Let me think.' });
    expect(message.content[1]).toMatchObject({ text: 'Hello there' });
  });

  it('arguments sent as an object rather than its JSON text (HF TGI) are that object: no crash, no warning', () => {
    const body = completion({}, 'tool_calls');
    (body.choices[0]!.message as unknown as Record<string, unknown>).tool_calls = [
      { id: 'c', type: 'function', function: { name: 'f', arguments: { p: 1 } } },
    ];
    const converted = convert(body);
    expect(converted.message.content).toEqual([{ type: 'tool_use', id: 'c', name: 'f', input: { p: 1 } }]);
    expect(converted.warnings).toEqual([]);
  });

  it.each([
    ['reasoning_content', { reasoning_content: 'r' }],
    ['reasoning', { reasoning: 'r' }],
    ['reasoning_details', { reasoning_details: [{ type: 'reasoning.text', text: 'r', signature: 'sig' }] }],
    ['<think> tags', { content: '<think>r</think>\nA' }],
  ])('case 48: %s → leading thinking block; signature only when the upstream gave one', (_name, fields) => {
    const { message } = convert(completion({ content: 'A', ...fields }));
    const signature = 'reasoning_details' in fields ? 'sig' : '';
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'r', signature },
      { type: 'text', text: 'A' },
    ]);
  });

  it('case 49: n > 1 → only choice 0', () => {
    const body = completion({ content: 'zero' });
    body.choices.unshift({ index: 1, message: { role: 'assistant', content: 'one' }, finish_reason: 'stop' });
    expect(convert(body).message.content).toEqual([{ type: 'text', text: 'zero' }]);
  });

  it.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['content_filter', 'refusal'],
    ['function_call', 'tool_use'],
    [null, 'end_turn'],
    ['something_else', 'end_turn'],
  ])('case 50: finish %s → %s', (finish, stop) => {
    expect(convert(completion({ content: 'x' }, finish)).message.stop_reason).toBe(stop);
  });

  it('case 50/86: finish "stop" with tool calls → tool_use', () => {
    const body = completion(
      { tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      'stop',
    );
    expect(convert(body).message.stop_reason).toBe('tool_use');
  });

  it('case 51: stop without the string → end_turn; vLLM stop_reason string → stop_sequence', () => {
    const body = completion({ content: 'x' });
    expect(convert(body).message).toMatchObject({ stop_reason: 'end_turn', stop_sequence: null });
    const first = body.choices[0];
    if (first) first.stop_reason = '\n\nHuman:';
    expect(convert(body).message).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: '\n\nHuman:' });
  });

  it('case 52: refusal → text block, stop_reason refusal', () => {
    expect(convert(completion({ content: null, refusal: "I can't help with that." })).message).toMatchObject({
      content: [{ type: 'text', text: "I can't help with that." }],
      stop_reason: 'refusal',
    });
  });

  it('case 53/54: usage with cache reads and writes', () => {
    const body = completion({ content: 'x' }, 'stop', {
      usage: {
        prompt_tokens: 100,
        completion_tokens: 7,
        total_tokens: 107,
        prompt_tokens_details: { cached_tokens: 80 },
      },
    });
    expect(convert(body).message.usage).toEqual({
      input_tokens: 20,
      cache_read_input_tokens: 80,
      cache_creation_input_tokens: 0,
      output_tokens: 7,
    });
  });

  it('case 56: usage missing → zeros, response still valid', () => {
    const { usage: _, ...body } = completion({ content: 'x' });
    const { message, usage } = convert(body);
    expect(message.usage).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
    expect(usage).toBeUndefined();
  });

  it.each([[''], [null], ['   ']])('case 57: empty answer %j → content [] and end_turn', (content) => {
    expect(convert(completion({ content })).message).toMatchObject({ content: [], stop_reason: 'end_turn' });
  });

  it('case 58: a 200 carrying an error → ok:false with a mapped error', () => {
    const result = convertResponse(
      { error: { message: 'Rate limited', type: 'rate_limit', code: 429 } },
      testContext(),
    );
    expect(result).toMatchObject({ ok: false, error: { kind: 'rate_limited', status: 429, message: 'Rate limited' } });
    const plain = convertResponse({ error: { message: 'boom', type: 'server_error' } }, testContext());
    expect(plain).toMatchObject({ ok: false, error: { kind: 'upstream_failed', status: 502, message: 'boom' } });
    const vllm = convertResponse(
      { object: 'error', message: 'model not loaded', type: 'BadRequestError', code: 400 },
      testContext(),
    );
    expect(vllm).toMatchObject({ ok: false, error: { status: 400, message: 'model not loaded' } });
    expect(convertResponse({ id: 'x' }, testContext())).toMatchObject({
      ok: false,
      error: { status: 502, message: 'upstream answered 200 without choices' },
    });
    expect(convertResponse('nope', testContext())).toMatchObject({ ok: false, error: { status: 502 } });
  });

  it('case 25/40: tool names restored, invalid ids encoded, missing ids generated', () => {
    const context = testContext({ toolNames: { short_abc: { name: 'a_very_long_original_name' } } });
    const { message } = convert(
      completion(
        {
          tool_calls: [
            { id: 'functions.short_abc:0', type: 'function', function: { name: 'short_abc', arguments: '{}' } },
            { id: '', type: 'function', function: { name: 'other', arguments: '{}' } },
            { id: 'call_c', type: 'function', function: { name: 'constructor', arguments: '{}' } },
          ],
        },
        'tool_calls',
      ),
      context,
    );
    expect(message.content).toEqual([
      { type: 'tool_use', id: expect.stringMatching(/^toolu_swx_/), name: 'a_very_long_original_name', input: {} },
      { type: 'tool_use', id: expect.stringMatching(/^toolu_[a-zA-Z0-9]+$/), name: 'other', input: {} },
      // an Object member's name is not a renamed tool (the map is a plain object)
      { type: 'tool_use', id: 'call_c', name: 'constructor', input: {} },
    ]);
  });
});
