import { describe, expect, it } from 'vitest';
import type { SseFrame } from '../../../sse/types.js';
import { checkAnthropicStream } from './anthropic-stream-grammar.js';

const ev = (data: Record<string, unknown>): SseFrame => ({ event: String(data.type), data });
const usage = { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
const start = ev({
  type: 'message_start',
  message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], usage },
});
const textStart = (index: number) =>
  ev({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
const textDelta = (index: number, text = 'x') =>
  ev({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
const stop = (index: number) => ev({ type: 'content_block_stop', index });
const messageDelta = ev({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage });
const messageStop = ev({ type: 'message_stop' });
const valid = [start, textStart(0), textDelta(0), stop(0), messageDelta, messageStop];

describe('checkAnthropicStream (the grammar checker itself)', () => {
  it('accepts a valid stream, with pings, and a stream ending in error', () => {
    expect(checkAnthropicStream(valid)).toEqual([]);
    expect(checkAnthropicStream([start, ev({ type: 'ping' }), ...valid.slice(1)])).toEqual([]);
    const error = ev({ type: 'error', error: { type: 'api_error', message: 'x' } });
    expect(checkAnthropicStream([start, textStart(0), textDelta(0), stop(0), error])).toEqual([]);
  });

  it.each([
    ['a missing event line', [{ data: start.data }, ...valid.slice(1)], /event line/],
    ['a delta before its start', [start, textDelta(0), ...valid.slice(1)], /not open/],
    ['a gap in indices', [start, textStart(1), textDelta(1), stop(1), messageDelta, messageStop], /expected 0/],
    [
      'two open blocks',
      [start, textStart(0), textStart(1), stop(1), stop(0), messageDelta, messageStop],
      /while block 0/,
    ],
    [
      'a thinking delta into a text block',
      [
        start,
        textStart(0),
        ev({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'x' } }),
        stop(0),
        messageDelta,
        messageStop,
      ],
      /thinking_delta into a text block/,
    ],
    ['an empty text block', [start, textStart(0), stop(0), messageDelta, messageStop], /empty text block/],
    [
      'a text start without text:""',
      [
        start,
        ev({ type: 'content_block_start', index: 0, content_block: { type: 'text' } }),
        textDelta(0),
        stop(0),
        messageDelta,
        messageStop,
      ],
      /text:""/,
    ],
    [
      'message_delta without usage',
      [start, ev({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null } }), messageStop],
      /usage missing/,
    ],
    ['no message_stop', valid.slice(0, -1), /without message_stop/],
    ['two message_starts', [start, ...valid], /second message_start/],
    ['events after message_stop', [...valid, textStart(1)], /after message_stop/],
    [
      'message_delta with a block open',
      [start, textStart(0), textDelta(0), messageDelta, messageStop],
      /while block 0 is open/,
    ],
  ] as const)('rejects %s', (_name, frames, pattern) => {
    const errors = checkAnthropicStream(frames);
    expect(errors.join('\n')).toMatch(pattern);
  });
});
