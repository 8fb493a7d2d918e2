import { describe, expect, it } from 'vitest';
import type { SseFrame } from '../../sse/types.js';
import { checkResponsesStream } from './stream-checker.js';

const response = (status: string, extra: object = {}) => ({
  id: 'resp_1',
  object: 'response',
  status,
  output: [],
  ...extra,
});
const USAGE = {
  input_tokens: 1,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: 1,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 2,
};
const MESSAGE = {
  type: 'message',
  id: 'msg_1',
  role: 'assistant',
  status: 'completed',
  content: [{ type: 'output_text', text: 'hi', annotations: [] }],
};

/** A valid text stream, as `[type, fields]`; tests break one thing at a time. */
function valid(): Array<[string, Record<string, unknown>]> {
  const ids = { item_id: 'msg_1', output_index: 0, content_index: 0 };
  return [
    ['response.created', { response: response('in_progress') }],
    ['response.in_progress', { response: response('in_progress') }],
    ['response.output_item.added', { output_index: 0, item: { ...MESSAGE, status: 'in_progress', content: [] } }],
    ['response.content_part.added', { ...ids, part: { type: 'output_text', text: '', annotations: [] } }],
    ['response.output_text.delta', { ...ids, delta: 'hi' }],
    ['response.output_text.done', { ...ids, text: 'hi' }],
    ['response.content_part.done', { ...ids, part: { type: 'output_text', text: 'hi', annotations: [] } }],
    ['response.output_item.done', { output_index: 0, item: MESSAGE }],
    ['response.completed', { response: response('completed', { output: [MESSAGE], usage: USAGE }) }],
  ];
}
const frames = (list: Array<[string, Record<string, unknown>]>): SseFrame[] =>
  list.map(([type, fields], i) => ({ event: type, data: { type, sequence_number: i, ...fields } }));

describe('checkResponsesStream', () => {
  it('accepts a valid stream and returns the done items', () => {
    expect(checkResponsesStream(frames(valid())).doneItems).toEqual([MESSAGE]);
  });

  it.each<[string, (list: Array<[string, Record<string, unknown>]>) => void, RegExp]>([
    ['a missing event line', () => {}, /event line/],
    ['no response.created first', (l) => l.shift(), /first event must be response.created/],
    ['a delta before its part was added', (l) => l.splice(3, 1), /missing content at index 0/],
    ['a delta for an item never added', (l) => l.splice(2, 1), /missing output at index 0/],
    [
      'a done text differing from the deltas',
      (l) => {
        l[5] = ['response.output_text.done', { item_id: 'msg_1', output_index: 0, content_index: 0, text: 'h' }];
      },
      /differs from the deltas/,
    ],
    ['an item never done', (l) => l.splice(7, 1), /never done/],
    ['no terminal event', (l) => l.pop(), /stream closed before response.completed/],
    [
      'non-integer usage',
      (l) => {
        l[8] = [
          'response.completed',
          { response: response('completed', { output: [MESSAGE], usage: { ...USAGE, total_tokens: 1.5 } }) },
        ];
      },
      /integers/,
    ],
    [
      'a changed response id',
      (l) => {
        l[8] = [
          'response.completed',
          { response: { ...response('completed', { output: [MESSAGE], usage: USAGE }), id: 'resp_2' } },
        ];
      },
      /response id/,
    ],
    [
      'a top-level error key',
      (l) => {
        l[1] = ['response.in_progress', { response: response('in_progress'), error: null }];
      },
      /top-level "error"/,
    ],
  ])('rejects %s', (name, breakIt, message) => {
    const list = valid();
    breakIt(list);
    const built = frames(list);
    if (name === 'a missing event line') delete built[2]?.event;
    expect(() => checkResponsesStream(built)).toThrow(message);
  });

  it('rejects sequence numbers that do not increase from 0', () => {
    const built = frames(valid());
    (built[3]?.data as { sequence_number: number }).sequence_number = 9;
    expect(() => checkResponsesStream(built)).toThrow(/sequence_number 9, expected 3/);
  });
});
