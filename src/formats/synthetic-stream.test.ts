import { describe, expect, it } from 'vitest';
import { anthropicToChat } from './convert/anthropic-to-chat/index.js';
import { chatToAnthropic } from './convert/chat-to-anthropic/index.js';
import { asParsed } from './openai-chat/test-support/text-streams.js';
import { bodyAsStream } from './synthetic-stream.js';

const options = { upstreamModel: 'up', quirks: {}, now: 1 };

/** A whole Chat completion with this message, replayed as a stream through the Chat → Anthropic stream converter. */
function anthropicFramesOf(message: object, finish: string, extra: object = {}) {
  const { context } = anthropicToChat.request(
    { model: 'claude-x', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'hi' }] },
    options,
  );
  const stream = anthropicToChat.stream(context);
  const events = bodyAsStream('openai_chat', {
    id: 'c',
    object: 'chat.completion',
    created: 1,
    model: 'up',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish }],
    ...extra,
  });
  return asParsed([...events!.flatMap((e) => stream.push(e)), ...stream.end()]);
}

describe('case 81: a whole body answered to a stream request, replayed as a stream', () => {
  it('a Chat completion becomes chunks that the Anthropic stream converter turns into a valid message', () => {
    const frames = anthropicFramesOf(
      {
        content: 'Hello',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'Read', arguments: '{"p":1}' } }],
      },
      'tool_calls',
      { usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } },
    );
    expect(frames.map((f) => f.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(frames[5]!.data).toMatchObject({ delta: { type: 'input_json_delta', partial_json: '{"p":1}' } });
    expect(frames[7]!.data).toMatchObject({
      delta: { stop_reason: 'tool_use' },
      usage: { input_tokens: 5, output_tokens: 2 },
    });
  });

  it('an Anthropic message becomes events that the Chat stream converter turns into chunks and [DONE]', () => {
    const { context } = chatToAnthropic.request(
      {
        model: 'gpt',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'hi' }],
      },
      options,
    );
    const stream = chatToAnthropic.stream(context);
    const events = bodyAsStream('anthropic_messages', {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'up',
      content: [
        { type: 'thinking', thinking: 'hmm', signature: 'sig' },
        { type: 'text', text: 'Hi there' },
      ],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 3, output_tokens: 4, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    });
    const frames = [...events!.flatMap((e) => stream.push(e)), ...stream.end()];
    const text = frames.map((f) => (typeof f.data === 'string' ? f.data : JSON.stringify(f.data))).join('\n');
    expect(text).toContain('"content":"Hi there"');
    expect(text).toContain('"reasoning_content":"hmm"');
    expect(text).toContain('"finish_reason":"stop"');
    expect(frames.at(-1)!.data).toBe('[DONE]');
  });

  it('reasoning the message carries twice (OpenRouter: reasoning + reasoning_details) becomes one thinking block', () => {
    const frames = anthropicFramesOf(
      {
        content: 'Answer.',
        reasoning: 'Thinking it over.',
        reasoning_details: [{ type: 'reasoning.text', text: 'Thinking it over.', signature: 'sig-1' }],
      },
      'stop',
    );
    const thinking = frames.filter((f) => (f.data as { delta?: { type?: string } }).delta?.type === 'thinking_delta');
    expect(thinking.map((f) => f.data)).toEqual([
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Thinking it over.' } },
    ]);
    expect(frames).toContainEqual(
      expect.objectContaining({
        data: expect.objectContaining({ delta: { type: 'signature_delta', signature: 'sig-1' } }),
      }),
    );
  });

  it('bodies it cannot rebuild give undefined', () => {
    expect(bodyAsStream('openai_chat', { nope: true })).toBeUndefined();
    expect(bodyAsStream('gemini', {})).toBeUndefined();
  });
});
