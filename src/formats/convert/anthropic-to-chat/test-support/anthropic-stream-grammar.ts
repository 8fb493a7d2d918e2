// Test support (not used by production code): validates an Anthropic Messages SSE frame
// sequence against the grammar of protocol-notes §1.2/§1.3 and rebuilds the message from it the
// way the SDK's accumulator does.

import type { SseFrame } from '../../../sse/types.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const STOP_REASONS = new Set([
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'tool_use',
  'pause_turn',
  'refusal',
  'model_context_window_exceeded',
]);
const DELTA_FOR_BLOCK: Record<string, readonly string[]> = {
  text: ['text_delta', 'citations_delta'],
  thinking: ['thinking_delta', 'signature_delta'],
  tool_use: ['input_json_delta'],
  redacted_thinking: [],
};
const TOOL_ID = /^[a-zA-Z0-9_-]+$/;

interface Block {
  type: string;
  index: number;
  body: string;
  deltas: number;
  signatures: number;
}

/**
 * Returns every grammar violation found (empty = valid): one message_start first; blocks started
 * in order with contiguous indices, one open at a time, each stopped before the next starts;
 * deltas only into the open block and of its type; start bodies carry `text:""` /
 * `thinking:"",signature:""` / a valid tool id; no empty text block; message_delta once, after
 * all blocks, with usage (input, output and cache counters); message_stop last, or an `error`
 * event last; every `event:` line equal to data.type; tool inputs of a completed stream are
 * JSON objects (unless cut by max_tokens).
 */
export function checkAnthropicStream(frames: readonly SseFrame[]): string[] {
  const errors: string[] = [];
  const fail = (i: number, message: string): void => {
    errors.push(`frame ${i}: ${message}`);
  };
  let started = false;
  let open: Block | undefined;
  let nextIndex = 0;
  let sawMessageDelta = false;
  let ended: 'message_stop' | 'error' | undefined;
  let stopReason: unknown;
  const blocks: Block[] = [];

  for (const [i, frame] of frames.entries()) {
    const data = frame.data;
    if (!isObject(data)) {
      fail(i, 'data is not a JSON object');
      continue;
    }
    const type = data.type;
    if (frame.event !== type) fail(i, `event line "${frame.event}" differs from data.type "${String(type)}"`);
    if (ended) {
      fail(i, `${String(type)} after ${ended}`);
      continue;
    }
    if (!started && type !== 'message_start' && type !== 'error') fail(i, `${String(type)} before message_start`);

    switch (type) {
      case 'message_start': {
        if (started) fail(i, 'second message_start');
        started = true;
        const message = isObject(data.message) ? data.message : {};
        if (!String(message.id).startsWith('msg_')) fail(i, 'message id does not start with msg_');
        if (!Array.isArray(message.content) || message.content.length !== 0) fail(i, 'message_start content not []');
        checkUsage(i, message.usage, fail);
        continue;
      }
      case 'content_block_start': {
        if (sawMessageDelta) fail(i, 'content_block_start after message_delta');
        if (open) fail(i, `content_block_start(${String(data.index)}) while block ${open.index} is open`);
        if (data.index !== nextIndex) fail(i, `content_block_start index ${String(data.index)}, expected ${nextIndex}`);
        const block = isObject(data.content_block) ? data.content_block : {};
        const blockType = String(block.type);
        if (blockType === 'text' && block.text !== '') fail(i, 'text block start without text:""');
        if (blockType === 'thinking' && (block.thinking !== '' || block.signature !== '')) {
          fail(i, 'thinking block start without thinking:"" and signature:""');
        }
        if (blockType === 'tool_use') {
          if (typeof block.id !== 'string' || !TOOL_ID.test(block.id)) fail(i, `invalid tool id ${String(block.id)}`);
          if (typeof block.name !== 'string' || block.name === '') fail(i, 'tool_use without a name');
          if (!isObject(block.input) || Object.keys(block.input).length > 0) fail(i, 'tool_use start input is not {}');
        }
        if (!(blockType in DELTA_FOR_BLOCK)) fail(i, `unknown block type ${blockType}`);
        open = { type: blockType, index: Number(data.index), body: '', deltas: 0, signatures: 0 };
        blocks.push(open);
        nextIndex++;
        continue;
      }
      case 'content_block_delta': {
        if (!open || data.index !== open.index) {
          fail(i, `delta for index ${String(data.index)} which is not open`);
          continue;
        }
        const delta = isObject(data.delta) ? data.delta : {};
        const deltaType = String(delta.type);
        if (!DELTA_FOR_BLOCK[open.type]?.includes(deltaType)) fail(i, `${deltaType} into a ${open.type} block`);
        if (deltaType === 'signature_delta') open.signatures++;
        else if (open.signatures > 0) fail(i, 'delta after signature_delta');
        open.body += String(delta.text ?? delta.thinking ?? delta.partial_json ?? '');
        open.deltas++;
        continue;
      }
      case 'content_block_stop': {
        if (!open || data.index !== open.index) {
          fail(i, `stop for index ${String(data.index)} which is not open`);
          continue;
        }
        if (open.type === 'text' && open.body === '') fail(i, `empty text block ${open.index}`);
        if (open.type === 'thinking' && open.body === '') fail(i, `empty thinking block ${open.index}`);
        if (open.signatures > 1) fail(i, `${open.signatures} signature_deltas in block ${open.index}`);
        open = undefined;
        continue;
      }
      case 'message_delta': {
        if (open) fail(i, `message_delta while block ${open.index} is open`);
        if (sawMessageDelta) fail(i, 'second message_delta');
        sawMessageDelta = true;
        const delta = isObject(data.delta) ? data.delta : {};
        stopReason = delta.stop_reason;
        if (!STOP_REASONS.has(String(delta.stop_reason))) fail(i, `invalid stop_reason ${String(delta.stop_reason)}`);
        if (!('stop_sequence' in delta)) fail(i, 'message_delta without stop_sequence');
        checkUsage(i, data.usage, fail);
        continue;
      }
      case 'message_stop':
        if (!sawMessageDelta) fail(i, 'message_stop without message_delta');
        ended = 'message_stop';
        continue;
      case 'error': {
        const error = isObject(data.error) ? data.error : {};
        if (typeof error.type !== 'string' || typeof error.message !== 'string') fail(i, 'error without type/message');
        ended = 'error';
        continue;
      }
      case 'ping':
        continue;
      default:
        fail(i, `unknown event type ${String(type)}`);
    }
  }

  if (!ended) errors.push('stream ends without message_stop or error');
  if (ended === 'message_stop' && stopReason !== 'max_tokens') {
    for (const block of blocks) {
      if (block.type !== 'tool_use' || block.body === '') continue;
      try {
        if (!isObject(JSON.parse(block.body))) errors.push(`tool_use block ${block.index}: input is not an object`);
      } catch {
        errors.push(`tool_use block ${block.index}: input JSON does not parse: ${block.body.slice(0, 80)}`);
      }
    }
  }
  return errors;
}

function checkUsage(i: number, usage: unknown, fail: (i: number, message: string) => void): void {
  if (!isObject(usage)) {
    fail(i, 'usage missing');
    return;
  }
  for (const key of ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens']) {
    if (typeof usage[key] !== 'number') fail(i, `usage.${key} missing`);
  }
}

/** The list of `type` (and index where present) of each frame, e.g. `cbs:0:text`, for sequence assertions. */
export function eventTrace(frames: readonly SseFrame[]): string[] {
  return frames.map((frame) => {
    const data = frame.data as Json;
    switch (data.type) {
      case 'content_block_start':
        return `start:${String(data.index)}:${String((data.content_block as Json).type)}`;
      case 'content_block_delta':
        return `delta:${String(data.index)}:${String((data.delta as Json).type)}`;
      case 'content_block_stop':
        return `stop:${String(data.index)}`;
      case 'message_delta':
        return `message_delta:${String((data.delta as Json).stop_reason)}`;
      case 'error':
        return `error:${String((data.error as Json).type)}`;
      default:
        return String(data.type);
    }
  });
}

export interface AssembledMessage {
  id: string;
  model: string;
  content: Json[];
  stop_reason: unknown;
  stop_sequence: unknown;
  usage: Json;
  error?: Json;
}

/** Rebuilds the final message like the SDK's accumulator (text/thinking appended, tool JSON parsed, signature replaced). */
export function assembleMessage(frames: readonly SseFrame[]): AssembledMessage {
  const message: AssembledMessage = {
    id: '',
    model: '',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: {},
  };
  const toolJson: string[] = [];
  for (const frame of frames) {
    const data = frame.data as Json;
    if (data.type === 'message_start') {
      const start = data.message as Json;
      message.id = String(start.id);
      message.model = String(start.model);
      message.usage = { ...(start.usage as Json) };
    } else if (data.type === 'content_block_start') {
      message.content.push({ ...(data.content_block as Json) });
    } else if (data.type === 'content_block_delta') {
      const index = Number(data.index);
      const block = message.content[index] as Json;
      const delta = data.delta as Json;
      if (delta.type === 'text_delta') block.text = String(block.text) + String(delta.text);
      else if (delta.type === 'thinking_delta') block.thinking = String(block.thinking) + String(delta.thinking);
      else if (delta.type === 'signature_delta') block.signature = delta.signature;
      else if (delta.type === 'input_json_delta')
        toolJson[index] = (toolJson[index] ?? '') + String(delta.partial_json);
    } else if (data.type === 'content_block_stop') {
      const index = Number(data.index);
      const block = message.content[index] as Json;
      if (block.type === 'tool_use') block.input = parseInput(toolJson[index]);
    } else if (data.type === 'message_delta') {
      const delta = data.delta as Json;
      message.stop_reason = delta.stop_reason;
      message.stop_sequence = delta.stop_sequence;
      Object.assign(message.usage, data.usage as Json);
    } else if (data.type === 'error') {
      message.error = data.error as Json;
    }
  }
  return message;
}

/** `{}` for no fragments; a cut stream's incomplete JSON is kept as `{ partial_json }`. */
function parseInput(json: string | undefined): unknown {
  if (json === undefined || json === '') return {};
  try {
    return JSON.parse(json);
  } catch {
    return { partial_json: json };
  }
}
