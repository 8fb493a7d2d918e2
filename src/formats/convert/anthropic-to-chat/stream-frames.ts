import type { AnthropicStopReason, AnthropicStreamEvent, AnthropicUsage } from '../../anthropic/types.js';
import type { SseFrame } from '../../sse/types.js';

// The Anthropic events the Chat → Anthropic stream sends, serialised by templates: each stream
// sends a message_start, block starts and stops, a message_delta and a message_stop, and
// JSON.stringify of those small objects cost 0.2–1 µs each where a template costs a tenth of that.
// Only strings go through JSON.stringify (for their escaping); numbers are the converter's own
// finite counts and indices. Key order is the real API's (stream-frames.test.ts compares every
// template's bytes with JSON.stringify of the object it stands for).

const str = (value: string): string => JSON.stringify(value);

/** Every Anthropic frame carries an `event:` line equal to its type (case 88). */
export const frame = (event: AnthropicStreamEvent): SseFrame => ({ event: event.type, data: event });

const usageJson = (u: AnthropicUsage): string =>
  `{"input_tokens":${u.input_tokens},"output_tokens":${u.output_tokens},"cache_creation_input_tokens":${u.cache_creation_input_tokens},"cache_read_input_tokens":${u.cache_read_input_tokens}}`;

export const messageStartFrame = (id: string, model: string, usage: AnthropicUsage): SseFrame => ({
  event: 'message_start',
  data: `{"type":"message_start","message":{"id":${str(id)},"type":"message","role":"assistant","model":${str(model)},"content":[],"stop_reason":null,"stop_sequence":null,"usage":${usageJson(usage)}}}`,
});

const blockStart = (index: number, block: string): SseFrame => ({
  event: 'content_block_start',
  data: `{"type":"content_block_start","index":${index},"content_block":${block}}`,
});

export const textStartFrame = (index: number): SseFrame => blockStart(index, '{"type":"text","text":""}');

export const thinkingStartFrame = (index: number): SseFrame =>
  blockStart(index, '{"type":"thinking","thinking":"","signature":""}');

export const toolUseStartFrame = (index: number, id: string, name: string): SseFrame =>
  blockStart(index, `{"type":"tool_use","id":${str(id)},"name":${str(name)},"input":{}}`);

const blockDelta = (index: number, delta: string): SseFrame => ({
  event: 'content_block_delta',
  data: `{"type":"content_block_delta","index":${index},"delta":${delta}}`,
});

/** A text_delta whose text is already a JSON string literal (quotes included): no re-serialisation. */
const textDeltaHead = (index: number) =>
  `{"type":"content_block_delta","index":${index},"delta":{"type":"text_delta","text":`;

export const textDeltaFrame = (index: number, literal: string): SseFrame => ({
  event: 'content_block_delta',
  data: `${textDeltaHead(index)}${literal}}}`,
});

const encodedHead = (index: number): Buffer => Buffer.from(`event: content_block_delta\ndata: ${textDeltaHead(index)}`);
/** The heads of the first blocks, made once: nearly every answer's text is in one of these. */
const FIRST_HEADS = [0, 1, 2, 3].map(encodedHead);

/** textDeltaFrame as encoded bytes, around a literal copied as bytes: what comes before it (never to be written to)… */
export const rawTextDeltaHead = (index: number): Buffer => FIRST_HEADS[index] ?? encodedHead(index);
/** …and what follows it. */
export const RAW_TEXT_DELTA_TAIL = Buffer.from('}}\n\n');

export const thinkingDeltaFrame = (index: number, thinking: string): SseFrame =>
  blockDelta(index, `{"type":"thinking_delta","thinking":${str(thinking)}}`);

export const inputJsonDeltaFrame = (index: number, partialJson: string): SseFrame =>
  blockDelta(index, `{"type":"input_json_delta","partial_json":${str(partialJson)}}`);

/**
 * A signature_delta stays an object: the proxy reads signatures from the frames it relays
 * (provenance.ts, eventSignature) and would not see one inside a string.
 */
export const signatureDeltaFrame = (index: number, signature: string): SseFrame =>
  frame({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature } });

export const blockStopFrame = (index: number): SseFrame => ({
  event: 'content_block_stop',
  data: `{"type":"content_block_stop","index":${index}}`,
});

export const messageDeltaFrame = (
  stopReason: AnthropicStopReason | null,
  stopSequence: string | null,
  usage: AnthropicUsage,
): SseFrame => ({
  event: 'message_delta',
  data: `{"type":"message_delta","delta":{"stop_reason":${stopReason === null ? 'null' : str(stopReason)},"stop_sequence":${stopSequence === null ? 'null' : str(stopSequence)}},"usage":${usageJson(usage)}}`,
});

export const messageStopFrame = (): SseFrame => ({ event: 'message_stop', data: '{"type":"message_stop"}' });
