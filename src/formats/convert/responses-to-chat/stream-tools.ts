// Chat tool-call deltas → function_call / custom_tool_call items. Upstreams differ (protocol-notes
// §2.2, §2.5): one call after another (OpenAI), a whole call in one chunk (Groq, xAI, GLM),
// fragments of parallel calls interleaved, ids or indexes missing. Items are still added one at
// a time and in order: a later call's fragments are held until the call before it is complete.
import { argumentsText } from '../../openai-chat/tool-arguments.js';
import type { SseFrame } from '../../sse/types.js';
import type { ConversionContext } from '../types.js';
import { isObject, type JsonObject, nonEmpty } from './json.js';
import { closeOpenItem, openToolItem, sendArguments } from './stream-items.js';
import type { StreamState, ToolCallState } from './stream-state.js';

export function onToolCallDeltas(
  state: StreamState,
  context: ConversionContext,
  out: SseFrame[],
  deltas: readonly unknown[],
): void {
  deltas.forEach((delta, position) => {
    if (!isObject(delta)) return;
    const call = callFor(state, delta, deltas.length > 1 ? position : undefined);
    absorb(call, delta);
    advance(state, context, out, call);
  });
}

/** Closes the open item, then adds and closes every tool call still waiting, in order. */
export function closeAllItems(state: StreamState, context: ConversionContext, out: SseFrame[]): void {
  closeOpenItem(state, context, out);
  while (startNextCall(state, context, out, true)) closeOpenItem(state, context, out);
}

/** The call a delta belongs to, created on first sight. */
function callFor(state: StreamState, delta: JsonObject, position: number | undefined): ToolCallState {
  const id = nonEmpty(delta.id);
  const byId = id === undefined ? undefined : state.toolCalls.find((call) => call.callId === id);
  if (byId !== undefined) return byId;
  let index: number;
  if (typeof delta.index === 'number') index = delta.index;
  else if (id !== undefined) index = nextIndex(state);
  else index = position ?? state.toolCalls.at(-1)?.index ?? 0;
  const latest = state.toolCalls.findLast((call) => call.index === index);
  // A new id on a known index starts another call (some servers number every call 0).
  if (latest !== undefined && (id === undefined || latest.callId === undefined || latest.idGenerated)) return latest;
  const call: ToolCallState = {
    index,
    callId: id,
    idGenerated: false,
    upstreamName: undefined,
    arguments: '',
    sent: 0,
    phase: 'waiting',
    outputIndex: -1,
    itemId: '',
  };
  state.toolCalls.push(call);
  return call;
}

function nextIndex(state: StreamState): number {
  return state.toolCalls.reduce((max, call) => Math.max(max, call.index + 1), 0);
}

function absorb(call: ToolCallState, delta: JsonObject): void {
  call.callId ??= nonEmpty(delta.id);
  const fn = isObject(delta.function) ? delta.function : {};
  call.upstreamName ??= nonEmpty(fn.name);
  if (call.phase === 'closed') return; // a late fragment for a call already complete
  call.arguments += argumentsText(fn.arguments) ?? ''; // text, or (some servers) the object itself
}

function advance(state: StreamState, context: ConversionContext, out: SseFrame[], touched: ToolCallState): void {
  const open = state.open;
  if (open.kind === 'tool') {
    if (open.call === touched) {
      sendArguments(state, context, out, touched);
      return;
    }
    // Another call is speaking: the open one is done if its arguments already form whole JSON
    // (sequential upstreams); otherwise the fragments interleave and wait for the finish.
    if (touched.phase !== 'waiting' || !isWholeJson(open.call.arguments)) return;
    closeOpenItem(state, context, out);
  }
  startNextCall(state, context, out, false);
}

/** Adds the first waiting call; without `force` only once its name is known. */
function startNextCall(state: StreamState, context: ConversionContext, out: SseFrame[], force: boolean): boolean {
  const next = state.toolCalls.find((call) => call.phase === 'waiting');
  if (next === undefined || (!force && next.upstreamName === undefined)) return false;
  openToolItem(state, context, out, next);
  return true;
}

function isWholeJson(text: string): boolean {
  if (text.trim().length === 0) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
