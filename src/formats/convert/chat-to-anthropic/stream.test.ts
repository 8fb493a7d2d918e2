import { describe, expect, it } from 'vitest';
import { normalizedError } from '../../errors/error-kinds.js';
import type { SseEvent, SseFrame } from '../../sse/types.js';
import type { ConversionContext } from '../types.js';
import { checkChatStream } from './chat-stream-checker.js';
import { includeUsageExtra } from './context.js';
import { AnthropicToChatStream, CUT_STREAM_MESSAGE } from './stream.js';

const context = (includeUsage = true): ConversionContext => ({
  clientModel: 'gpt-4o',
  toolNames: {},
  stream: true,
  created: 1_750_000_000,
  extra: includeUsageExtra(includeUsage),
});

const ev = (data: { type: string } & Record<string, unknown>): SseEvent => ({
  event: data.type,
  data: JSON.stringify(data),
});
const usage = { input_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 };
const messageStart = ev({
  type: 'message_start',
  message: {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage,
  },
});
const textStart = (index: number) =>
  ev({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
const textDelta = (index: number, text: string) =>
  ev({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
const toolStart = (index: number, id: string, name: string) =>
  ev({ type: 'content_block_start', index, content_block: { type: 'tool_use', id, name, input: {} } });
const jsonDelta = (index: number, partial_json: string) =>
  ev({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } });
const blockStop = (index: number) => ev({ type: 'content_block_stop', index });
const messageDelta = (stop_reason: string, output_tokens: number) =>
  ev({ type: 'message_delta', delta: { stop_reason, stop_sequence: null }, usage: { output_tokens } });
const messageStop = ev({ type: 'message_stop' });
const ping = ev({ type: 'ping' });

const base = { id: 'chatcmpl-msg_1', object: 'chat.completion.chunk', created: 1_750_000_000, model: 'gpt-4o' };
const chunk = (delta: object, finish_reason: string | null = null): SseFrame => ({
  data: { ...base, choices: [{ index: 0, delta, finish_reason }] },
});
const roleChunk = chunk({ role: 'assistant', content: '' });
const DONE: SseFrame = { data: '[DONE]' };

function run(events: SseEvent[], ctx = context(), finish: 'end' | 'none' = 'end') {
  const stream = new AnthropicToChatStream(ctx);
  const frames = events.flatMap((e) => stream.push(e));
  if (finish === 'end') frames.push(...stream.end());
  // Every finished stream must pass what openai-node's ChatCompletionStream would accept.
  const checked = finish === 'end' ? checkChatStream(frames) : undefined;
  return { stream, frames, checked };
}

describe('AnthropicToChatStream', () => {
  it('case 137: message_start → role chunk; text_delta → content; message_delta → finish; usage chunk; [DONE]', () => {
    const { stream, frames } = run([
      messageStart,
      textStart(0),
      ping,
      textDelta(0, 'Hel'),
      textDelta(0, 'lo'),
      blockStop(0),
      messageDelta('end_turn', 5),
      messageStop,
    ]);
    expect(frames).toEqual([
      roleChunk,
      chunk({ content: 'Hel' }),
      chunk({ content: 'lo' }),
      chunk({}, 'stop'),
      {
        data: {
          ...base,
          choices: [],
          usage: {
            prompt_tokens: 10,
            completion_tokens: 5,
            total_tokens: 15,
            prompt_tokens_details: { cached_tokens: 0 },
          },
        },
      },
      DONE,
    ]);
    expect(stream.finished).toBe(true);
    expect(stream.upstreamError).toBeUndefined();
    expect(stream.usage).toEqual({ input_tokens: 10, output_tokens: 5, cache_read_tokens: 0, cache_write_tokens: 0 });
    expect(checkChatStream(frames)).toMatchObject({
      outcome: 'completed',
      choices: [{ message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }],
    });
  });

  it('case 137: tool_use start → tool_calls delta with index counting tools only', () => {
    const { frames } = run([
      messageStart,
      textStart(0),
      textDelta(0, 'Checking.'),
      blockStop(0),
      toolStart(1, 'toolu_A', 'get_weather'),
      jsonDelta(1, ''),
      jsonDelta(1, '{"city":'),
      jsonDelta(1, '"Paris"}'),
      blockStop(1),
      toolStart(2, 'toolu_B', 'get_time'),
      jsonDelta(2, '{}'),
      blockStop(2),
      messageDelta('tool_use', 40),
      messageStop,
    ]);
    expect(frames).toEqual([
      roleChunk,
      chunk({ content: 'Checking.' }),
      chunk({
        tool_calls: [{ index: 0, id: 'toolu_A', type: 'function', function: { name: 'get_weather', arguments: '' } }],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      chunk({
        tool_calls: [{ index: 1, id: 'toolu_B', type: 'function', function: { name: 'get_time', arguments: '' } }],
      }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: '{}' } }] }),
      chunk({}, 'tool_calls'),
      expect.objectContaining({ data: expect.objectContaining({ choices: [] }) }),
      DONE,
    ]);
    expect(checkChatStream(frames)).toMatchObject({
      outcome: 'completed',
      choices: [
        {
          message: {
            content: 'Checking.',
            tool_calls: [
              { id: 'toolu_A', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
              { id: 'toolu_B', type: 'function', function: { name: 'get_time', arguments: '{}' } },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
    });
  });

  it('case 137: thinking_delta → reasoning_content; signature_delta is not shown', () => {
    const { frames } = run(
      [
        messageStart,
        ev({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
        ev({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Hmm.' } }),
        ev({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQB' } }),
        blockStop(0),
        textStart(1),
        textDelta(1, 'Yes.'),
        blockStop(1),
        messageDelta('end_turn', 9),
        messageStop,
      ],
      context(false),
    );
    expect(frames).toEqual([
      roleChunk,
      chunk({ reasoning_content: 'Hmm.' }),
      chunk({ content: 'Yes.' }),
      chunk({}, 'stop'),
      DONE,
    ]);
    checkChatStream(frames);
  });

  it('without include_usage there is no usage chunk, but usage is still known for the log', () => {
    const { stream, frames } = run(
      [messageStart, textStart(0), textDelta(0, 'x'), messageDelta('max_tokens', 3), messageStop],
      context(false),
    );
    expect(frames).toEqual([roleChunk, chunk({ content: 'x' }), chunk({}, 'length'), DONE]);
    expect(stream.usage).toEqual({ input_tokens: 10, output_tokens: 3, cache_read_tokens: 0, cache_write_tokens: 0 });
    checkChatStream(frames);
  });

  it('sawContent: false after message_start alone (failover still possible), true on the first delta', () => {
    const stream = new AnthropicToChatStream(context());
    const frames = stream.push(messageStart);
    expect(frames).toEqual([roleChunk]);
    frames.push(...stream.push(textStart(0)), ...stream.push(ping));
    expect(stream.sawContent).toBe(false);
    frames.push(...stream.push(textDelta(0, 'a')));
    expect(stream.sawContent).toBe(true);
    frames.push(...stream.push(messageDelta('end_turn', 1)), ...stream.push(messageStop));
    checkChatStream(frames);

    const tools = new AnthropicToChatStream(context());
    const toolFrames = [...tools.push(messageStart), ...tools.push(toolStart(0, 'toolu_1', 'f'))];
    expect(tools.sawContent).toBe(true);
    toolFrames.push(...tools.push(messageStop));
    expect(checkChatStream(toolFrames)).toMatchObject({ choices: [{ finish_reason: 'tool_calls' }] });
  });

  it('case 140: event: error mid-stream → one {"error"} chunk, upstreamError set, stream over', () => {
    const stream = new AnthropicToChatStream(context());
    const frames = [messageStart, textStart(0), textDelta(0, 'par')].flatMap((e) => stream.push(e));
    const error = stream.push({
      event: 'error',
      data: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
    });
    expect(error).toEqual([
      {
        data: { error: { message: 'Overloaded', type: 'overloaded_error', param: null, code: 'server_is_overloaded' } },
      },
    ]);
    expect(stream.upstreamError).toMatchObject({ kind: 'overloaded', message: 'Overloaded' });
    expect(stream.finished).toBe(false);
    expect(stream.push(textDelta(0, 'more'))).toEqual([]);
    expect(stream.end()).toEqual([]);
    expect(checkChatStream([...frames, ...error])).toMatchObject({
      outcome: 'error',
      error: { type: 'overloaded_error' },
    });
  });

  it('case 140: an error before any content leaves sawContent false (the proxy may still fail over)', () => {
    const stream = new AnthropicToChatStream(context());
    const frames = stream.push(ev({ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }));
    expect(frames).toEqual([
      { data: { error: { message: 'slow down', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' } } },
    ]);
    expect(stream.sawContent).toBe(false);
    expect(stream.upstreamError?.kind).toBe('rate_limited');
    expect(checkChatStream(frames)).toMatchObject({ outcome: 'error', error: { message: 'slow down' } });
  });

  it('EOF without message_stop → error chunk "upstream stream ended before completion", never a clean end', () => {
    const { stream, frames } = run([messageStart, textStart(0), textDelta(0, 'The answer is'), blockStop(0)]);
    expect(frames.at(-1)).toEqual({
      data: { error: { message: CUT_STREAM_MESSAGE, type: 'api_error', param: null, code: null } },
    });
    expect(stream.finished).toBe(false);
    expect(stream.upstreamError).toEqual({ kind: 'upstream_failed', status: 502, message: CUT_STREAM_MESSAGE });
    expect(checkChatStream(frames)).toMatchObject({ outcome: 'error' });
  });

  it('EOF after message_delta but before message_stop is still a cut (no [DONE])', () => {
    const { frames } = run([messageStart, textStart(0), textDelta(0, 'x'), messageDelta('end_turn', 2)]);
    expect(frames.at(-2)).toEqual(chunk({}, 'stop'));
    expect(frames.at(-1)).toMatchObject({ data: { error: { message: CUT_STREAM_MESSAGE } } });
  });

  it('an empty upstream body → the same error chunk', () => {
    const { stream, frames } = run([]);
    expect(frames).toEqual([
      { data: { error: { message: CUT_STREAM_MESSAGE, type: 'api_error', param: null, code: null } } },
    ]);
    expect(stream.sawContent).toBe(false);
  });

  it('fail(err) → error chunk; after the normal end it adds nothing', () => {
    const stream = new AnthropicToChatStream(context());
    const started = stream.push(messageStart);
    const failed = stream.fail(normalizedError('upstream_timeout', 'upstream idle for 300 s'));
    expect(failed).toEqual([
      { data: { error: { message: 'upstream idle for 300 s', type: 'timeout_error', param: null, code: 'timeout' } } },
    ]);
    expect(stream.upstreamError).toBeUndefined(); // the proxy owns transport errors
    expect(stream.end()).toEqual([]);
    expect(checkChatStream([...started, ...failed])).toMatchObject({ outcome: 'error' });

    const { stream: done, frames } = run(
      [messageStart, messageDelta('end_turn', 1), messageStop],
      context(false),
      'none',
    );
    checkChatStream(frames);
    expect(done.fail(normalizedError('upstream_timeout', 'late'))).toEqual([]);
    expect(done.end()).toEqual([]);
  });

  it('a tool without parameters (only an empty partial_json, as the real API streams it) gets arguments "{}"', () => {
    const { frames } = run([
      messageStart,
      toolStart(0, 'toolu_A', 'list_files'),
      jsonDelta(0, ''),
      blockStop(0),
      toolStart(1, 'toolu_B', 'read'),
      jsonDelta(1, '{"path":"a"}'),
      blockStop(1),
      messageDelta('tool_use', 9),
      messageStop,
    ]);
    expect(frames).toContainEqual(chunk({ tool_calls: [{ index: 0, function: { arguments: '{}' } }] }));
    expect(checkChatStream(frames)).toMatchObject({
      outcome: 'completed',
      choices: [
        {
          message: { tool_calls: [{ function: { arguments: '{}' } }, { function: { arguments: '{"path":"a"}' } }] },
          finish_reason: 'tool_calls',
        },
      ],
    });
  });

  it('message_stop without message_delta still sends a finish chunk; a second message_delta sends none', () => {
    const { frames } = run([messageStart, toolStart(0, 'toolu_1', 'f'), messageStop], context(false));
    expect(frames).toEqual([
      roleChunk,
      chunk({ tool_calls: [{ index: 0, id: 'toolu_1', type: 'function', function: { name: 'f', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{}' } }] }), // the block never stopped
      chunk({}, 'tool_calls'),
      DONE,
    ]);
    const twice = run(
      [messageStart, messageDelta('end_turn', 1), messageDelta('end_turn', 2), messageStop],
      context(false),
    );
    expect(twice.frames).toEqual([roleChunk, chunk({}, 'stop'), DONE]);
    expect(twice.stream.usage?.output_tokens).toBe(2);
  });

  it('malformed data lines, unknown events and events after message_stop are skipped', () => {
    const { frames } = run(
      [
        messageStart,
        { event: 'content_block_delta', data: '{bad json' },
        ev({ type: 'future_event', x: 1 }),
        textStart(0),
        textDelta(0, 'ok'),
        messageDelta('end_turn', 1),
        messageStop,
        textDelta(0, 'late'),
        messageStop,
      ],
      context(false),
    );
    expect(frames).toEqual([roleChunk, chunk({ content: 'ok' }), chunk({}, 'stop'), DONE]);
  });

  it('a compatible server that skips message_start still gets a role chunk first', () => {
    const { frames } = run(
      [textStart(0), textDelta(0, 'hi'), messageDelta('end_turn', 1), messageStop],
      context(false),
    );
    const first = frames[0]?.data as { id: string; choices: unknown[] };
    expect(first.id).toMatch(/^chatcmpl-[A-Za-z0-9]{24}$/);
    expect(first.choices).toEqual([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
    checkChatStream(frames);
  });

  it('a compatible server that sends the whole tool input in content_block_start keeps the arguments', () => {
    const { frames } = run(
      [
        messageStart,
        ev({
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: 1 } },
        }),
        jsonDelta(7, '{"lost":'), // unknown block index: cannot be attributed, dropped
        blockStop(0),
        messageDelta('tool_use', 1),
        messageStop,
      ],
      context(false),
    );
    expect(checkChatStream(frames)).toMatchObject({
      choices: [{ message: { tool_calls: [{ id: 'toolu_1', function: { name: 'f', arguments: '{"a":1}' } }] } }],
    });
  });
});
