// Test support: validates a Chat Completions chunk sequence the way openai-node's ChatCompletionStream
// accumulates it and `finalChatCompletion()` finalises it (protocol-notes §2.1–2.3), plus the framing rules
// its SSE reader applies. Pure (throws on the first violation); used by this folder's stream tests.

import type { SseFrame } from '../../sse/types.js';
import { isRecord, type JsonObject } from './guards.js';

export interface CheckedToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface CheckedChoice {
  index: number;
  message: { role: string; content: string | null; reasoning_content?: string; tool_calls?: CheckedToolCall[] };
  finish_reason: string;
}

export type CheckedChatStream =
  | { outcome: 'completed'; id: string; model: string; choices: CheckedChoice[]; usage: JsonObject | undefined }
  | { outcome: 'error'; error: JsonObject; partial: PartialChoice[] };

interface PartialChoice {
  role?: string;
  content?: string;
  reasoning_content?: string;
  finish_reason?: string;
  tool_calls: Array<{ id?: string; type?: string; name?: string; arguments?: string }>;
}

export function checkChatStream(frames: readonly SseFrame[]): CheckedChatStream {
  const fail = (i: number, what: string): never => {
    throw new Error(`chat stream frame ${i}: ${what}`);
  };
  const choices: PartialChoice[] = [];
  let head: { id: string; created: number; model: string } | undefined;
  let usage: JsonObject | undefined;

  for (const [i, frame] of frames.entries()) {
    if (frame.event !== undefined) fail(i, `has an event name (${frame.event}); Chat streams are data-only`);
    const data: unknown = typeof frame.data === 'string' && frame.data !== '[DONE]' ? parse(frame.data, i) : frame.data;
    if (data === '[DONE]') {
      if (i !== frames.length - 1) fail(i, 'frames follow [DONE]');
      return finalise(choices, head, usage);
    }
    if (!isRecord(data)) return fail(i, 'data is neither JSON object nor [DONE]');
    if (data.error !== undefined) {
      // openai-node throws APIError on a chunk with an `error` key; nothing after it is read.
      if (!isRecord(data.error) || typeof data.error.message !== 'string') fail(i, 'error chunk without error.message');
      if (i !== frames.length - 1) fail(i, 'frames follow the error chunk');
      return { outcome: 'error', error: data.error as JsonObject, partial: choices };
    }
    if (data.object !== 'chat.completion.chunk') fail(i, `object is ${JSON.stringify(data.object)}`);
    const { id, created, model } = data;
    if (typeof id !== 'string' || id === '' || typeof created !== 'number' || typeof model !== 'string') {
      return fail(i, 'chunk needs id, created and model');
    }
    head ??= { id, created, model };
    if (id !== head.id || created !== head.created || model !== head.model) fail(i, 'id/created/model changed');
    if (!Array.isArray(data.choices)) return fail(i, 'choices must be an array');
    if (data.choices.length === 0) {
      if (!isRecord(data.usage)) fail(i, 'a chunk with no choices must carry usage');
      if (choices.length === 0 || choices.some((c) => c.finish_reason === undefined)) {
        fail(i, 'usage chunk before every choice finished');
      }
      usage = checkUsage(data.usage, i, fail);
      continue;
    }
    if (usage) fail(i, 'choice chunk after the usage chunk');
    for (const choice of data.choices as unknown[]) applyChoice(choices, choice, i, fail);
  }
  return fail(frames.length, 'stream ended without [DONE] or an error chunk');
}

function applyChoice(choices: PartialChoice[], raw: unknown, i: number, fail: (i: number, what: string) => never) {
  if (!isRecord(raw) || !Number.isSafeInteger(raw.index) || (raw.index as number) < 0) fail(i, 'choice.index invalid');
  const choice = raw as JsonObject;
  if (!('finish_reason' in choice)) fail(i, 'choice without finish_reason key');
  const index = choice.index as number;
  const acc = choices[index] ?? { tool_calls: [] };
  choices[index] = acc;
  if (acc.finish_reason !== undefined) fail(i, `delta for choice ${index} after its finish_reason`);
  const delta = choice.delta;
  if (!isRecord(delta)) return fail(i, 'choice.delta must be an object');
  if (delta.role !== undefined) acc.role = String(delta.role);
  // openai-node appends content only when truthy, so a tool-only answer finalises as `content: null`.
  if (typeof delta.content === 'string' && delta.content !== '') acc.content = (acc.content ?? '') + delta.content;
  // openai-node would Object.assign `reasoning_content` (last fragment wins); we concatenate to assert on it.
  if (typeof delta.reasoning_content === 'string') {
    acc.reasoning_content = (acc.reasoning_content ?? '') + delta.reasoning_content;
  }
  if (delta.tool_calls !== undefined) {
    if (!Array.isArray(delta.tool_calls)) fail(i, 'delta.tool_calls must be an array');
    for (const call of delta.tool_calls as unknown[]) applyToolCall(acc, call, i, fail);
  }
  if (typeof choice.finish_reason === 'string') acc.finish_reason = choice.finish_reason;
  else if (choice.finish_reason !== null) fail(i, 'finish_reason must be a string or null');
}

function applyToolCall(acc: PartialChoice, raw: unknown, i: number, fail: (i: number, what: string) => never) {
  if (!isRecord(raw) || !Number.isSafeInteger(raw.index) || (raw.index as number) < 0) {
    fail(i, 'tool call index must be a safe integer ≥ 0');
  }
  const call = raw as JsonObject;
  const fn = isRecord(call.function) ? call.function : {};
  const slot = acc.tool_calls[call.index as number] ?? {};
  acc.tool_calls[call.index as number] = slot;
  const isNew = slot.id === undefined;
  if (isNew) {
    // Our streams bind id, type and name on the first entry for an index (openai-node only needs them by the end).
    if (typeof call.id !== 'string' || call.id === '') fail(i, 'first entry of a tool call has no id');
    if (call.type !== 'function') fail(i, 'first entry of a tool call has no type "function"');
    if (typeof fn.name !== 'string' || fn.name === '') fail(i, 'first entry of a tool call has no function.name');
    if (typeof fn.arguments !== 'string') fail(i, 'first entry of a tool call has no function.arguments string');
    Object.assign(slot, { id: call.id, type: call.type, name: fn.name, arguments: '' });
  } else {
    // openai-node: "changed tool call identity" when an index is rebound.
    if (call.id !== undefined && call.id !== slot.id) fail(i, `tool call ${String(call.index)} changed id`);
    if (fn.name !== undefined && fn.name !== slot.name) fail(i, `tool call ${String(call.index)} changed name`);
    if (call.type !== undefined && call.type !== 'function') fail(i, 'tool call type changed');
  }
  if (fn.arguments !== undefined) {
    if (typeof fn.arguments !== 'string') fail(i, 'function.arguments must be a string');
    slot.arguments = (slot.arguments ?? '') + String(fn.arguments);
  }
}

function checkUsage(raw: unknown, i: number, fail: (i: number, what: string) => never): JsonObject {
  const usage = raw as JsonObject;
  const { prompt_tokens: p, completion_tokens: c, total_tokens: t } = usage;
  if (!Number.isSafeInteger(p) || !Number.isSafeInteger(c) || !Number.isSafeInteger(t)) {
    fail(i, 'usage needs integer prompt_tokens, completion_tokens and total_tokens');
  }
  if ((p as number) + (c as number) !== t) fail(i, 'usage.total_tokens ≠ prompt + completion');
  return usage;
}

/** What `finalizeChatCompletion` demands (protocol-notes §2.3): role, finish_reason, complete tool calls. */
function finalise(
  choices: PartialChoice[],
  head: { id: string; model: string } | undefined,
  usage: JsonObject | undefined,
): CheckedChatStream {
  if (!head || choices.length === 0) throw new Error('chat stream: [DONE] without any chunk');
  const out = Array.from(choices, (c, index): CheckedChoice => {
    if (!c) throw new Error(`chat stream: choice ${index} missing`);
    if (!c.finish_reason) throw new Error(`missing finish_reason for choice ${index}`);
    if (!c.role) throw new Error(`missing role for choice ${index}`);
    const message: CheckedChoice['message'] = { role: c.role, content: c.content ?? null };
    if (c.reasoning_content !== undefined) message.reasoning_content = c.reasoning_content;
    if (c.tool_calls.length > 0) {
      message.tool_calls = Array.from(c.tool_calls, (t, j) => {
        if (!t?.id || t.type !== 'function' || t.name === undefined || t.arguments === undefined) {
          throw new Error(`missing choices[${index}].tool_calls[${j}] id/type/function.name/function.arguments`);
        }
        return { id: t.id, type: 'function', function: { name: t.name, arguments: t.arguments } };
      });
    }
    return { index, message, finish_reason: c.finish_reason };
  });
  return { outcome: 'completed', id: head.id, model: head.model, choices: out, usage };
}

function parse(text: string, i: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`chat stream frame ${i}: data is not JSON (openai-node throws SyntaxError)`);
  }
}
