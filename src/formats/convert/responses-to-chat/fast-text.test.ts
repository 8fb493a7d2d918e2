import { describe, expect, it } from 'vitest';
import { asParsed, isSerialised, replay, textStreams } from '../../openai-chat/test-support/text-streams.js';
import type { SseEvent } from '../../sse/types.js';
import { chatStreamToResponses } from './stream.js';
import { checkResponsesStream, stableIds } from './stream-checker.js';
import { context } from './test-support/chat-stream.js';

// The text fast lane (text-fast-lane.ts) against the full path: the same events, field for field.

const run = (events: readonly SseEvent[], fastText: boolean) =>
  replay(events, () => chatStreamToResponses(context(), { fastText }));

describe('Chat → Responses: the text fast lane and the full path give the client the same stream', () => {
  it.each(textStreams)('%s', (_name, events) => {
    const fast = run(events, true);
    const full = run(events, false);
    expect(full.fast).toBe(0);
    // the serialised events keep the full path's field order
    const order = ['type', 'sequence_number', 'item_id', 'output_index', 'content_index', 'delta', 'logprobs'];
    for (const f of fast.frames.filter(isSerialised)) expect(Object.keys(JSON.parse(f.data as string))).toEqual(order);
    expect(stableIds(asParsed(fast.frames))).toEqual(stableIds(asParsed(full.frames)));
    expect(() => checkResponsesStream(fast.frames)).not.toThrow();
  });

  it('takes the fast lane for the text events after the first of a message', () => {
    const text = textStreams.find(([name]) => name === 'openai-text.sse')![1];
    expect(run(text, true).fast).toBeGreaterThanOrEqual(3);
  });

  it('a chunk that says `"object": "error"` takes the full path, which fails the response', () => {
    const data = (content: string, object = 'chat.completion.chunk') =>
      `{"id":"c1","object":"${object}","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"${content}"},"finish_reason":null}]}`;
    const events = [data('a'), data('b'), data('c', 'error'), data('d')].map((d) => ({ data: d }));
    const fast = run(events, true);
    expect(fast.fast).toBe(1); // "b" only: "a" opens the message item
    expect(stableIds(asParsed(fast.frames))).toEqual(stableIds(asParsed(run(events, false).frames)));
    expect(checkResponsesStream(fast.frames).types.at(-1)).toBe('response.failed');
  });
});
