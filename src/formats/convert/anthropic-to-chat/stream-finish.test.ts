import { describe, expect, it } from 'vitest';
import { normalizedError } from '../../errors/error-kinds.js';
import { SseDecoder } from '../../sse/decode.js';
import type { SseFrame } from '../../sse/types.js';
import { assembleMessage, checkAnthropicStream, eventTrace } from './test-support/anthropic-stream-grammar.js';
import { args, call, chunk, DONE, finish, role, text, tools, usage, usageChunk } from './test-support/chunks.js';
import { convertData, testContext } from './test-support/replay.js';

function run(payloads: ReadonlyArray<object | string>) {
  const result = convertData(payloads);
  expect(checkAnthropicStream(result.frames)).toEqual([]);
  return result;
}

const dataOf = (frame: SseFrame | undefined): Record<string, unknown> => frame?.data as Record<string, unknown>;
const messageDelta = (frames: SseFrame[]) => frames.map(dataOf).find((d) => d.type === 'message_delta');
const push = (converter: ReturnType<typeof convertData>['converter'], payload: object | string): SseFrame[] =>
  converter.push({ data: typeof payload === 'string' ? payload : JSON.stringify(payload) });

describe('Chat stream → Anthropic stream: finish, usage, errors (§5.3)', () => {
  it('case 73: message_delta waits for the usage chunk after the finish, then carries input (prompt − cached)', () => {
    const { converter } = convertData([role(), text('Hi')], { end: false });
    expect(eventTrace(push(converter, finish('stop')))).toEqual(['stop:0']);
    const onUsage = push(converter, usageChunk(usage(1200, 9, 1024)));
    expect(eventTrace(onUsage)).toEqual(['message_delta:end_turn', 'message_stop']);
    expect(dataOf(onUsage[0]).usage).toEqual({
      input_tokens: 176,
      cache_read_input_tokens: 1024,
      cache_creation_input_tokens: 0,
      output_tokens: 9,
    });
    expect(converter.finished).toBe(true);
    expect(push(converter, DONE)).toEqual([]);
    expect(converter.usage).toEqual({
      input_tokens: 176,
      output_tokens: 9,
      cache_read_tokens: 1024,
      cache_write_tokens: 0,
    });
  });

  it('case 73: a usage chunk with choices null or without choices (vLLM) is read the same way', () => {
    const { choices: _, ...noChoices } = usageChunk(usage(40, 4));
    for (const last of [{ ...usageChunk(usage(40, 4)), choices: null }, noChoices]) {
      const { frames } = run([role(), text('x'), finish('stop'), last, DONE]);
      expect(messageDelta(frames)?.usage).toMatchObject({ input_tokens: 40, output_tokens: 4 });
    }
  });

  it('case 74: usage on the finish chunk is used; repeated usage → the last one wins, never summed', () => {
    const { frames, converter } = run([
      role(),
      text('x'),
      finish('stop', { usage: usage(100, 5) }),
      usageChunk(usage(100, 7)),
      DONE,
    ]);
    expect(messageDelta(frames)?.usage).toMatchObject({ input_tokens: 100, output_tokens: 7 });
    expect(converter.usage?.output_tokens).toBe(7);
    const onFinish = run([role(), text('x'), finish('stop', { usage: usage(50, 2) }), DONE]);
    expect(messageDelta(onFinish.frames)?.usage).toMatchObject({ input_tokens: 50, output_tokens: 2 });
  });

  it('case 75: duplicate finish chunks → exactly one message_delta and one message_stop', () => {
    const { frames } = run([role(), text('x'), finish('stop'), finish('stop', { usage: usage(10, 1) }), DONE]);
    expect(eventTrace(frames).filter((t) => t.startsWith('message_'))).toEqual([
      'message_start',
      'message_delta:end_turn',
      'message_stop',
    ]);
    expect(messageDelta(frames)?.usage).toMatchObject({ input_tokens: 10, output_tokens: 1 });
  });

  it('case 76: no usage at all → message_delta still carries every counter (zeros)', () => {
    const { frames } = run([role(), text('x'), finish('stop'), DONE]);
    expect(messageDelta(frames)?.usage).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  it('case 77: [DONE] without a finish chunk → blocks closed, normal end (tool_use if a tool was called)', () => {
    expect(eventTrace(run([role(), text('x'), DONE]).frames)).toEqual([
      'message_start',
      'start:0:text',
      'delta:0:text_delta',
      'stop:0',
      'message_delta:end_turn',
      'message_stop',
    ]);
    expect(eventTrace(run([tools(call(0, 'c1', 'f', '{}')), DONE]).frames).slice(-2)).toEqual([
      'message_delta:tool_use',
      'message_stop',
    ]);
    expect(eventTrace(run([DONE]).frames)).toEqual(['message_start', 'message_delta:end_turn', 'message_stop']);
  });

  it('case 78: EOF without finish and [DONE] → the open block is closed, then an api_error event, no message_stop', () => {
    const { frames, converter } = run([role(), text('partial')]);
    expect(eventTrace(frames)).toEqual([
      'message_start',
      'start:0:text',
      'delta:0:text_delta',
      'stop:0',
      'error:api_error',
    ]);
    expect(frames.at(-1)).toEqual({
      event: 'error',
      data: { type: 'error', error: { type: 'api_error', message: 'upstream stream ended before completion' } },
    });
    expect(converter.finished).toBe(false);
    expect(converter.end()).toEqual([]);
  });

  it('case 78: EOF after the finish but before usage/[DONE] is a normal end', () => {
    expect(eventTrace(run([role(), text('x'), finish('length')]).frames).slice(-2)).toEqual([
      'message_delta:max_tokens',
      'message_stop',
    ]);
  });

  it('case 79: a mid-stream error chunk → error event with the mapped type; upstreamError set; nothing after it', () => {
    const { frames, converter } = run([
      role(),
      text('Working'),
      { error: { message: 'Rate limit exceeded: free-models-per-min', code: 429 } },
    ]);
    expect(eventTrace(frames).slice(-2)).toEqual(['stop:0', 'error:rate_limit_error']);
    expect(dataOf(frames.at(-1)).error).toEqual({
      type: 'rate_limit_error',
      message: 'Rate limit exceeded: free-models-per-min',
    });
    expect(converter.upstreamError).toMatchObject({ kind: 'rate_limited', status: 429 });
    expect(push(converter, text('more'))).toEqual([]);
    expect(push(converter, DONE)).toEqual([]);
  });

  it('case 80 (converter side): an error as the very first event → no message_start, no content; the proxy can still answer with a status', () => {
    const { frames, converter } = run([{ error: { message: 'upstream overloaded', type: 'server_error', code: 503 } }]);
    expect(eventTrace(frames)).toEqual(['error:api_error']);
    expect(converter.sawContent).toBe(false);
    expect(converter.upstreamError).toMatchObject({ status: 503, message: 'upstream overloaded' });
  });

  it('case 82: SSE comments and ping events are ignored', () => {
    const decoder = new SseDecoder();
    const converter = convertData([], { end: false }).converter;
    const wire = `: OPENROUTER PROCESSING\n\nevent: ping\ndata: {"type":"ping"}\n\ndata: ${JSON.stringify(text('ok'))}\n\n: keep-alive\n\ndata: ${JSON.stringify(finish('stop'))}\n\ndata: [DONE]\n\n`;
    const frames = decoder.feed(wire).flatMap((event) => converter.push(event));
    expect(checkAnthropicStream(frames)).toEqual([]);
    expect(eventTrace(frames)).toEqual([
      'message_start',
      'start:0:text',
      'delta:0:text_delta',
      'stop:0',
      'message_delta:end_turn',
      'message_stop',
    ]);
  });

  it('case 83: a malformed data line is skipped and counted; the client stream stays valid', () => {
    const { frames, converter } = run([role(), '{bad json', text('still fine'), finish('stop'), DONE]);
    expect(converter.malformedChunks).toBe(1);
    expect(converter.warnings[0]).toMatch(/malformed upstream data line/);
    expect(assembleMessage(frames).content).toEqual([{ type: 'text', text: 'still fine' }]);
  });

  it('case 84: <think>…</think> inline in content → a thinking block, then the text', () => {
    const { frames } = run([role(), text('<thi'), text('nk>plan</thi'), text('nk>\n\nDone.'), finish('stop'), DONE]);
    expect(assembleMessage(frames).content).toEqual([
      { type: 'thinking', thinking: 'plan', signature: '' },
      { type: 'text', text: 'Done.' },
    ]);
  });

  it('case 84: with reasoning in a field, a <think> block in the content is dropped, as in a whole answer', () => {
    const { frames } = run([
      role(),
      chunk({ reasoning_content: 'plan' }),
      text('<think>plan again</think>'),
      text('Done.'),
      finish('stop'),
      DONE,
    ]);
    expect(assembleMessage(frames).content).toEqual([
      { type: 'thinking', thinking: 'plan', signature: '' },
      { type: 'text', text: 'Done.' },
    ]);
  });

  it('case 85: content_filter → refusal; length in the middle of a tool call → block closed, max_tokens', () => {
    expect(messageDelta(run([text('I can'), finish('content_filter'), DONE]).frames)?.delta).toEqual({
      stop_reason: 'refusal',
      stop_sequence: null,
    });
    const cut = run([tools(call(0, 'c1', 'Write', '{"content":"abc')), finish('length'), DONE]);
    expect(eventTrace(cut.frames)).toEqual([
      'message_start',
      'start:0:tool_use',
      'delta:0:input_json_delta',
      'stop:0',
      'message_delta:max_tokens',
      'message_stop',
    ]);
  });

  it('case 86: Ollama finish "stop" after a tool call → stop_reason tool_use', () => {
    const { frames } = run([tools(call(0, 'call_o', 'get_weather', '{"city":"Paris"}')), finish('stop'), DONE]);
    expect(messageDelta(frames)?.delta).toEqual({ stop_reason: 'tool_use', stop_sequence: null });
  });

  it('case 87: n > 1 → only choice 0 is used', () => {
    const both = (a: string, b: string) => ({
      ...chunk({}),
      choices: [
        { index: 1, delta: { content: b }, finish_reason: null },
        { index: 0, delta: { content: a }, finish_reason: null },
      ],
    });
    const { frames } = run([both('zero', 'one'), both('!', '?'), finish('stop'), DONE]);
    expect(assembleMessage(frames).content).toEqual([{ type: 'text', text: 'zero!' }]);
  });

  it('case 88: every frame has an event line equal to data.type; starts carry text:"" / thinking:"" + signature:""', () => {
    const { frames } = run([
      chunk({ reasoning_content: 'r' }),
      text('t'),
      tools(call(0, 'c', 'f', '{}')),
      finish('tool_calls'),
      DONE,
    ]);
    for (const frame of frames) expect(frame.event).toBe(dataOf(frame).type);
    const starts = frames.map(dataOf).filter((d) => d.type === 'content_block_start');
    expect(starts.map((d) => d.content_block)).toEqual([
      { type: 'thinking', thinking: '', signature: '' },
      { type: 'text', text: '' },
      { type: 'tool_use', id: 'c', name: 'f', input: {} },
    ]);
  });

  it('case 89 (converter side): fail() after content closes the open block and ends with the error; not finished', () => {
    const { converter, frames } = convertData([role(), tools(call(0, 'c1', 'f', '{"a"'))], { end: false });
    const failed = converter.fail(normalizedError('upstream_timeout', 'upstream idle for 120 s'));
    expect(eventTrace(failed)).toEqual(['stop:0', 'error:timeout_error']);
    expect(checkAnthropicStream([...frames, ...failed])).toEqual([]);
    expect(converter.finished).toBe(false);
    expect(converter.upstreamError).toBeUndefined();
    expect(converter.end()).toEqual([]);
  });

  it('case 89 (converter side): a transport failure after the finish chunk completes the message normally', () => {
    const { converter } = convertData([role(), text('done'), finish('stop')], { end: false });
    const tail = converter.fail(normalizedError('upstream_failed', 'socket reset'));
    expect(eventTrace(tail)).toEqual(['message_delta:end_turn', 'message_stop']);
    expect(converter.finished).toBe(true);
  });

  it('case 51: a vLLM stop string → stop_reason stop_sequence with the string', () => {
    const { frames } = run([
      text('x'),
      { ...chunk({}), choices: [{ index: 0, delta: {}, finish_reason: 'stop', stop_reason: 'END' }] },
      DONE,
    ]);
    expect(messageDelta(frames)?.delta).toEqual({ stop_reason: 'stop_sequence', stop_sequence: 'END' });
  });

  it('case 52: a streamed refusal becomes text with stop_reason refusal', () => {
    const { frames } = run([chunk({ refusal: "I can't help with that." }), finish('stop'), DONE]);
    expect(assembleMessage(frames)).toMatchObject({
      content: [{ type: 'text', text: "I can't help with that." }],
      stop_reason: 'refusal',
    });
  });

  it('case 25: a shortened tool name is restored from context.toolNames', () => {
    const context = testContext({ toolNames: { mcp__srv__x_1a2b3c4d: { name: `mcp__srv__${'x'.repeat(70)}` } } });
    const { frames } = convertData([tools(call(0, 'c1', 'mcp__srv__x_1a2b3c4d', '{}')), finish('tool_calls'), DONE], {
      context,
    });
    expect((dataOf(frames[1]).content_block as Record<string, unknown>).name).toBe(`mcp__srv__${'x'.repeat(70)}`);
  });

  it('case 40: tool ids Anthropic would reject are encoded reversibly', () => {
    const { frames } = run([tools(call(0, 'functions.add:0', 'add', '{"a":1}')), finish('tool_calls'), DONE]);
    expect((dataOf(frames[1]).content_block as Record<string, unknown>).id).toBe('toolu_swx_ZnVuY3Rpb25zLmFkZDow');
  });

  it('whitespace content beside tool-call deltas does not cut the open tool block', () => {
    const { frames } = run([
      tools(call(0, 'c1', 'f', '{"a":')),
      text('\n'),
      tools(args(0, '1}')),
      finish('tool_calls'),
      DONE,
    ]);
    expect(assembleMessage(frames).content).toEqual([{ type: 'tool_use', id: 'c1', name: 'f', input: { a: 1 } }]);
  });

  it('case 57: whitespace alone opens no text block (the API refuses one sent back); it joins the text after it', () => {
    const reasoning = (r: string) => chunk({ reasoning_content: r });
    const late = run([text('Hi'), reasoning('r'), text('\n\n'), finish('stop'), DONE]).frames;
    expect(assembleMessage(late).content).toEqual([
      { type: 'text', text: 'Hi' },
      { type: 'thinking', thinking: 'r', signature: '' },
    ]);
    const early = run([role(), text('\n'), text(' \n'), text('Hello'), finish('stop'), DONE]).frames;
    expect(assembleMessage(early).content).toEqual([{ type: 'text', text: '\n \nHello' }]);
    const refusal = run([chunk({ refusal: '  ' }), tools(call(0, 'c1', 'f', '{}')), finish('tool_calls'), DONE]).frames;
    expect(assembleMessage(refusal).content).toEqual([{ type: 'tool_use', id: 'c1', name: 'f', input: {} }]);
  });

  it('known limit: text in the middle of a tool call stops the tool block; later arguments are dropped with a warning', () => {
    const { frames, converter } = convertData([
      tools(call(0, 'c1', 'f', '{"a":')),
      text('interrupting text'),
      tools(args(0, '1}')),
      finish('tool_calls'),
      DONE,
    ]);
    // the event grammar holds; only the (upstream-broken) tool input is incomplete
    expect(checkAnthropicStream(frames)).toEqual(['tool_use block 0: input JSON does not parse: {"a":']);
    expect(eventTrace(frames).slice(0, 6)).toEqual([
      'message_start',
      'start:0:tool_use',
      'delta:0:input_json_delta',
      'stop:0',
      'start:1:text',
      'delta:1:text_delta',
    ]);
    expect(converter.warnings.join('\n')).toMatch(/arguments after its block was closed dropped/);
  });
});
