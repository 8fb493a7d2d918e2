// Test support (used by the *.test.ts files beside it): validates a Responses event sequence the
// way openai-node's ResponseStream/accumulateResponse and Codex's SSE reader consume it
// (protocol-notes §3, real-clients.md §2). Throws an Error naming the first violation.
import type { ResponsesResponse, ResponsesStreamEvent } from '../../openai-responses/types.js';
import type { SseFrame } from '../../sse/types.js';
import { isObject, type JsonObject } from './json.js';

interface ItemTrack {
  id: string;
  type: string;
  done: boolean;
  /** text per content_index / summary_index, with whether its `.done` was seen */
  parts: Map<number, { text: string; done: boolean }>;
  /** accumulated function_call_arguments / custom_tool_call_input deltas */
  streamed: string;
  streamDone: string | undefined;
  final: JsonObject | undefined;
}

export interface CheckedStream {
  events: ResponsesStreamEvent[];
  types: string[];
  /** The terminal event's response (completed, incomplete or failed). */
  response: ResponsesResponse;
  /** Items from `output_item.done`, by output_index: what Codex puts in its history. */
  doneItems: JsonObject[];
}

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

export function checkResponsesStream(frames: readonly SseFrame[]): CheckedStream {
  const events: ResponsesStreamEvent[] = [];
  const items: ItemTrack[] = [];
  let responseId: string | undefined;
  let terminal: ResponsesResponse | undefined;

  frames.forEach((frame, i) => {
    const where = `event ${i}`;
    const data = typeof frame.data === 'string' ? JSON.parse(frame.data) : frame.data;
    if (!isObject(data) || typeof data.type !== 'string') throw new Error(`${where}: data is not a typed object`);
    const type = data.type;
    const at = `${where} (${type})`;
    if (frame.event !== type) throw new Error(`${at}: event line "${frame.event}" differs from data.type`);
    if (data.sequence_number !== i) throw new Error(`${at}: sequence_number ${data.sequence_number}, expected ${i}`);
    if ('error' in data) throw new Error(`${at}: a top-level "error" key makes openai-node throw`);
    if (terminal !== undefined) throw new Error(`${at}: event after the terminal event`);
    events.push(data as ResponsesStreamEvent);

    if (i === 0 && type !== 'response.created') throw new Error(`${at}: the first event must be response.created`);
    if (type === 'response.created' || type === 'response.in_progress') {
      if (type === 'response.created' && i !== 0) throw new Error(`${at}: a second response.created`);
      const response = responseOf(data, at);
      if (response.status !== 'in_progress' || response.output.length !== 0) {
        throw new Error(`${at}: expected status in_progress and output []`);
      }
      responseId ??= response.id;
      if (response.id !== responseId) throw new Error(`${at}: response id changed`);
      return;
    }
    if (TERMINAL.has(type)) {
      terminal = checkTerminal(type, responseOf(data, at), responseId, items, at);
      return;
    }
    if (type === 'response.output_item.added') {
      const item = objectField(data, 'item', at);
      if (data.output_index !== items.length) throw new Error(`${at}: output_index must be ${items.length}`);
      if (typeof item.id !== 'string' || items.some((t) => t.id === item.id))
        throw new Error(`${at}: bad/duplicate id`);
      items.push({
        id: item.id,
        type: String(item.type),
        done: false,
        parts: new Map(),
        streamed: '',
        streamDone: undefined,
        final: undefined,
      });
      return;
    }
    checkItemEvent(type, data, itemAt(items, data, at), at);
  });

  if (terminal === undefined) throw new Error('stream closed before response.completed');
  const doneItems = items.map((item) => item.final).filter((item) => item !== undefined);
  return { events, types: events.map((event) => event.type), response: terminal, doneItems };
}

function checkItemEvent(type: string, data: JsonObject, item: ItemTrack, at: string): void {
  if (item.done) throw new Error(`${at}: item ${item.id} is already done`);
  const expectType = (expected: string) => {
    if (item.type !== expected) throw new Error(`${at}: item ${item.id} is a ${item.type}, not a ${expected}`);
  };
  switch (type) {
    case 'response.content_part.added':
    case 'response.reasoning_summary_part.added': {
      expectType(type === 'response.content_part.added' ? 'message' : 'reasoning');
      const index = partIndex(type, data, at);
      if (item.parts.has(index) || index !== item.parts.size)
        throw new Error(`${at}: part index ${index} out of order`);
      const part = objectField(data, 'part', at);
      if (part.text !== '') throw new Error(`${at}: an added part starts with text ""`);
      if (type === 'response.content_part.added' && !Array.isArray(part.annotations)) {
        throw new Error(`${at}: output_text part needs annotations []`);
      }
      item.parts.set(index, { text: '', done: false });
      return;
    }
    case 'response.output_text.delta':
    case 'response.reasoning_summary_text.delta': {
      expectType(type === 'response.output_text.delta' ? 'message' : 'reasoning');
      const part = openPart(item, partIndex(type, data, at), at);
      if (typeof data.delta !== 'string') throw new Error(`${at}: delta must be a string`);
      part.text += data.delta;
      return;
    }
    case 'response.output_text.done':
    case 'response.reasoning_summary_text.done': {
      expectType(type === 'response.output_text.done' ? 'message' : 'reasoning');
      const part = openPart(item, partIndex(type, data, at), at);
      if (data.text !== part.text) throw new Error(`${at}: done text differs from the deltas`);
      return;
    }
    case 'response.content_part.done':
    case 'response.reasoning_summary_part.done': {
      const part = openPart(item, partIndex(type, data, at), at);
      if (objectField(data, 'part', at).text !== part.text) throw new Error(`${at}: part text differs from the deltas`);
      part.done = true;
      return;
    }
    case 'response.function_call_arguments.delta':
    case 'response.custom_tool_call_input.delta':
      expectType(type === 'response.function_call_arguments.delta' ? 'function_call' : 'custom_tool_call');
      if (item.streamDone !== undefined || typeof data.delta !== 'string') throw new Error(`${at}: bad delta`);
      item.streamed += data.delta;
      return;
    case 'response.function_call_arguments.done':
    case 'response.custom_tool_call_input.done': {
      const isFunction = type === 'response.function_call_arguments.done';
      expectType(isFunction ? 'function_call' : 'custom_tool_call');
      const value = isFunction ? data.arguments : data.input;
      if (value !== item.streamed) throw new Error(`${at}: done value differs from the deltas`);
      item.streamDone = item.streamed;
      return;
    }
    case 'response.output_item.done':
      checkItemDone(item, objectField(data, 'item', at), at);
      return;
    default:
      throw new Error(`${at}: unexpected event type`);
  }
}

function checkItemDone(track: ItemTrack, item: JsonObject, at: string): void {
  if (item.id !== track.id || item.type !== track.type) throw new Error(`${at}: done item differs from the added one`);
  for (const [index, part] of track.parts) if (!part.done) throw new Error(`${at}: part ${index} was never done`);
  switch (track.type) {
    case 'message': {
      const content = Array.isArray(item.content) ? item.content : [];
      const texts = content.map((part) => (isObject(part) ? part.text : undefined));
      if (texts.length !== track.parts.size || texts.some((text, i) => text !== track.parts.get(i)?.text)) {
        throw new Error(`${at}: message content differs from the streamed text`);
      }
      if (item.role !== 'assistant' || item.status !== 'completed') throw new Error(`${at}: bad role/status`);
      break;
    }
    case 'reasoning': {
      const summary = Array.isArray(item.summary) ? item.summary : [];
      if (summary.some((part, i) => !isObject(part) || part.text !== track.parts.get(i)?.text)) {
        throw new Error(`${at}: reasoning summary differs from the streamed text`);
      }
      break;
    }
    case 'function_call':
    case 'custom_tool_call': {
      const value = track.type === 'function_call' ? item.arguments : item.input;
      if (track.streamDone === undefined || value !== track.streamDone) {
        throw new Error(`${at}: ${track.type} done without matching arguments/input .done`);
      }
      if (typeof item.call_id !== 'string' || item.call_id.length === 0 || typeof item.name !== 'string') {
        throw new Error(`${at}: ${track.type} needs call_id and name`);
      }
      if (item.status !== 'completed') throw new Error(`${at}: status must be completed`);
      break;
    }
  }
  track.done = true;
  track.final = item;
}

function checkTerminal(
  type: string,
  response: ResponsesResponse,
  responseId: string | undefined,
  items: ItemTrack[],
  at: string,
): ResponsesResponse {
  if (response.id !== responseId) throw new Error(`${at}: response id differs from response.created`);
  const expected = { 'response.completed': 'completed', 'response.incomplete': 'incomplete' }[type] ?? 'failed';
  if (response.status !== expected) throw new Error(`${at}: status ${response.status}, expected ${expected}`);
  if (type === 'response.failed') {
    if (!isObject(response.error) || typeof response.error.code !== 'string' || response.error.message === '') {
      throw new Error(`${at}: failed needs error {code, message}`);
    }
    return response;
  }
  // an item the token limit cut off (a tool call Codex must not run) ends without .done, listed as incomplete
  const listed = (i: number) => (response.output as Array<{ status?: string }> | undefined)?.[i];
  const open = items.findIndex(
    (item, i) => !item.done && !(type === 'response.incomplete' && listed(i)?.status === 'incomplete'),
  );
  if (open >= 0) throw new Error(`${at}: item ${items[open]!.id} was never done`);
  if (
    JSON.stringify(response.output) !== JSON.stringify(items.map((item, i) => (item.done ? item.final : listed(i))))
  ) {
    throw new Error(`${at}: response.output differs from the done items`);
  }
  if (type === 'response.incomplete' && typeof response.incomplete_details?.reason !== 'string') {
    throw new Error(`${at}: incomplete needs incomplete_details.reason`);
  }
  const usage = response.usage;
  const counts = [
    usage?.input_tokens,
    usage?.output_tokens,
    usage?.total_tokens,
    usage?.input_tokens_details?.cached_tokens,
    usage?.output_tokens_details?.reasoning_tokens,
  ];
  if (!counts.every((n) => Number.isInteger(n))) throw new Error(`${at}: usage fields must all be integers`);
  return response;
}

function responseOf(data: JsonObject, at: string): ResponsesResponse {
  const response = objectField(data, 'response', at);
  if (typeof response.id !== 'string' || !response.id.startsWith('resp_') || !Array.isArray(response.output)) {
    throw new Error(`${at}: response needs an id resp_… and an output array`);
  }
  return response as unknown as ResponsesResponse;
}

function objectField(data: JsonObject, name: string, at: string): JsonObject {
  const value = data[name];
  if (!isObject(value)) throw new Error(`${at}: missing object "${name}"`);
  return value;
}

function itemAt(items: ItemTrack[], data: JsonObject, at: string): ItemTrack {
  const index = data.output_index;
  const item = typeof index === 'number' ? items[index] : undefined;
  if (item === undefined) throw new Error(`${at}: missing output at index ${String(index)}`);
  if (data.type !== 'response.output_item.done' && data.item_id !== item.id) {
    throw new Error(`${at}: item_id ${String(data.item_id)} is not the item at output_index ${String(index)}`);
  }
  return item;
}

function partIndex(type: string, data: JsonObject, at: string): number {
  const index = type.startsWith('response.reasoning_summary') ? data.summary_index : data.content_index;
  if (typeof index !== 'number') throw new Error(`${at}: missing content_index/summary_index`);
  return index;
}

function openPart(item: ItemTrack, index: number, at: string): { text: string; done: boolean } {
  const part = item.parts.get(index);
  if (part === undefined) throw new Error(`${at}: missing content at index ${index}`);
  if (part.done) throw new Error(`${at}: part ${index} is already done`);
  return part;
}

/**
 * Replaces the random ids this converter mints (`resp_`, `msg_`, `fc_`, `ctc_`, `rs_`, `call_` +
 * 24 characters) by `<prefix>_1`, `<prefix>_2`, … in order of appearance, so tests can compare
 * whole events exactly. Ids that came from the upstream (shorter) stay as they are.
 */
export function stableIds<T>(value: T): T {
  const seen = new Map<string, string>();
  const counters = new Map<string, number>();
  const rewrite = (text: string) =>
    text.replace(/\b(resp|msg|fc|ctc|rs|call)_[A-Za-z0-9]{24}\b/g, (id, prefix: string) => {
      let stable = seen.get(id);
      if (stable === undefined) {
        const n = (counters.get(prefix) ?? 0) + 1;
        counters.set(prefix, n);
        stable = `${prefix}_${n}`;
        seen.set(id, stable);
      }
      return stable;
    });
  return JSON.parse(rewrite(JSON.stringify(value))) as T;
}
