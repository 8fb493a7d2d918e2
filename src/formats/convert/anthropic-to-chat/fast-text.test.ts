import { describe, expect, it } from 'vitest';
import { replay, textStreams } from '../../openai-chat/test-support/text-streams.js';
import type { SseEvent, SseFrame } from '../../sse/types.js';
import { ChatToAnthropicStream } from './stream.js';
import { checkAnthropicStream } from './test-support/anthropic-stream-grammar.js';
import { asParsed, testContext } from './test-support/replay.js';

// The text fast lane (src/formats/openai-chat/plain-text-delta.ts) against the full path.

/** Random ids differ between two converters: number them by first appearance. */
function normalized(frames: readonly SseFrame[]): unknown {
  const ids = new Map<string, string>();
  const text = JSON.stringify(asParsed(frames)).replace(/\b(msg|toolu)_[0-9a-f]{24}\b/g, (id) => {
    if (!ids.has(id)) ids.set(id, `id${ids.size}`);
    return ids.get(id)!;
  });
  return JSON.parse(text);
}

const run = (events: readonly SseEvent[], fastText: boolean) =>
  replay(events, () => new ChatToAnthropicStream(testContext(), { fastText }));

describe('the fast lane and the full path give the client the same stream', () => {
  it.each(textStreams)('%s', (_name, events) => {
    const fast = run(events, true);
    const full = run(events, false);
    expect(full.fast).toBe(0);
    expect(normalized(fast.frames)).toEqual(normalized(full.frames));
    expect(checkAnthropicStream(asParsed(fast.frames))).toEqual([]);
  });

  it('takes the fast lane for most events of a text stream', () => {
    const text = textStreams.find(([name]) => name === 'openai-text.sse')![1];
    expect(run(text, true).fast).toBeGreaterThanOrEqual(3);
  });
});
