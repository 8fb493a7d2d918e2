// Test support for the stream tests: Chat chunk builders, a runner that feeds an upstream SSE body
// through SseDecoder and the converter and validates the output, and expected-event builders.
import { asParsed } from '../../../openai-chat/test-support/text-streams.js';
import { SseDecoder } from '../../../sse/decode.js';
import type { SseFrame } from '../../../sse/types.js';
import type { ConversionContext } from '../../types.js';
import { responsesToChat } from '../index.js';
import { checkResponsesStream } from '../stream-checker.js';

export const CREATED = 1_760_000_000;

export function context(over: Partial<ConversionContext> = {}): ConversionContext {
  return { clientModel: 'gpt-5-codex', toolNames: {}, stream: true, created: CREATED, ...over };
}

/** One Chat chunk as an SSE event, OpenAI style. */
export function chunk(delta: object, finish: string | null = null, extra: object = {}): string {
  const body = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'up-model' };
  return `data: ${JSON.stringify({ ...body, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
}

/** The data of one chunk, for `converter.push({ data })`. */
export const chunkData = (delta: object, finish: string | null = null): string => chunk(delta, finish).slice(6, -2);

export const usageChunk = (usage: object): string =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [], usage })}\n\n`;
export const DONE = 'data: [DONE]\n\n';
export const USAGE = { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 };

/** Feeds an upstream SSE body through SseDecoder and the converter, ends it, and validates the output. */
export function run(sse: string, ctx = context()) {
  const converter = responsesToChat.stream(ctx);
  const decoder = new SseDecoder();
  const frames: SseFrame[] = [];
  for (const event of [...decoder.feed(sse), ...decoder.end()]) frames.push(...converter.push(event));
  frames.push(...converter.end());
  // the text fast lane hands over its events already serialised: compared here as parsed
  return { converter, frames: asParsed(frames), stream: checkResponsesStream(frames) };
}

/** Expected frames: `[type, fields]` pairs numbered from 0. */
export function events(...list: Array<[string, object]>): SseFrame[] {
  return list.map(([type, fields], i) => ({ event: type, data: { type, sequence_number: i, ...fields } }));
}

/** The Response object in `response.*` events, after `stableIds`. */
export const response = (fields: object) => ({
  id: 'resp_1',
  object: 'response',
  created_at: CREATED,
  status: 'in_progress',
  model: 'gpt-5-codex',
  output: [],
  usage: null,
  error: null,
  incomplete_details: null,
  ...fields,
});

export const usage = (input: number, output: number, cached = 0, reasoning = 0, total = input + output) => ({
  input_tokens: input,
  input_tokens_details: { cached_tokens: cached },
  output_tokens: output,
  output_tokens_details: { reasoning_tokens: reasoning },
  total_tokens: total,
});

export const START: Array<[string, object]> = [
  ['response.created', { response: response({}) }],
  ['response.in_progress', { response: response({}) }],
];
