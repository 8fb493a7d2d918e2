// Chat streams for the converters' text fast lanes: every recorded upstream stream, and synthetic
// ones with each thing that must keep an event off the fast lane. A fast lane must give the client
// the same stream as the full path on all of them.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StreamConverter } from '../../convert/types.js';
import { decodeSse } from '../../sse/decode.js';
import type { SseEvent, SseFrame } from '../../sse/types.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/chat-streams/', import.meta.url));

/** The data of one Chat chunk with this delta (JSON text) and the rest of its choice. */
export const chunk = (delta: string, rest = '"finish_reason":null') =>
  `{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":${delta},${rest}}]}`;

export const textStreams: Array<[string, SseEvent[]]> = [
  ...readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.sse'))
    .map((f): [string, SseEvent[]] => [f, decodeSse(readFileSync(`${FIXTURES}${f}`, 'utf8'))]),
  [
    'synthetic: text, refusal, text after finish, think tags, usage',
    [
      chunk('{"role":"assistant","content":""}'),
      chunk('{"content":"one "}'),
      chunk('{"content":"two \\"three\\" \\u00e9\\ud83c\\udf0d"}'),
      chunk(
        '{"content":"x","tool_calls":[{"index":0,"id":"call_1","function":{"name":"f","arguments":"{}"}}],"y":"z"}',
      ),
      chunk('{"content":"after the tool"}'),
      chunk('{"content":"four","refusal":"partial"}'),
      chunk('{"content":"five"}', '"logprobs":{"content":[{"token":"five"}]},"finish_reason":null'),
      chunk('{"content":"six"}').replace('"index":0', '"index":1'),
      chunk('{"content":"<think>not at the start</think>"}'),
      chunk('{"content":"seven"}', '"finish_reason":"stop"'),
      chunk('{"content":"after the finish"}'),
      '{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":7}}',
      '[DONE]',
    ].map((data) => ({ data })),
  ],
  [
    'synthetic: <think> tags at the start keep every event on the full path',
    [chunk('{"content":"<think>hm"}'), chunk('{"content":"m</think>"}'), chunk('{"content":"answer"}'), '[DONE]'].map(
      (data) => ({ data }),
    ),
  ],
];

/** A fast lane's events arrive already serialised (string data holding JSON). */
export const isSerialised = (f: SseFrame): boolean => typeof f.data === 'string' && f.data.startsWith('{');

/**
 * Frames as a client sees them: data a converter passed as pre-serialised JSON text (a text fast
 * lane) is parsed, so tests compare objects whichever path made a frame.
 */
export const asParsed = (frames: readonly SseFrame[]): SseFrame[] =>
  frames.map((f) => (isSerialised(f) ? { ...f, data: JSON.parse(f.data as string) as object } : f));

/** Feeds `events` through a new converter and ends it: its frames, and how many took a fast lane. */
export function replay(events: readonly SseEvent[], make: () => StreamConverter) {
  const converter = make();
  const frames = [...events.flatMap((e) => converter.push(e)), ...converter.end()];
  return { frames, fast: converter.fastEvents ?? 0 };
}
