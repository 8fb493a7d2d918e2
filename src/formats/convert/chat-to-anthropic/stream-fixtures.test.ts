import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SseDecoder } from '../../sse/decode.js';
import type { SseFrame } from '../../sse/types.js';
import type { ConversionContext } from '../types.js';
import { checkChatStream } from './chat-stream-checker.js';
import { includeUsageExtra } from './context.js';
import { AnthropicToChatStream, CUT_STREAM_MESSAGE } from './stream.js';

// Recorded-style Anthropic upstream bodies (protocol-notes §1.3–1.4), also replayed by the HTTP mock upstream.
const FIXTURES = new URL('../../../../test/fixtures/anthropic-streams/', import.meta.url);
const fixture = (name: string): Uint8Array => readFileSync(new URL(name, FIXTURES));

const context: ConversionContext = {
  clientModel: 'gpt-4o',
  toolNames: {},
  stream: true,
  created: 1_750_000_000,
  extra: includeUsageExtra(true),
};

/** Feeds the body as the network would: `size`-byte pieces, UTF-8 decoded in streaming mode, SSE-framed. */
function convert(body: Uint8Array, size: number): { frames: SseFrame[]; stream: AnthropicToChatStream } {
  const text = new TextDecoder('utf-8');
  const sse = new SseDecoder();
  const stream = new AnthropicToChatStream(context);
  const frames: SseFrame[] = [];
  for (let at = 0; at < body.length; at += size) {
    for (const event of sse.feed(text.decode(body.subarray(at, at + size), { stream: true }))) {
      frames.push(...stream.push(event));
    }
  }
  for (const event of [...sse.feed(text.decode()), ...sse.end()]) frames.push(...stream.push(event));
  frames.push(...stream.end());
  return { frames, stream };
}

const SPLITS = [1, 2, 3, 5, 7, 13, 64, 1 << 20];

/** Converts at every split size, asserts they all agree and pass the openai-node checker, returns one. */
function convertAllWays(name: string) {
  const body = fixture(name);
  const [first, ...rest] = SPLITS.map((size) => convert(body, size));
  if (!first) throw new Error('no splits');
  for (const other of rest) expect(other.frames).toEqual(first.frames);
  return { ...first, checked: checkChatStream(first.frames) };
}

const chunkOf =
  (id: string) =>
  (delta: object, finish_reason: string | null = null): SseFrame => ({
    data: {
      id,
      object: 'chat.completion.chunk',
      created: 1_750_000_000,
      model: 'gpt-4o',
      choices: [{ index: 0, delta, finish_reason }],
    },
  });
const usageChunk = (id: string, usage: object): SseFrame => ({
  data: { id, object: 'chat.completion.chunk', created: 1_750_000_000, model: 'gpt-4o', choices: [], usage },
});

describe('Anthropic stream fixtures → Chat chunks (byte-split feeding)', () => {
  it('text.sse: case 137 text, multi-byte UTF-8 split across reads, case 139 usage with cache', () => {
    const id = 'chatcmpl-msg_01XFDUDYJgAACzvnptvVoYEL';
    const chunk = chunkOf(id);
    const { frames, stream, checked } = convertAllWays('text.sse');
    expect(frames).toEqual([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hello' }),
      chunk({ content: ' from café 東京 👋' }),
      chunk({ content: '!' }),
      chunk({}, 'stop'),
      usageChunk(id, {
        prompt_tokens: 2173,
        completion_tokens: 12,
        total_tokens: 2185,
        prompt_tokens_details: { cached_tokens: 2048 },
      }),
      { data: '[DONE]' },
    ]);
    expect(checked).toMatchObject({
      outcome: 'completed',
      choices: [{ message: { content: 'Hello from café 東京 👋!' } }],
    });
    expect(stream.finished).toBe(true);
    expect(stream.usage).toEqual({
      input_tokens: 25,
      output_tokens: 12,
      cache_read_tokens: 2048,
      cache_write_tokens: 100,
    });
  });

  it('thinking-tool-use.sse: case 137 thinking → reasoning_content, signature and ping dropped, tool fragments streamed', () => {
    const id = 'chatcmpl-msg_01Aq9w938a90dw8q';
    const chunk = chunkOf(id);
    const { frames, checked } = convertAllWays('thinking-tool-use.sse');
    expect(frames).toEqual([
      chunk({ role: 'assistant', content: '' }),
      chunk({ reasoning_content: 'The user wants the weather in Paris.' }),
      chunk({ reasoning_content: ' I should call get_weather with the location.' }),
      chunk({
        tool_calls: [
          {
            index: 0,
            id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
            type: 'function',
            function: { name: 'get_weather', arguments: '' },
          },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"location' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '": "Paris, Fr' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'ance", "unit": "celsius"}' } }] }),
      chunk({}, 'tool_calls'),
      usageChunk(id, {
        prompt_tokens: 423,
        completion_tokens: 119,
        total_tokens: 542,
        prompt_tokens_details: { cached_tokens: 0 },
      }),
      { data: '[DONE]' },
    ]);
    expect(checked).toEqual({
      outcome: 'completed',
      id,
      model: 'gpt-4o',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            reasoning_content: 'The user wants the weather in Paris. I should call get_weather with the location.',
            tool_calls: [
              {
                id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"location": "Paris, France", "unit": "celsius"}' },
              },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: {
        prompt_tokens: 423,
        completion_tokens: 119,
        total_tokens: 542,
        prompt_tokens_details: { cached_tokens: 0 },
      },
    });
  });

  it('parallel-tools.sse: case 137 text block 0 then tool blocks 1, 2 → tool_calls index 0, 1', () => {
    const { frames, checked } = convertAllWays('parallel-tools.sse');
    const toolDeltas = frames.flatMap((f) => {
      const data = f.data as { choices?: Array<{ delta: { tool_calls?: unknown[] } }> };
      return data.choices?.[0]?.delta.tool_calls ?? [];
    });
    expect(toolDeltas).toEqual([
      {
        index: 0,
        id: 'toolu_01A09q90qw90lq917835lq9',
        type: 'function',
        function: { name: 'get_weather', arguments: '' },
      },
      { index: 0, function: { arguments: '{"city": "Par' } },
      { index: 0, function: { arguments: 'is"}' } },
      {
        index: 1,
        id: 'toolu_01B7cRw2qv8bXsT4nYpE6mJd',
        type: 'function',
        function: { name: 'get_weather', arguments: '' },
      },
      { index: 1, function: { arguments: '{"city": "Tokyo"}' } },
    ]);
    expect(checked).toMatchObject({
      outcome: 'completed',
      choices: [
        {
          message: {
            content: "I'll check both cities.",
            tool_calls: [
              {
                id: 'toolu_01A09q90qw90lq917835lq9',
                function: { name: 'get_weather', arguments: '{"city": "Paris"}' },
              },
              {
                id: 'toolu_01B7cRw2qv8bXsT4nYpE6mJd',
                function: { name: 'get_weather', arguments: '{"city": "Tokyo"}' },
              },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: {
        prompt_tokens: 1536,
        completion_tokens: 87,
        total_tokens: 1623,
        prompt_tokens_details: { cached_tokens: 1024 },
      },
    });
  });

  it('error-after-start.sse: case 140 overloaded_error after text → one error chunk, no [DONE]', () => {
    const chunk = chunkOf('chatcmpl-msg_01Er8sQm4NcWfTb2LkHy7Gzp');
    const { frames, stream, checked } = convertAllWays('error-after-start.sse');
    expect(frames).toEqual([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Let me think about' }),
      chunk({ content: ' that for a' }),
      {
        data: { error: { message: 'Overloaded', type: 'overloaded_error', param: null, code: 'server_is_overloaded' } },
      },
    ]);
    expect(checked.outcome).toBe('error');
    expect(stream.sawContent).toBe(true);
    expect(stream.upstreamError).toMatchObject({ kind: 'overloaded', upstreamType: 'overloaded_error' });
    expect(stream.finished).toBe(false);
  });

  it('cut.sse: EOF after content_block_stop → error chunk "upstream stream ended before completion"', () => {
    const chunk = chunkOf('chatcmpl-msg_01Ct5vJn2XbQeLr9WsKd3Hfa');
    const { frames, stream, checked } = convertAllWays('cut.sse');
    expect(frames).toEqual([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'The answer is' }),
      chunk({ content: ' forty' }),
      { data: { error: { message: CUT_STREAM_MESSAGE, type: 'api_error', param: null, code: null } } },
    ]);
    expect(checked.outcome).toBe('error');
    expect(stream.finished).toBe(false);
    expect(stream.usage).toEqual({ input_tokens: 64, output_tokens: 1, cache_read_tokens: 0, cache_write_tokens: 0 });
  });
});
