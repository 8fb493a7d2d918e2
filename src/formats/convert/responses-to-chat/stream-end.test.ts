// Chat stream → Responses stream: usage, how the upstream ends, upstream quirks, proxy flags.
import { describe, expect, it } from 'vitest';
import { normalizedError } from '../../errors/error-kinds.js';
import { responsesToChat } from './index.js';
import { checkResponsesStream, stableIds } from './stream-checker.js';
import {
  chunk,
  chunkData,
  context,
  DONE,
  response,
  run,
  USAGE,
  usage,
  usageChunk,
} from './test-support/chat-stream.js';

describe('case 119: usage', () => {
  const text = chunk({ content: 'hi' });
  it.each([
    ['in a choices:[] chunk after the finish', text + chunk({}, 'stop') + usageChunk(USAGE) + DONE, usage(12, 5)],
    ['on the finish chunk (OpenRouter, GLM)', text + chunk({}, 'stop', { usage: USAGE }) + DONE, usage(12, 5)],
    [
      'repeated (Groq: finish chunk, then choices:[]) → last wins',
      text + chunk({}, 'stop', { usage: { prompt_tokens: 1, completion_tokens: 1 } }) + usageChunk(USAGE) + DONE,
      usage(12, 5),
    ],
    ['absent → zeros', text + chunk({}, 'stop') + DONE, usage(0, 0)],
    [
      'with cache and reasoning details',
      text +
        chunk({}, 'stop') +
        usageChunk({
          prompt_tokens: 100,
          completion_tokens: 30,
          total_tokens: 130,
          prompt_tokens_details: { cached_tokens: 80 },
          completion_tokens_details: { reasoning_tokens: 20 },
        }) +
        DONE,
      usage(100, 30, 80, 20),
    ],
    [
      'DeepSeek prompt_cache_hit_tokens, in a chunk with choices:null',
      `${text + chunk({}, 'stop')}data: {"choices":null,"usage":{"prompt_tokens":50,"completion_tokens":5,"total_tokens":55,"prompt_cache_hit_tokens":40}}\n\n${DONE}`,
      usage(50, 5, 40),
    ],
  ])('%s', (_name, sse, expected) => {
    const { stream } = run(sse);
    expect(stream.response.usage).toEqual(expected);
  });

  it('is reported to the access log with cache reads split out', () => {
    const sse =
      text + chunk({}, 'stop') + usageChunk({ ...USAGE, prompt_tokens_details: { cached_tokens: 10 } }) + DONE;
    expect(run(sse).converter.usage).toEqual({
      input_tokens: 2,
      output_tokens: 5,
      cache_read_tokens: 10,
      cache_write_tokens: 0,
    });
  });
});

describe('case 120: how the upstream ends', () => {
  it('[DONE] without a finish_reason → response.completed', () => {
    const { stream } = run(chunk({ content: 'hi' }) + DONE);
    expect(stream.response.status).toBe('completed');
  });

  it('EOF after a finish_reason but without [DONE] → response.completed', () => {
    const { stream, converter } = run(chunk({ content: 'hi' }, 'stop', { usage: USAGE }));
    expect(stream.response).toMatchObject({ status: 'completed', usage: usage(12, 5) });
    expect(converter.finished).toBe(true);
  });

  it('finish_reason "length" in the middle of a tool call: the unfinished call gets no .done and is listed incomplete', () => {
    const call = { index: 0, id: 'call_1', type: 'function', function: { name: 'shell', arguments: '' } };
    const sse =
      chunk({ content: 'Writing it.' }) +
      chunk({ tool_calls: [call] }) +
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"cmd":"cat > big.txt <<EOF\nli' } }] }) +
      chunk({}, 'length') +
      DONE;
    const { frames, stream } = run(sse);
    expect(stream.response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    });
    const done = frames
      .filter((f) => f.event === 'response.output_item.done')
      .map((f) => (f.data as { item: { type: string } }).item.type);
    expect(done).toEqual(['message']); // Codex acts on done items only: it neither runs nor sends back the cut call
    expect(frames.map((f) => f.event)).not.toContain('response.function_call_arguments.done');
    expect(stream.response.output.map((i: { type: string; status?: string }) => [i.type, i.status])).toEqual([
      ['message', 'completed'],
      ['function_call', 'incomplete'],
    ]);

    // a call whose arguments were complete when the limit hit is a call like any other
    const whole = run(
      chunk({ tool_calls: [{ ...call, function: { name: 'shell', arguments: '{"cmd":"ls"}' } }] }) +
        chunk({}, 'length') +
        DONE,
    );
    expect(whole.stream.doneItems).toEqual([expect.objectContaining({ type: 'function_call', status: 'completed' })]);
  });

  it('finish_reason "length" in the middle of a custom tool call (apply_patch): no input .done, listed incomplete', () => {
    const ctx = context({ toolNames: { apply_patch: { name: 'apply_patch', kind: 'custom' } } });
    const call = { index: 0, id: 'call_P', type: 'function', function: { name: 'apply_patch', arguments: '' } };
    const sse =
      chunk({ tool_calls: [call] }) +
      chunk({
        tool_calls: [{ index: 0, function: { arguments: '{"input":"*** Begin Patch\\n*** Add File: big.txt\\n+li' } }],
      }) +
      chunk({}, 'length') +
      DONE;
    const { frames, stream } = run(sse, ctx);
    expect(stream.response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    });
    const events = frames.map((f) => f.event);
    expect(events).not.toContain('response.custom_tool_call_input.done');
    expect(events).not.toContain('response.output_item.done');
    expect(stream.response.output).toEqual([
      expect.objectContaining({ type: 'custom_tool_call', status: 'incomplete' }),
    ]);
  });

  it('whitespace content between fragments of a call does not close it: the call is done whole', () => {
    const call = { index: 0, id: 'call_1', type: 'function', function: { name: 'shell', arguments: '{"cmd":' } };
    const sse =
      chunk({ tool_calls: [call] }) +
      chunk({ content: '\n' }) +
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"ls"}' } }] }) +
      chunk({}, 'tool_calls') +
      DONE;
    const { frames, stream } = run(sse);
    const done = frames.find((f) => f.event === 'response.function_call_arguments.done')?.data as { arguments: string };
    expect(done.arguments).toBe('{"cmd":"ls"}');
    expect(stream.response.output).toEqual([
      expect.objectContaining({ type: 'function_call', status: 'completed', arguments: '{"cmd":"ls"}' }),
    ]);
  });

  it('EOF without finish or [DONE] → response.failed (server_error), open item not marked done', () => {
    const { frames, converter } = run(chunk({ content: 'cut o' }));
    const failed = frames.at(-1)?.data as { type: string; response: Record<string, unknown> };
    expect(failed.type).toBe('response.failed');
    expect(failed.response).toMatchObject({
      status: 'failed',
      error: { code: 'server_error', message: expect.stringContaining('ended before completion') },
      output: [{ type: 'message', status: 'incomplete', content: [{ type: 'output_text', text: 'cut o' }] }],
    });
    expect(frames.map((f) => f.event)).not.toContain('response.output_item.done');
    expect(converter.finished).toBe(false);
    expect(converter.upstreamError).toBeUndefined();
  });

  it('case 99: a mid-stream error chunk → response.failed with a Codex code; upstreamError set', () => {
    const error = {
      error: { message: 'Rate limit reached. Please try again in 20s.', type: 'rate_limit', code: 429 },
    };
    const { frames, converter } = run(`${chunk({ content: 'a' })}data: ${JSON.stringify(error)}\n\n`);
    const failed = stableIds(frames.at(-1));
    expect(failed).toEqual({
      event: 'response.failed',
      data: {
        type: 'response.failed',
        sequence_number: 5,
        response: response({
          status: 'failed',
          output: [
            {
              type: 'message',
              id: 'msg_1',
              role: 'assistant',
              status: 'incomplete',
              content: [{ type: 'output_text', text: 'a', annotations: [] }],
            },
          ],
          error: { code: 'rate_limit_exceeded', message: 'Rate limit reached. Please try again in 20s.' },
        }),
      },
    });
    expect(converter.upstreamError).toMatchObject({ kind: 'rate_limited', status: 429 });
    expect(converter.sawContent).toBe(true);
    expect(converter.end()).toEqual([]); // nothing after the terminal event
  });

  it('case 99: an error before any content leaves sawContent false (failover is still possible)', () => {
    const { converter, frames } = run('data: {"error":{"message":"overloaded","code":503}}\n\n');
    expect(frames.map((f) => f.event)).toEqual(['response.created', 'response.in_progress', 'response.failed']);
    expect(converter.sawContent).toBe(false);
    expect(converter.upstreamError).toMatchObject({ status: 503 });
  });

  it('finish_reason "error" without an error object (OpenRouter) → response.failed, not completed', () => {
    const { stream, converter } = run(chunk({ content: 'half' }) + chunk({}, 'error') + DONE);
    expect(stream.response).toMatchObject({ status: 'failed', error: { code: 'server_error' } });
    expect(converter.upstreamError).toMatchObject({ kind: 'upstream_failed' });
  });

  it('fail(err) from the transport → response.failed with that error', () => {
    const converter = responsesToChat.stream(context());
    const frames = [
      ...converter.push({ data: chunkData({ content: 'x' }) }),
      ...converter.fail(normalizedError('upstream_timeout', 'upstream body timeout after 300 s')),
    ];
    const { response: failed } = checkResponsesStream(frames);
    expect(failed.error).toEqual({ code: 'server_error', message: 'upstream body timeout after 300 s' });
    expect(converter.fail(normalizedError('api_error', 'again'))).toEqual([]);
  });

  it('an empty upstream body → created, in_progress, failed', () => {
    expect(run('').stream.types).toEqual(['response.created', 'response.in_progress', 'response.failed']);
  });
});

describe('upstream quirks (protocol-notes §2.5)', () => {
  it('comments, role-only chunks, content:"" on every chunk, empty and null choices are ignored', () => {
    const sse =
      ': OPENROUTER PROCESSING\n\n' +
      chunk({ role: 'assistant', content: '' }) +
      'data: {"id":"x","choices":[]}\n\n' +
      'data: {"id":"x","choices":null}\n\n' +
      chunk({ role: 'assistant', content: 'hi' }) +
      chunk({ role: 'assistant', content: '' }, 'stop') +
      DONE;
    const { stream } = run(sse);
    expect(stream.types.filter((t) => t === 'response.output_text.delta')).toHaveLength(1);
    expect(stream.response.output).toHaveLength(1);
  });

  it('content and finish_reason in one chunk → the text is not lost (case 71)', () => {
    const { stream } = run(chunk({ content: 'all at once' }, 'stop') + DONE);
    expect(stream.doneItems[0]).toMatchObject({ content: [{ text: 'all at once' }] });
  });

  it('duplicate finish chunks (OpenRouter, GLM) → one set of done events, one terminal event (case 75)', () => {
    const { stream } = run(chunk({ content: 'hi' }) + chunk({}, 'stop') + chunk({}, 'stop', { usage: USAGE }) + DONE);
    expect(stream.types.filter((t) => t === 'response.output_item.done')).toHaveLength(1);
    expect(stream.response.usage).toEqual(usage(12, 5));
  });

  it('a malformed data line is skipped (case 83)', () => {
    const { stream } = run(`${chunk({ content: 'a' })}data: {bad json\n\n${chunk({ content: 'b' }, 'stop')}${DONE}`);
    expect(stream.doneItems[0]).toMatchObject({ content: [{ text: 'ab' }] });
  });

  it('n>1: only choice 0 is used (case 87)', () => {
    const two = `data: ${JSON.stringify({
      choices: [
        { index: 1, delta: { content: 'B' } },
        { index: 0, delta: { content: 'A' } },
      ],
    })}\n\n`;
    const { stream } = run(two + chunk({}, 'stop') + DONE);
    expect(stream.doneItems[0]).toMatchObject({ content: [{ text: 'A' }] });
  });

  it('tool name arriving after the first fragments → the item waits for it', () => {
    const sse =
      chunk({ tool_calls: [{ index: 0, id: 'call_A', function: { arguments: '{"a"' } }] }) +
      chunk({ tool_calls: [{ index: 0, function: { name: 'late', arguments: ':1}' } }] }) +
      chunk({}, 'tool_calls') +
      DONE;
    const { stream } = run(sse);
    expect(stream.doneItems[0]).toMatchObject({ name: 'late', arguments: '{"a":1}' });
    expect(stream.types[2]).toBe('response.output_item.added');
  });

  it('tool calls without index, and every call numbered 0 with its own id → separate items', () => {
    const sse =
      chunk({ tool_calls: [{ id: 'call_A', type: 'function', function: { name: 'a', arguments: '{}' } }] }) +
      chunk({
        tool_calls: [{ index: 0, id: 'call_B', type: 'function', function: { name: 'b', arguments: '{}' } }],
      }) +
      chunk({}, 'tool_calls') +
      DONE;
    const { stream } = run(sse);
    expect(stream.doneItems.map((item) => [item.call_id, item.name])).toEqual([
      ['call_A', 'a'],
      ['call_B', 'b'],
    ]);
  });

  it('an id arriving after the item was added (with a generated id) stays on the same call', () => {
    const sse =
      chunk({ tool_calls: [{ index: 0, type: 'function', function: { name: 'a', arguments: '{"x"' } }] }) +
      chunk({ tool_calls: [{ index: 0, id: 'call_late', function: { arguments: ':1}' } }] }) +
      chunk({}, 'tool_calls') +
      DONE;
    const { stream } = run(sse);
    expect(stream.doneItems).toHaveLength(1);
    expect(stream.doneItems[0]).toMatchObject({
      call_id: expect.stringMatching(/^call_[A-Za-z0-9]{24}$/),
      arguments: '{"x":1}',
    });
  });

  it('arguments sent as an object (some servers) are serialised', () => {
    const call = { index: 0, id: 'call_A', type: 'function', function: { name: 'a', arguments: { x: 1 } } };
    const { stream } = run(chunk({ tool_calls: [call] }, 'tool_calls') + DONE);
    expect(stream.doneItems[0]).toMatchObject({ arguments: '{"x":1}' });
  });

  it('text after a tool call starts a new message item after it', () => {
    const call = { index: 0, id: 'call_A', type: 'function', function: { name: 'a', arguments: '{}' } };
    const { stream } = run(chunk({ tool_calls: [call] }) + chunk({ content: 'then text' }) + chunk({}, 'stop') + DONE);
    expect(stream.response.output.map((item) => item.type)).toEqual(['function_call', 'message']);
  });

  it('nothing is emitted after [DONE]', () => {
    const converter = responsesToChat.stream(context());
    converter.push({ data: '[DONE]' });
    expect(converter.push({ data: chunkData({ content: 'late' }) })).toEqual([]);
    expect(converter.end()).toEqual([]);
  });
});

describe('flags the proxy reads', () => {
  it('sawContent: false for response.created/in_progress alone, true after the first delta', () => {
    const converter = responsesToChat.stream(context());
    const started = converter.push({ data: chunkData({ role: 'assistant', content: '' }) });
    expect(started.map((f) => f.event)).toEqual(['response.created', 'response.in_progress']);
    expect(converter.sawContent).toBe(false);
    converter.push({ data: chunkData({ content: 'x' }) });
    expect(converter.sawContent).toBe(true);
  });

  it('sawContent: true once a tool item is added, before any argument', () => {
    const converter = responsesToChat.stream(context());
    converter.push({ data: chunkData({ tool_calls: [{ index: 0, id: 'c', function: { name: 'f' } }] }) });
    expect(converter.sawContent).toBe(true);
  });

  it('finished: only after response.completed / incomplete', () => {
    const converter = responsesToChat.stream(context());
    converter.push({ data: chunkData({ content: 'x' }, 'stop') });
    expect(converter.finished).toBe(false); // usage may still follow
    converter.push({ data: '[DONE]' });
    expect(converter.finished).toBe(true);
  });
});
