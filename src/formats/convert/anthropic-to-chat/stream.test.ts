import { describe, expect, it } from 'vitest';
import type { SseFrame } from '../../sse/types.js';
import { assembleMessage, checkAnthropicStream, eventTrace } from './test-support/anthropic-stream-grammar.js';
import { args, call, chunk, DONE, finish, role, text, tools, usage, usageChunk } from './test-support/chunks.js';
import { convertData, testContext } from './test-support/replay.js';

/** Converts, checks the grammar of the whole output, and returns it. */
function run(payloads: ReadonlyArray<object | string>, context = testContext()): SseFrame[] {
  const { frames } = convertData(payloads, { context });
  expect(checkAnthropicStream(frames)).toEqual([]);
  return frames;
}

const dataOf = (frame: SseFrame | undefined): Record<string, unknown> => frame?.data as Record<string, unknown>;

describe('Chat stream → Anthropic stream: blocks (§5.3)', () => {
  it('case 59: plain text → message_start, text block, message_delta, message_stop', () => {
    const frames = run([role(), text('Hel'), text('lo'), finish('stop'), usageChunk(usage(12, 2)), DONE]);
    expect(eventTrace(frames)).toEqual([
      'message_start',
      'start:0:text',
      'delta:0:text_delta',
      'delta:0:text_delta',
      'stop:0',
      'message_delta:end_turn',
      'message_stop',
    ]);
    expect(dataOf(frames[1])).toEqual({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    });
    expect(dataOf(frames[2])).toEqual({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: 'Hel' },
    });
    expect(dataOf(frames[5])).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 12, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it('case 60: role-only and empty-content chunks open no block', () => {
    const frames = run([role(), role(), chunk({ role: 'assistant', content: '' }), text('Hi'), finish('stop'), DONE]);
    expect(eventTrace(frames)).toEqual([
      'message_start',
      'start:0:text',
      'delta:0:text_delta',
      'stop:0',
      'message_delta:end_turn',
      'message_stop',
    ]);
  });

  it('case 61: message_start comes once, on the first upstream chunk, with all four usage counters; it is not content', () => {
    const { converter } = convertData([], { end: false });
    const first = converter.push({ data: JSON.stringify(role()) });
    expect(first).toHaveLength(1);
    expect(first[0]?.event).toBe('message_start');
    const message = dataOf(first[0]).message as Record<string, unknown>;
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
    expect(message.id).toMatch(/^msg_[a-zA-Z0-9]+$/);
    expect(converter.sawContent).toBe(false);
    expect(converter.push({ data: JSON.stringify(role()) })).toEqual([]);
    expect(converter.push({ data: JSON.stringify(text('x')) }).map((f) => f.event)).toEqual([
      'content_block_start',
      'content_block_delta',
    ]);
    expect(converter.sawContent).toBe(true);
  });

  it.each([
    ['reasoning_content', (t: string) => chunk({ reasoning_content: t })],
    ['reasoning', (t: string) => chunk({ reasoning: t })],
    ['reasoning_details', (t: string) => chunk({ reasoning_details: [{ type: 'reasoning.text', text: t }] })],
  ])('case 62: %s then content → thinking block 0, text block 1', (_name, reason) => {
    const frames = run([role(), reason('Think'), reason('ing'), text('Answer'), finish('stop'), DONE]);
    expect(eventTrace(frames)).toEqual([
      'message_start',
      'start:0:thinking',
      'delta:0:thinking_delta',
      'delta:0:thinking_delta',
      'stop:0',
      'start:1:text',
      'delta:1:text_delta',
      'stop:1',
      'message_delta:end_turn',
      'message_stop',
    ]);
    expect(dataOf(frames[1]).content_block).toEqual({ type: 'thinking', thinking: '', signature: '' });
    expect(assembleMessage(frames).content).toEqual([
      { type: 'thinking', thinking: 'Thinking', signature: '' },
      { type: 'text', text: 'Answer' },
    ]);
  });

  it('case 63: an OpenRouter signature becomes one signature_delta right before the thinking stop', () => {
    const detail = (t: string, signature?: string) =>
      chunk({
        reasoning: t,
        reasoning_details: [{ type: 'reasoning.text', text: t, ...(signature ? { signature } : {}) }],
      });
    const frames = run([role(), detail('a'), detail('b'), detail('', 'sig-1'), text('x'), finish('stop'), DONE]);
    expect(eventTrace(frames).slice(1, 6)).toEqual([
      'start:0:thinking',
      'delta:0:thinking_delta',
      'delta:0:thinking_delta',
      'delta:0:signature_delta',
      'stop:0',
    ]);
    expect(dataOf(frames[4]).delta).toEqual({ type: 'signature_delta', signature: 'sig-1' });
  });

  it('case 64: text then a tool call → text block stopped before the tool_use block starts', () => {
    const frames = run([
      role(),
      text('Let me look'),
      tools(call(0, 'call_1', 'Read')),
      tools(args(0, '{"path":')),
      tools(args(0, '"a"}')),
      finish('tool_calls'),
      DONE,
    ]);
    expect(eventTrace(frames)).toEqual([
      'message_start',
      'start:0:text',
      'delta:0:text_delta',
      'stop:0',
      'start:1:tool_use',
      'delta:1:input_json_delta',
      'delta:1:input_json_delta',
      'stop:1',
      'message_delta:tool_use',
      'message_stop',
    ]);
    expect(dataOf(frames[4]).content_block).toEqual({ type: 'tool_use', id: 'call_1', name: 'Read', input: {} });
    expect(assembleMessage(frames).content[1]).toEqual({
      type: 'tool_use',
      id: 'call_1',
      name: 'Read',
      input: { path: 'a' },
    });
  });

  it('case 65: two sequential tool calls → two blocks, the second streams as soon as the first is complete', () => {
    const { converter } = convertData([role(), tools(call(0, 'call_A', 'add')), tools(args(0, '{"a":1}'))], {
      end: false,
    });
    const second = converter.push({ data: JSON.stringify(tools(call(1, 'call_B', 'multiply', '{"b"'))) });
    expect(eventTrace(second)).toEqual(['stop:0', 'start:1:tool_use', 'delta:1:input_json_delta']);
    const rest = [tools(args(1, ':2}')), finish('tool_calls'), DONE].flatMap((p) =>
      converter.push({ data: typeof p === 'string' ? p : JSON.stringify(p) }),
    );
    expect(eventTrace(rest)).toEqual(['delta:1:input_json_delta', 'stop:1', 'message_delta:tool_use', 'message_stop']);
  });

  it('case 66: interleaved argument fragments → one open block at a time, the later call flushed after the earlier closes', () => {
    const frames = run([
      role(),
      tools(call(0, 'call_A', 'add'), call(1, 'call_B', 'multiply')),
      tools(args(0, '{"a":'), args(1, '{"x":')),
      tools(args(0, '1}'), args(1, '2}')),
      finish('tool_calls'),
      DONE,
    ]);
    expect(eventTrace(frames)).toEqual([
      'message_start',
      'start:0:tool_use',
      'delta:0:input_json_delta',
      'delta:0:input_json_delta',
      'stop:0',
      'start:1:tool_use',
      'delta:1:input_json_delta',
      'stop:1',
      'message_delta:tool_use',
      'message_stop',
    ]);
    expect(assembleMessage(frames).content).toEqual([
      { type: 'tool_use', id: 'call_A', name: 'add', input: { a: 1 } },
      { type: 'tool_use', id: 'call_B', name: 'multiply', input: { x: 2 } },
    ]);
  });

  it('case 67: whole tool call in one chunk → start + one input_json_delta + stop', () => {
    const frames = run([role(), tools(call(0, 'call_G', 'Read', '{"file_path":"/a"}')), finish('tool_calls'), DONE]);
    expect(eventTrace(frames)).toEqual([
      'message_start',
      'start:0:tool_use',
      'delta:0:input_json_delta',
      'stop:0',
      'message_delta:tool_use',
      'message_stop',
    ]);
    expect(dataOf(frames[2]).delta).toEqual({ type: 'input_json_delta', partial_json: '{"file_path":"/a"}' });
  });

  it('two calls on index 0 without ids (a gateway that drops them) stay two calls, told apart by their names', () => {
    const frames = run([
      role(),
      tools({ index: 0, id: '', type: 'function', function: { name: 'A', arguments: '{"x":1}' } }),
      tools({ index: 0, id: '', type: 'function', function: { name: 'B', arguments: '{"y":2}' } }),
      finish('tool_calls'),
      DONE,
    ]);
    const calls = assembleMessage(frames).content.filter((b) => b.type === 'tool_use');
    expect(calls.map((c) => [(c as { name: string }).name, (c as { input: unknown }).input])).toEqual([
      ['A', { x: 1 }],
      ['B', { y: 2 }],
    ]);
  });

  it('an error chunk after the finish leaves the complete answer complete', () => {
    const frames = run([role(), text('Hi'), finish('stop'), { error: { message: 'late', code: 500 } }, DONE]);
    expect(eventTrace(frames).slice(-2)).toEqual(['message_delta:end_turn', 'message_stop']);
    expect(frames.map((f) => f.event)).not.toContain('error');
  });

  it("content sent as parts (Mistral's reasoning models: thinking parts, then text parts) → thinking, then text", () => {
    const parts = (content: unknown) => chunk({ content } as unknown as Parameters<typeof chunk>[0]);
    const frames = run([
      role(),
      parts([{ type: 'thinking', thinking: [{ type: 'text', text: 'Let me think.' }] }]),
      parts([{ type: 'text', text: 'Hello' }]),
      parts([{ type: 'text', text: ' there' }]),
      finish('stop'),
      DONE,
    ]);
    expect(assembleMessage(frames).content).toEqual([
      expect.objectContaining({ type: 'thinking', thinking: 'Let me think.' }),
      { type: 'text', text: 'Hello there' },
    ]);
  });

  it('arguments sent as an object rather than its JSON text (HF TGI) stream as that JSON', () => {
    const whole = {
      index: 0,
      id: 'call_T',
      type: 'function',
      function: { name: 'Read', arguments: { file_path: '/a' } },
    };
    const frames = run([role(), tools(whole as unknown as Parameters<typeof tools>[0]), finish('tool_calls'), DONE]);
    expect(assembleMessage(frames).content).toEqual([
      { type: 'tool_use', id: 'call_T', name: 'Read', input: { file_path: '/a' } },
    ]);
  });

  it('case 25: renamed tools get their names back; a tool named like an Object member keeps its own', () => {
    const context = testContext({ toolNames: { short_abc: { name: 'a_very_long_original_name' } } });
    const frames = run(
      [
        role(),
        tools(
          call(0, 'call_A', 'short_abc', '{}'),
          call(1, 'call_B', 'constructor', '{}'),
          call(2, 'call_C', '__proto__', '{}'),
        ),
        finish('tool_calls'),
        DONE,
      ],
      context,
    );
    const names = frames
      .filter((f) => f.event === 'content_block_start')
      .map((f) => (dataOf(f).content_block as { name: string }).name);
    expect(names).toEqual(['a_very_long_original_name', 'constructor', '__proto__']);
  });

  it('case 68: a missing id is generated; fragments before the name wait for it', () => {
    const { converter } = convertData([role()], { end: false });
    expect(converter.push({ data: JSON.stringify(tools({ index: 0, function: { arguments: '{"q":' } })) })).toEqual([]);
    const named = converter.push({
      data: JSON.stringify(tools({ index: 0, function: { name: 'search', arguments: '1}' } })),
    });
    expect(eventTrace(named)).toEqual(['start:0:tool_use', 'delta:0:input_json_delta']);
    const block = dataOf(named[0]).content_block as Record<string, unknown>;
    expect(block.id).toMatch(/^toolu_[a-zA-Z0-9]+$/);
    expect(dataOf(named[1]).delta).toEqual({ type: 'input_json_delta', partial_json: '{"q":1}' });
  });

  it('case 69: empty argument fragments send no delta; a call without arguments has input {}', () => {
    const frames = run([
      role(),
      tools(call(0, 'call_E', 'list_files')),
      tools(args(0, '')),
      finish('tool_calls'),
      DONE,
    ]);
    expect(eventTrace(frames)).toEqual([
      'message_start',
      'start:0:tool_use',
      'stop:0',
      'message_delta:tool_use',
      'message_stop',
    ]);
    expect(assembleMessage(frames).content).toEqual([
      { type: 'tool_use', id: 'call_E', name: 'list_files', input: {} },
    ]);
  });

  it('case 70: fragments are forwarded as they arrive, not when the JSON becomes valid', () => {
    const { converter } = convertData([role(), tools(call(0, 'call_S', 'Write'))], { end: false });
    const partial = converter.push({ data: JSON.stringify(tools(args(0, '{"content":"line 1\\n'))) });
    expect(partial.map((f) => dataOf(f).delta)).toEqual([
      { type: 'input_json_delta', partial_json: '{"content":"line 1\\n' },
    ]);
    // arguments that only arrive with the finish chunk are not lost either
    const last = converter.push({ data: JSON.stringify(chunk({ tool_calls: [args(0, 'line 2"}')] }, 'tool_calls')) });
    expect(eventTrace(last)).toEqual(['delta:0:input_json_delta', 'stop:0']);
  });

  it('case 71: content and finish_reason in one chunk → the text first, then the finish', () => {
    const frames = run([text('All at once', 'stop'), usageChunk(usage(5, 3)), DONE]);
    expect(eventTrace(frames)).toEqual([
      'message_start',
      'start:0:text',
      'delta:0:text_delta',
      'stop:0',
      'message_delta:end_turn',
      'message_stop',
    ]);
  });

  it('case 72: reasoning + content + tool_calls in one delta → thinking, text, tool_use in that order', () => {
    const frames = run([
      chunk({
        reasoning_content: 'hmm',
        content: 'Calling',
        tool_calls: [call(0, 'call_T', 'Bash', '{"command":"ls"}')],
      }),
      finish('tool_calls'),
      DONE,
    ]);
    expect(eventTrace(frames)).toEqual([
      'message_start',
      'start:0:thinking',
      'delta:0:thinking_delta',
      'stop:0',
      'start:1:text',
      'delta:1:text_delta',
      'stop:1',
      'start:2:tool_use',
      'delta:2:input_json_delta',
      'stop:2',
      'message_delta:tool_use',
      'message_stop',
    ]);
  });
});
