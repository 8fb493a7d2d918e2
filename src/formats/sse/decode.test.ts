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

  it('releases an event whose lines end with a bare CR as soon as its blank line arrives', () => {
    const decoder = new SseDecoder();
    expect(decoder.feed('data: a\r\r')).toEqual([{ event: undefined, data: 'a' }]);
    expect(decoder.feed('data: b\r\r')).toEqual([{ event: undefined, data: 'b' }]);
  });

  it('takes a CRLF split across pieces (an empty piece between them too) as one line end', () => {
    const decoder = new SseDecoder();
    const events = [...decoder.feed('data: a\r'), ...decoder.feed(''), ...decoder.feed('\ndata: b\r\n\r')];
    expect(events).toEqual([{ event: undefined, data: 'a\nb' }]);
    // the LF completes that last CRLF: no second blank line, so the next event is not cut short
    expect([...decoder.feed('\ndata: c\n'), ...decoder.feed('data: d\n\n')]).toEqual([
      { event: undefined, data: 'c\nd' },
    ]);
  });

  it('cut in two anywhere, LF, CRLF and CR line ends give the events the whole text gives', () => {
    const text = 'data: a\r\rdata: b\r\ndata: c\r\n\r\nevent: e\rdata: d\n\r\ndata: f\n\n: c\r\rdata: g\r\n\r';
    const whole = decodeSse(text);
    expect(whole.map((e) => e.data)).toEqual(['a', 'b\nc', 'd', 'f', 'g']);
    for (let cut = 0; cut <= text.length; cut++) {
      const decoder = new SseDecoder();
      const events = [...decoder.feed(text.slice(0, cut)), ...decoder.feed(text.slice(cut)), ...decoder.end()];
      expect(events, `cut at ${cut}`).toEqual(whole);
    }
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
