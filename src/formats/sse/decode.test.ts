import { describe, expect, it } from 'vitest';
import { decodeSse, SseDecoder } from './decode.js';
import { encodeFrames } from './encode.js';

describe('SseDecoder', () => {
  it('joins events split at any byte and across \\r\\n line endings', () => {
    const text = 'event: message_start\r\ndata: {"a":1}\r\n\r\n: keep-alive\n\ndata: {"b":2}\n\n';
    const decoder = new SseDecoder();
    const events = [];
    for (const ch of text) events.push(...decoder.feed(ch));
    expect(events).toEqual([
      { event: 'message_start', data: '{"a":1}' },
      { event: undefined, data: '{"b":2}' },
    ]);
  });

  it('reports comments to the callback and not as events', () => {
    const comments: string[] = [];
    const decoder = new SseDecoder((c) => comments.push(c));
    expect(decoder.feed(': OPENROUTER PROCESSING\n\ndata: [DONE]\n\n')).toEqual([{ event: undefined, data: '[DONE]' }]);
    expect(comments).toEqual(['OPENROUTER PROCESSING']);
  });

  it('flushes a last event that has no blank line after it', () => {
    const decoder = new SseDecoder();
    expect(decoder.feed('data: {"x":1}\n')).toEqual([]);
    expect(decoder.end()).toEqual([{ event: undefined, data: '{"x":1}' }]);
  });

  it('round-trips what encodeFrames writes', () => {
    const text = encodeFrames([{ event: 'ping', data: { type: 'ping' } }, { data: '[DONE]' }]);
    expect(text).toBe('event: ping\ndata: {"type":"ping"}\n\ndata: [DONE]\n\n');
    expect(decodeSse(text)).toEqual([
      { event: 'ping', data: '{"type":"ping"}' },
      { event: undefined, data: '[DONE]' },
    ]);
  });
});
