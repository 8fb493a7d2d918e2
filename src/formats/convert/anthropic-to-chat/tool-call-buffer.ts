import { argumentsText } from '../../openai-chat/tool-arguments.js';
import type { ChatToolCallDelta } from '../../openai-chat/types.js';

/**
 * Tool-call fragments from a Chat stream, keyed by the upstream `index`, until they can be sent
 * as Anthropic blocks. Anthropic allows one open block at a time, so a call's arguments are
 * held here while it cannot be open: its name is not known yet (case 68), or an earlier call is
 * still open (interleaved parallel calls, case 66). An open call's fragments pass straight
 * through (cases 67, 70).
 */
export interface ToolCall {
  /** The upstream's id, as sent (mapped for the client when the block starts). */
  id: string | undefined;
  /** The upstream's function name. */
  name: string | undefined;
  /** Argument text received but not yet sent to the client. */
  pending: string;
  /** waiting: no block yet · open: its block is the open one · closed: its block was stopped */
  status: 'waiting' | 'open' | 'closed';
  /** Tracks whether the arguments seen so far form one complete JSON value. */
  scan: JsonScan;
}

export interface ToolCallState {
  /** Every call in order of first appearance. */
  calls: ToolCall[];
  /** Upstream `index` → the call currently bound to it. */
  byIndex: Map<number, ToolCall>;
  /** The call the previous fragment went to (fragments without index or id continue it). */
  last: ToolCall | undefined;
}

export const initialToolCallState = (): ToolCallState => ({ calls: [], byIndex: new Map(), last: undefined });

/**
 * Records one `delta.tool_calls[]` entry. Returns the call it belongs to and whether its argument
 * fragment had to be dropped (it arrived for a block that was already stopped).
 */
export function applyToolDelta(state: ToolCallState, delta: ChatToolCallDelta): { call: ToolCall; dropped: boolean } {
  const id = typeof delta.id === 'string' && delta.id !== '' ? delta.id : undefined;
  const name = delta.function?.name;
  let call = findCall(state, delta.index, id);
  // another function's name where a call is bound: a new call (gateways that drop ids reuse index 0)
  if (id === undefined && call?.name !== undefined && typeof name === 'string' && name !== '' && name !== call.name)
    call = undefined;
  if (call === undefined) {
    call = { id, name: undefined, pending: '', status: 'waiting', scan: initialJsonScan() };
    state.calls.push(call);
  }
  if (typeof delta.index === 'number') state.byIndex.set(delta.index, call);
  state.last = call;
  if (call.id === undefined && id !== undefined) call.id = id;
  if (call.name === undefined && typeof name === 'string' && name !== '') call.name = name;

  const fragment = argumentsText(delta.function?.arguments);
  if (fragment === undefined || fragment === '') return { call, dropped: false };
  if (call.status === 'closed') return { call, dropped: true };
  call.pending += fragment;
  scanJson(call.scan, fragment);
  return { call, dropped: false };
}

function findCall(state: ToolCallState, index: number | undefined, id: string | undefined): ToolCall | undefined {
  if (typeof index === 'number') {
    const bound = state.byIndex.get(index);
    // A different id on a bound index is a new call (some servers reuse index 0 for every call).
    if (bound !== undefined && id !== undefined && bound.id !== undefined && bound.id !== id) return undefined;
    return bound;
  }
  if (id !== undefined) return state.calls.find((c) => c.id === id);
  return state.last;
}

/** The first call that has not been given a block yet. */
export const nextWaiting = (state: ToolCallState): ToolCall | undefined =>
  state.calls.find((c) => c.status === 'waiting');

/** Takes the held argument text of a call (to send it). */
export function takePending(call: ToolCall): string {
  const text = call.pending;
  call.pending = '';
  return text;
}

// ── JSON completeness ────────────────────────────────────────────────────────────────────────
// An open call is closed early (so the next one can stream) only once its arguments form a
// complete JSON object: anything sent for it after that would be invalid JSON anyway.

export interface JsonScan {
  depth: number;
  inString: boolean;
  escaped: boolean;
  /** ok: one value so far · complete: a whole object was closed · broken: not a single JSON object */
  status: 'ok' | 'complete' | 'broken';
}

const initialJsonScan = (): JsonScan => ({ depth: 0, inString: false, escaped: false, status: 'ok' });

function scanJson(scan: JsonScan, fragment: string): void {
  for (let i = 0; i < fragment.length && scan.status !== 'broken'; i++) {
    const ch = fragment.charCodeAt(i);
    if (scan.inString) {
      if (scan.escaped) scan.escaped = false;
      else if (ch === 0x5c)
        scan.escaped = true; // backslash
      else if (ch === 0x22) scan.inString = false; // quote
      continue;
    }
    if (ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09) continue;
    if (scan.status === 'complete' || (scan.depth === 0 && ch !== 0x7b)) {
      scan.status = 'broken'; // text after the object, or not an object at all
      continue;
    }
    if (ch === 0x22) scan.inString = true;
    else if (ch === 0x7b || ch === 0x5b) scan.depth++;
    else if (ch === 0x7d || ch === 0x5d) {
      scan.depth--;
      if (scan.depth === 0) scan.status = 'complete';
    }
  }
}
