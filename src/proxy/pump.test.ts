import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PassthroughPump } from './pump.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../test/fixtures', name), 'utf8');

function feed(pump: PassthroughPump, text: string, piece: number): string {
  const bytes = Buffer.from(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += piece) out += pump.chunk(bytes.subarray(i, i + piece)).toString('latin1');
  return out;
}

describe('PassthroughPump', () => {
  it.each([1, 7, 64, 100_000])(
    'Anthropic stream in %i-byte pieces: bytes unchanged; usage, end and signature found',
    (piece) => {
      const text = fixture('anthropic-streams/thinking-tool-use.sse');
      const pump = new PassthroughPump('anthropic_messages');
      expect(Buffer.from(feed(pump, text, piece), 'latin1').equals(Buffer.from(text))).toBe(true);
      expect(pump.end()).toBeUndefined();
      expect(pump.sawContent).toBe(true);
      expect(pump.finished).toBe(true);
      expect(pump.usage).toMatchObject({ input_tokens: 423, output_tokens: 119 });
      expect(pump.signatures).toEqual([expect.stringMatching(/^Eq/)]);
    },
  );

  it.each([1, 2, 3])('multi-byte characters split between %i-byte pieces reach the parser whole', (piece) => {
    const sse = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
    const signature = 'sig-é東京👋';
    const text = [
      sse('message_start', { message: { id: 'msg_1', usage: { input_tokens: 5, output_tokens: 0 } } }),
      sse('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
      sse('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'café 👋' } }),
      sse('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature } }),
      sse('content_block_stop', { index: 0 }),
      sse('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } }),
      sse('message_stop', {}),
    ].join('');
    const pump = new PassthroughPump('anthropic_messages');
    feed(pump, text, piece);
    expect(pump.end()).toBeUndefined();
    expect(pump.signatures).toEqual([signature]);
    expect(pump.usage).toMatchObject({ input_tokens: 5, output_tokens: 9 });
  });

  it.each([5, 100_000])('CRLF line endings are events too (%i-byte pieces)', (piece) => {
    const text = fixture('anthropic-streams/text.sse').replaceAll('\n', '\r\n');
    const pump = new PassthroughPump('anthropic_messages');
    feed(pump, text, piece);
    expect(pump.end()).toBeUndefined();
    expect(pump.finished).toBe(true);
    expect(pump.usage?.output_tokens).toBeGreaterThan(0);
  });

  it('a cut stream ends with an error event in the client format', () => {
    const pump = new PassthroughPump('anthropic_messages');
    feed(pump, fixture('anthropic-streams/cut.sse'), 9);
    expect(pump.end()).toMatch(/^event: error\ndata: \{"type":"error","error":\{"type":"api_error"/);
    const chat = new PassthroughPump('openai_chat');
    feed(chat, fixture('chat-streams/cut-mid-stream.sse'), 9);
    expect(chat.end()).toMatch(/^data: \{"error":\{/);
  });

  it.each([
    ['anthropic_messages', /^\n\nevent: error\ndata: /],
    ['openai_chat', /^\n\ndata: \{"error":/],
    ['openai_responses', /^\n\nevent: response.failed\ndata: /],
  ] as const)('%s: an error after half an event ends that event first, so the two do not join', (format, expected) => {
    const pump = new PassthroughPump(format);
    pump.chunk(Buffer.from('data: {"type":"x"}\n\ndata: {"partial":"hel'));
    const error = { kind: 'unavailable', status: 503, message: 'stopping' } as const;
    const out = pump.fail(error);
    expect(out).toMatch(expected);
    // after whole events only, nothing is added before the error
    const whole = new PassthroughPump(format);
    whole.chunk(Buffer.from('data: {"type":"x"}\n\n'));
    expect(whole.fail(error)).not.toMatch(/^\n/);
  });

  it.each([
    ['openai-parallel-tools', 11],
    ['groq-one-chunk-tool', 11],
    ['openrouter-reasoning-details', 11],
    ['openai-parallel-tools', 100_000],
    ['openrouter-reasoning-details', 100_000],
  ])('Chat stream %s in %i-byte pieces: usage and end found after the content', (name, piece) => {
    const pump = new PassthroughPump('openai_chat');
    feed(pump, fixture(`chat-streams/${name}.sse`), piece);
    expect(pump.end()).toBeUndefined();
    expect(pump.finished).toBe(true);
    expect(pump.usage?.output_tokens).toBeGreaterThan(0);
  });
});

describe('PassthroughPump after the first content (events parsed only at markers)', () => {
  const ev = (name: string | undefined, data: object | string) =>
    `${name ? `event: ${name}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
  const chatText = ev(undefined, {
    choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null }],
    usage: null,
  });

  it.each([
    ['an error event without an "error" key', ev('error', { message: 'over capacity' }), 'error'],
    ['event:error without the space', 'event:error\ndata: {"message":"over capacity"}\n\n', 'error'],
    [
      'a finish with spaces around the colon',
      'data: {"choices":[{"index":0,"delta":{},"finish_reason" : "stop"}]}\n\n',
      'finished',
    ],
    ['a finish after a tab', 'data: {"choices":[{"index":0,"delta":{},"finish_reason":\t"length"}]}\n\n', 'finished'],
  ])('Chat: %s is seen', (_name, late, expected) => {
    const pump = new PassthroughPump('openai_chat');
    pump.chunk(Buffer.from(chatText + chatText + late));
    if (expected === 'error') expect(pump.upstreamError?.message).toContain('over capacity');
    else expect(pump.finished).toBe(true);
  });

  it('Anthropic: an error event at the very start of a chunk, after content, is seen', () => {
    const pump = new PassthroughPump('anthropic_messages');
    const text = (t: string) =>
      ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: t } });
    pump.chunk(
      Buffer.from(
        ev('content_block_start', {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'text', text: '' },
        }) + text('no error here, terror'),
      ),
    );
    expect(pump.upstreamError).toBeUndefined();
    pump.chunk(
      Buffer.from('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"busy"}}\n\n'),
    );
    expect(pump.upstreamError?.message).toContain('busy');
  });

  it('Anthropic: event:error without the space is seen', () => {
    const pump = new PassthroughPump('anthropic_messages');
    const start = ev('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use' },
    });
    pump.chunk(
      Buffer.from(
        `${start}event:error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"busy"}}\n\n`,
      ),
    );
    expect(pump.upstreamError?.message).toContain('busy');
  });

  it('an event longer than 1 MB split across chunks does not hide the events after it', () => {
    const sse = (type: string, data: object) => ev(type, { type, ...data });
    const pump = new PassthroughPump('anthropic_messages');
    const big = sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'x'.repeat(1_200_000) } });
    pump.chunk(
      Buffer.from(
        sse('message_start', { message: { usage: { input_tokens: 1 } } }) +
          sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
          sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'hi' } }),
      ),
    );
    pump.chunk(Buffer.from(big.slice(0, 1_100_000)));
    pump.chunk(
      Buffer.from(
        big.slice(1_100_000) +
          sse('content_block_stop', { index: 0 }) +
          sse('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } }) +
          sse('message_stop', {}),
      ),
    );
    expect(pump.end()).toBeUndefined();
    expect(pump.usage).toMatchObject({ input_tokens: 1, output_tokens: 9 });
  });
});
