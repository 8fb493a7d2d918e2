// Test support: drives the stream converter the way the proxy does.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NormalizedError } from '../../../errors/error-kinds.js';
import { asParsed } from '../../../openai-chat/test-support/text-streams.js';
import { SseDecoder } from '../../../sse/decode.js';
import type { SseEvent, SseFrame } from '../../../sse/types.js';
import type { ConversionContext, StreamConverter } from '../../types.js';
import { ChatToAnthropicStream } from '../stream.js';

export const FIXTURES = fileURLToPath(new URL('../../../../../test/fixtures/chat-streams/', import.meta.url));

export function testContext(overrides: Partial<ConversionContext> = {}): ConversionContext {
  return { clientModel: 'claude-sonnet-4-5', toolNames: {}, stream: true, created: 1_764_000_000, ...overrides };
}

export { asParsed };

export interface ReplayOptions {
  /** false: every event takes the converter's full path (see plain-text-delta.ts). */
  fastText?: boolean;
}

/**
 * The converter with its frames parsed as a client would read them: most frames are built as JSON
 * text (stream-frames.ts), and tests compare objects.
 */
export class ParsedFramesStream extends ChatToAnthropicStream {
  override push(event: SseEvent): SseFrame[] {
    return asParsed(super.push(event));
  }
  override end(): SseFrame[] {
    return asParsed(super.end());
  }
  override fail(error: NormalizedError): SseFrame[] {
    return asParsed(super.fail(error));
  }
}

/** Feeds `data:` payloads (JSON objects are stringified; strings pass as-is) and ends the stream unless told not to. */
export function convertData(
  payloads: ReadonlyArray<object | string>,
  {
    context = testContext(),
    end = true,
    fastText = true,
  }: { context?: ConversionContext; end?: boolean } & ReplayOptions = {},
): { frames: SseFrame[]; converter: ChatToAnthropicStream } {
  const converter = new ParsedFramesStream(context, { fastText });
  const frames: SseFrame[] = [];
  for (const payload of payloads) {
    frames.push(...converter.push({ data: typeof payload === 'string' ? payload : JSON.stringify(payload) }));
  }
  if (end) frames.push(...converter.end());
  return { frames: asParsed(frames), converter };
}

/**
 * Replays a recorded `.sse` file byte by byte in pieces of `pieceSize` bytes (UTF-8 split
 * anywhere), through a streaming TextDecoder and the SseDecoder, into a fresh converter.
 */
export function replayBytes(
  bytes: Uint8Array,
  pieceSize: number,
  context: ConversionContext = testContext(),
  { fastText = true }: ReplayOptions = {},
): { frames: SseFrame[]; converter: StreamConverter & { malformedChunks: number; warnings: readonly string[] } } {
  const converter = new ChatToAnthropicStream(context, { fastText });
  const text = new TextDecoder();
  const sse = new SseDecoder();
  const frames: SseFrame[] = [];
  for (let at = 0; at < bytes.length; at += pieceSize) {
    const piece = text.decode(bytes.subarray(at, at + pieceSize), { stream: true });
    for (const event of sse.feed(piece)) frames.push(...converter.push(event));
  }
  for (const event of sse.feed(text.decode())) frames.push(...converter.push(event));
  for (const event of sse.end()) frames.push(...converter.push(event));
  frames.push(...converter.end());
  return { frames: asParsed(frames), converter };
}

export const readFixture = (name: string): Uint8Array => readFileSync(`${FIXTURES}${name}`);
