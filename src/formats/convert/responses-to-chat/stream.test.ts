import { describe, expect, it } from 'vitest';
import { SseDecoder } from '../../sse/decode.js';
import type { SseFrame } from '../../sse/types.js';
import { responsesToChat } from './index.js';
import { checkResponsesStream, stableIds } from './stream-checker.js';
import {
  chunk,
  context,
  DONE,
  events,
  response,
  run,
  START,
  USAGE,
  usage,
  usageChunk,
} from './test-support/chat-stream.js';

describe('chat stream → responses stream', () => {
  it('case 84: think blocks become reasoning; text held back for a possible <think> comes out before a tool call', () => {
    const call = { index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } };
    const start = chunk({ role: 'assistant', content: '' });
    const thought = run(
      `${start}${chunk({ content: '<thi' })}${chunk({ content: 'nk>plan</th' })}${chunk({ content: 'ink> ok' })}${chunk({}, 'stop')}${DONE}`,
    );
    expect(thought.stream.response.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    expect(thought.stream.doneItems).toMatchObject([{ summary: [{ text: 'plan' }] }, { content: [{ text: 'ok' }] }]);
    // "<thi" could still become <think>: held, then released as text when the tool call arrives
    const held = run(
      `${start}${chunk({ content: '<thi' })}${chunk({ tool_calls: [call] })}${chunk({}, 'tool_calls')}${DONE}`,
    );
    expect(held.stream.response.output.map((item) => item.type)).toEqual(['message', 'function_call']);
    expect(held.stream.doneItems[0]).toMatchObject({ content: [{ text: '<thi' }] });
    // a stream cut while text is held back: the text is in the failed response's output
    const cut = run(`${start}${chunk({ content: '<th' })}`);
    expect(cut.stream.types.at(-1)).toBe('response.failed');
    expect(cut.stream.response.output).toMatchObject([{ type: 'message', content: [{ text: '<th' }] }]);
  });

  it('case 84: with reasoning in a field, a <think> block in the content is dropped, as in a whole answer', () => {
    const start = chunk({ role: 'assistant', content: '' });
    const both = run(
      `${start}${chunk({ reasoning_content: 'plan' })}${chunk({ content: '<think>plan again</th' })}${chunk({ content: 'ink> ok' })}${chunk({}, 'stop')}${DONE}`,
    );
    expect(both.stream.response.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    expect(both.stream.doneItems).toMatchObject([{ summary: [{ text: 'plan' }] }, { content: [{ text: 'ok' }] }]);
  });

  it("content as parts (Mistral's reasoning models): thinking parts become reasoning, text parts the message", () => {
    const start = chunk({ role: 'assistant', content: '' });
    const parts = run(
      `${start}${chunk({ content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'plan' }] }] })}${chunk({ content: [{ type: 'text', text: 'ok' }] })}${chunk({}, 'stop')}${DONE}`,
    );
    expect(parts.stream.response.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    expect(parts.stream.doneItems).toMatchObject([{ summary: [{ text: 'plan' }] }, { content: [{ text: 'ok' }] }]);
  });

  it('case 114: text → created, in_progress, message item with one output_text part, completed', () => {
    const sse = chunk({ role: 'assistant', content: '' }) + chunk({ content: 'Hel' }) + chunk({ content: 'lo' });
    const { frames } = run(sse + chunk({}, 'stop') + usageChunk(USAGE) + DONE);
    const message = { type: 'message', id: 'msg_1', role: 'assistant' };
    const done = {
      ...message,
      status: 'completed',
      content: [{ type: 'output_text', text: 'Hello', annotations: [] }],
    };
    const ids = { item_id: 'msg_1', output_index: 0, content_index: 0 };
    expect(stableIds(frames)).toEqual(
      events(
        ...START,
        ['response.output_item.added', { output_index: 0, item: { ...message, status: 'in_progress', content: [] } }],
        ['response.content_part.added', { ...ids, part: { type: 'output_text', text: '', annotations: [] } }],
        ['response.output_text.delta', { ...ids, delta: 'Hel', logprobs: [] }],
        ['response.output_text.delta', { ...ids, delta: 'lo', logprobs: [] }],
        ['response.output_text.done', { ...ids, text: 'Hello', logprobs: [] }],
        ['response.content_part.done', { ...ids, part: { type: 'output_text', text: 'Hello', annotations: [] } }],
        ['response.output_item.done', { output_index: 0, item: done }],
        ['response.completed', { response: response({ status: 'completed', output: [done], usage: usage(12, 5) }) }],
      ),
    );
  });

  it('case 115: tool call → added, argument deltas, done with full item', () => {
    const first = { index: 0, id: 'call_A', type: 'function', function: { name: 'exec_command', arguments: '' } };
    const sse =
      chunk({ role: 'assistant', content: null }) +
      chunk({ tool_calls: [first] }) +
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"cmd":' } }] }) +
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"echo hi"}' } }] }) +
      chunk({}, 'tool_calls') +
      usageChunk(USAGE) +
      DONE;
    const { frames } = run(sse);
    const call = { type: 'function_call', id: 'fc_1', call_id: 'call_A', name: 'exec_command' };
    const done = { ...call, arguments: '{"cmd":"echo hi"}', status: 'completed' };
    const ids = { item_id: 'fc_1', output_index: 0 };
    expect(stableIds(frames)).toEqual(
      events(
        ...START,
        ['response.output_item.added', { output_index: 0, item: { ...call, arguments: '', status: 'in_progress' } }],
        ['response.function_call_arguments.delta', { ...ids, delta: '{"cmd":' }],
        ['response.function_call_arguments.delta', { ...ids, delta: '"echo hi"}' }],
        ['response.function_call_arguments.done', { ...ids, arguments: '{"cmd":"echo hi"}' }],
        ['response.output_item.done', { output_index: 0, item: done }],
        ['response.completed', { response: response({ status: 'completed', output: [done], usage: usage(12, 5) }) }],
      ),
    );
  });

  it('case 115: two sequential calls → two items, the second added only after the first is done', () => {
    const call = (index: number, id: string, name: string) => ({
      tool_calls: [{ index, id, type: 'function', function: { name, arguments: '' } }],
    });
    const args = (index: number, text: string) => ({ tool_calls: [{ index, function: { arguments: text } }] });
    const sse =
      chunk(call(0, 'call_A', 'add')) +
      chunk(args(0, '{"a":1}')) +
      chunk(call(1, 'call_B', 'mul')) +
      chunk(args(1, '{"b":')) +
      chunk(args(1, '2}')) +
      chunk({}, 'tool_calls') +
      DONE;
    const { stream } = run(sse);
    expect(stream.doneItems.map((item) => [item.call_id, item.name, item.arguments])).toEqual([
      ['call_A', 'add', '{"a":1}'],
      ['call_B', 'mul', '{"b":2}'],
    ]);
    // The second call streams live: its first delta comes before the finish closes anything.
    const types = stream.types ?? [];
    expect(types.indexOf('response.output_item.done')).toBeLessThan(types.lastIndexOf('response.output_item.added'));
    expect(types.filter((t) => t === 'response.function_call_arguments.delta')).toHaveLength(3);
  });

  it('case 115: interleaved parallel calls (index 0,1,0,1) → items added in order, fragments buffered', () => {
    const sse =
      chunk({
        tool_calls: [{ index: 0, id: 'call_A', type: 'function', function: { name: 'a', arguments: '{"x"' } }],
      }) +
      chunk({
        tool_calls: [{ index: 1, id: 'call_B', type: 'function', function: { name: 'b', arguments: '{"y"' } }],
      }) +
      chunk({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }) +
      chunk({ tool_calls: [{ index: 1, function: { arguments: ':2}' } }] }) +
      chunk({}, 'tool_calls') +
      DONE;
    const { stream } = run(sse);
    expect(stream.doneItems.map((item) => [item.call_id, item.arguments])).toEqual([
      ['call_A', '{"x":1}'],
      ['call_B', '{"y":2}'],
    ]);
    expect(stream.response.output.map((item) => item.type)).toEqual(['function_call', 'function_call']);
  });

  it('case 115: whole tool call in one chunk (Groq, xAI, GLM) → added, one delta, done', () => {
    const whole = {
      index: 0,
      id: 'functions.add:0',
      type: 'function',
      function: { name: 'add', arguments: '{"a":2}' },
    };
    const { stream } = run(chunk({ tool_calls: [whole] }) + chunk({}, 'tool_calls') + DONE);
    expect(stream.types.slice(2)).toEqual([
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(stream.doneItems[0]).toMatchObject({ call_id: 'functions.add:0', arguments: '{"a":2}' });
  });

  it('case 115: a call with no arguments at all ends with arguments "{}"', () => {
    const call = { index: 0, id: 'call_A', type: 'function', function: { name: 'get_goal' } };
    const { stream } = run(chunk({ tool_calls: [call] }) + chunk({}, 'tool_calls') + DONE);
    expect(stream.doneItems[0]).toMatchObject({ name: 'get_goal', arguments: '{}' });
  });

  it('case 116: call_id passed verbatim; a missing id is generated once and reused', () => {
    const noId = { index: 0, type: 'function', function: { name: 'f', arguments: '{}' } };
    const { frames, stream } = run(chunk({ tool_calls: [noId] }) + chunk({}, 'tool_calls') + DONE);
    const callIds = stableIds(frames)
      .map((frame) => (frame.data as { item?: { call_id?: string } }).item?.call_id)
      .filter((id) => id !== undefined);
    expect(callIds).toEqual(['call_1', 'call_1']); // added and done carry the same generated id
    expect(stream.response.output[0]).toMatchObject({ call_id: expect.stringMatching(/^call_[A-Za-z0-9]{24}$/) });
  });

  it('case 109: a custom tool call (apply_patch) → custom_tool_call with the decoded input', () => {
    const ctx = context({ toolNames: { apply_patch: { name: 'apply_patch', kind: 'custom' } } });
    const patch = '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch';
    const json = JSON.stringify({ input: patch });
    const sse =
      chunk({
        tool_calls: [{ index: 0, id: 'call_P', type: 'function', function: { name: 'apply_patch', arguments: '' } }],
      }) +
      chunk({ tool_calls: [{ index: 0, function: { arguments: json.slice(0, 20) } }] }) +
      chunk({ tool_calls: [{ index: 0, function: { arguments: json.slice(20) } }] }) +
      chunk({}, 'tool_calls') +
      DONE;
    const { frames } = run(sse, ctx);
    const item = { type: 'custom_tool_call', id: 'ctc_1', call_id: 'call_P', name: 'apply_patch' };
    const done = { ...item, input: patch, status: 'completed' };
    expect(stableIds(frames).slice(2, -1)).toEqual(
      events(
        ...START,
        ['response.output_item.added', { output_index: 0, item: { ...item, input: '', status: 'in_progress' } }],
        ['response.custom_tool_call_input.delta', { item_id: 'ctc_1', output_index: 0, delta: patch }],
        ['response.custom_tool_call_input.done', { item_id: 'ctc_1', output_index: 0, input: patch }],
        ['response.output_item.done', { output_index: 0, item: done }],
      ).slice(2),
    );
  });

  it('namespace tools: the flattened name is restored with its namespace', () => {
    const ctx = context({
      toolNames: {
        multi_agent_v1__spawn_agent: { name: 'spawn_agent', kind: 'function', namespace: 'multi_agent_v1' },
      },
    });
    const call = {
      index: 0,
      id: 'call_S',
      type: 'function',
      function: { name: 'multi_agent_v1__spawn_agent', arguments: '{}' },
    };
    const { stream } = run(chunk({ tool_calls: [call] }) + chunk({}, 'tool_calls') + DONE, ctx);
    expect(stream.doneItems[0]).toEqual({
      type: 'function_call',
      id: expect.stringMatching(/^fc_/),
      call_id: 'call_S',
      name: 'spawn_agent',
      namespace: 'multi_agent_v1',
      arguments: '{}',
      status: 'completed',
    });
  });

  it('case 117: reasoning_content → a reasoning item with summary part events, then text and a tool call', () => {
    const sse =
      chunk({ role: 'assistant', reasoning_content: 'Think' }) +
      chunk({ reasoning_content: 'ing' }) +
      chunk({ content: 'Running it.' }) +
      chunk({ tool_calls: [{ index: 0, id: 'call_A', type: 'function', function: { name: 'f', arguments: '{}' } }] }) +
      chunk({}, 'tool_calls') +
      DONE;
    const { frames, stream } = run(sse);
    const ids = { item_id: 'rs_1', output_index: 0, summary_index: 0 };
    expect(stableIds(frames).slice(2, 9)).toEqual(
      events(
        ...START,
        ['response.output_item.added', { output_index: 0, item: { type: 'reasoning', id: 'rs_1', summary: [] } }],
        ['response.reasoning_summary_part.added', { ...ids, part: { type: 'summary_text', text: '' } }],
        ['response.reasoning_summary_text.delta', { ...ids, delta: 'Think' }],
        ['response.reasoning_summary_text.delta', { ...ids, delta: 'ing' }],
        ['response.reasoning_summary_text.done', { ...ids, text: 'Thinking' }],
        ['response.reasoning_summary_part.done', { ...ids, part: { type: 'summary_text', text: 'Thinking' } }],
        [
          'response.output_item.done',
          {
            output_index: 0,
            item: { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Thinking' }] },
          },
        ],
      ).slice(2),
    );
    expect(stream.response.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call']);
    expect(stream.types).not.toContain('response.reasoning_text.delta');
  });

  it('case 117: `reasoning` (Ollama, vLLM, OpenRouter) is read too, never as output_text', () => {
    const sse = chunk({ reasoning: 'hmm', content: '' }) + chunk({ content: 'ok' }) + chunk({}, 'stop') + DONE;
    const { stream } = run(sse);
    expect(stream.response.output).toEqual([
      { type: 'reasoning', id: expect.any(String), summary: [{ type: 'summary_text', text: 'hmm' }] },
      {
        type: 'message',
        id: expect.any(String),
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: 'ok', annotations: [] }],
      },
    ]);
  });

  it('case 72: reasoning + content + tool_calls in one delta → reasoning, message, function_call items', () => {
    const call = { index: 0, id: 'call_A', type: 'function', function: { name: 'f', arguments: '{}' } };
    const { stream } = run(chunk({ reasoning_content: 'r', content: 't', tool_calls: [call] }, 'tool_calls') + DONE);
    expect(stream.response.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call']);
  });

  it.each([
    ['length', 'response.incomplete', { reason: 'max_output_tokens' }],
    ['content_filter', 'response.incomplete', { reason: 'content_filter' }],
    ['stop', 'response.completed', null],
  ])('case 118: finish_reason %s → %s', (finish, terminal, details) => {
    const { stream, converter } = run(chunk({ content: 'partial' }) + chunk({}, finish) + DONE);
    expect(stream.types.at(-1)).toBe(terminal);
    expect(stream.response.incomplete_details).toEqual(details);
    expect(converter.finished).toBe(true);
  });

  it('case 118: length in the middle of a tool call → the cut call is not done (Codex would run it), then response.incomplete', () => {
    const call = { index: 0, id: 'call_A', type: 'function', function: { name: 'f', arguments: '{"cmd":"ec' } };
    const { stream } = run(chunk({ tool_calls: [call] }) + chunk({}, 'length') + DONE);
    expect(stream.response.status).toBe('incomplete');
    expect(stream.doneItems).toEqual([]);
    expect(stream.response.output).toEqual([
      expect.objectContaining({ type: 'function_call', arguments: '{"cmd":"ec', status: 'incomplete' }),
    ]);
  });

  it('decodes an upstream body split at every byte (multi-byte UTF-8, \\r\\n line ends)', () => {
    const sse = (chunk({ content: 'Grüße 👋 ' }) + chunk({ content: '日本' }, 'stop') + DONE).replaceAll('\n', '\r\n');
    const bytes = new TextEncoder().encode(sse);
    const converter = responsesToChat.stream(context());
    const text = new TextDecoder();
    const decoder = new SseDecoder();
    const frames: SseFrame[] = [];
    for (const byte of bytes) {
      for (const event of decoder.feed(text.decode(Uint8Array.of(byte), { stream: true }))) {
        frames.push(...converter.push(event));
      }
    }
    for (const event of decoder.end()) frames.push(...converter.push(event));
    frames.push(...converter.end());
    expect(checkResponsesStream(frames).doneItems[0]).toMatchObject({ content: [{ text: 'Grüße 👋 日本' }] });
  });
});
