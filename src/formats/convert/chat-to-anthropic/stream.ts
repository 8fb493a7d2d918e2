import { type NormalizedError, normalizedError } from '../../errors/error-kinds.js';
import { parseUpstreamError } from '../../errors/parse-upstream-error.js';
import { streamErrorFrames } from '../../errors/render-error.js';
import { newId } from '../../ids.js';
import type { ChatChunk, ChatFinishReason } from '../../openai-chat/types.js';
import type { SseEvent, SseFrame } from '../../sse/types.js';
import type { ConversionContext, StreamConverter, UsageSummary } from '../types.js';
import { chatCompletionId } from './completion-id.js';
import { wantsUsageChunk } from './context.js';
import { isRecord, type JsonObject, numberOf } from './guards.js';
import { mapStopReason } from './map-stop-reason.js';
import { chatUsage, mergeUsage, usageSummary, ZERO_USAGE } from './map-usage.js';
import { initialStreamState, type StreamState } from './stream-state.js';

type ChunkDelta = NonNullable<ChatChunk['choices']>[number]['delta'];

export const CUT_STREAM_MESSAGE = 'upstream stream ended before completion';

/**
 * Anthropic Messages SSE → Chat Completions chunks (cases 137, 140): `data:` lines only, all sharing
 * id/created/model, ending in `[DONE]` — or in one `{"error":…}` chunk when the upstream failed or was cut.
 */
export class AnthropicToChatStream implements StreamConverter {
  readonly #state: StreamState = initialStreamState();
  readonly #context: ConversionContext;

  constructor(context: ConversionContext) {
    this.#context = context;
  }

  get sawContent(): boolean {
    return this.#state.sawContent;
  }
  get upstreamError(): NormalizedError | undefined {
    return this.#state.upstreamError;
  }
  get finished(): boolean {
    return this.#state.phase === 'finished';
  }
  get usage(): UsageSummary | undefined {
    return this.#state.usage && usageSummary(this.#state.usage);
  }

  push(event: SseEvent): SseFrame[] {
    const s = this.#state;
    if (s.phase === 'finished' || s.phase === 'failed') return [];
    const data = parseJson(event.data);
    if (event.event === 'error' || data?.type === 'error') {
      s.upstreamError = parseUpstreamError(200, data ?? event.data);
      return failWith(s, s.upstreamError);
    }
    const out: SseFrame[] = [];
    if (data) onEvent(s, this.#context, data, out); // a malformed data line is skipped, never forwarded
    return out;
  }

  end(): SseFrame[] {
    const s = this.#state;
    if (s.phase === 'finished' || s.phase === 'failed') return [];
    s.upstreamError = normalizedError('upstream_failed', CUT_STREAM_MESSAGE);
    return failWith(s, s.upstreamError);
  }

  fail(error: NormalizedError): SseFrame[] {
    const s = this.#state;
    if (s.phase === 'finished' || s.phase === 'failed') return [];
    return failWith(s, error);
  }
}

function failWith(s: StreamState, error: NormalizedError): SseFrame[] {
  s.phase = 'failed';
  return streamErrorFrames('openai_chat', error);
}

function onEvent(s: StreamState, ctx: ConversionContext, data: JsonObject, out: SseFrame[]): void {
  switch (data.type) {
    case 'message_start': {
      const message = isRecord(data.message) ? data.message : {};
      if (s.phase === 'awaiting_start') s.usage = mergeUsage(s.usage, message.usage);
      start(s, ctx, message.id, out);
      return;
    }
    case 'content_block_start':
      start(s, ctx, undefined, out);
      if (isRecord(data.content_block)) onBlockStart(s, ctx, numberOf(data.index), data.content_block, out);
      return;
    case 'content_block_delta':
      start(s, ctx, undefined, out);
      if (isRecord(data.delta)) onBlockDelta(s, ctx, numberOf(data.index), data.delta, out);
      return;
    case 'content_block_stop': {
      const block = numberOf(data.index);
      const k = block === undefined ? undefined : s.toolIndexByBlock.get(block);
      if (k !== undefined && s.phase === 'streaming') closeArguments(s, ctx, k, out);
      return;
    }
    case 'message_delta':
      start(s, ctx, undefined, out);
      s.usage = mergeUsage(s.usage, data.usage);
      if (s.phase === 'streaming') finish(s, ctx, isRecord(data.delta) ? data.delta.stop_reason : undefined, out);
      return;
    case 'message_stop':
      start(s, ctx, undefined, out);
      if (s.phase === 'streaming') finish(s, ctx, undefined, out);
      if (wantsUsageChunk(ctx)) out.push(usageChunk(s, ctx));
      out.push({ data: '[DONE]' });
      s.phase = 'finished';
      return;
    default: // ping, events added to the API later
      return;
  }
}

/** The first chunk: `delta:{role:"assistant",content:""}`. Sent once, on message_start (or whatever came first). */
function start(s: StreamState, ctx: ConversionContext, upstreamId: unknown, out: SseFrame[]): void {
  if (s.phase !== 'awaiting_start') return;
  s.id = chatCompletionId(upstreamId);
  s.phase = 'streaming';
  out.push(chunk(s, ctx, { role: 'assistant', content: '' }));
}

function onBlockStart(
  s: StreamState,
  ctx: ConversionContext,
  index: number | undefined,
  block: JsonObject,
  out: SseFrame[],
): void {
  switch (block.type) {
    case 'text':
      emitText(s, ctx, block.text, out);
      return;
    case 'thinking':
      emitReasoning(s, ctx, block.thinking, out);
      return;
    case 'tool_use': {
      const k = s.toolCalls++;
      if (index !== undefined) s.toolIndexByBlock.set(index, k);
      const id = typeof block.id === 'string' && block.id.length > 0 ? block.id : newId('toolu_');
      const name = typeof block.name === 'string' ? block.name : '';
      // The real API starts with `input: {}` and streams the JSON; some compatible servers send it whole here.
      const input = isRecord(block.input) && Object.keys(block.input).length > 0 ? JSON.stringify(block.input) : '';
      s.sawContent = true;
      if (input === '') s.toolsWithoutArguments.add(k);
      out.push(
        chunk(s, ctx, { tool_calls: [{ index: k, id, type: 'function', function: { name, arguments: input } }] }),
      );
      return;
    }
    default: // redacted_thinking, server tools: nothing a Chat client can use
      return;
  }
}

function onBlockDelta(
  s: StreamState,
  ctx: ConversionContext,
  index: number | undefined,
  delta: JsonObject,
  out: SseFrame[],
): void {
  switch (delta.type) {
    case 'text_delta':
      emitText(s, ctx, delta.text, out);
      return;
    case 'thinking_delta':
      emitReasoning(s, ctx, delta.thinking, out);
      return;
    case 'input_json_delta': {
      const k = index === undefined ? undefined : s.toolIndexByBlock.get(index);
      const fragment = delta.partial_json;
      if (k === undefined || typeof fragment !== 'string' || fragment.length === 0) return;
      s.sawContent = true;
      s.toolsWithoutArguments.delete(k);
      out.push(chunk(s, ctx, { tool_calls: [{ index: k, function: { arguments: fragment } }] }));
      return;
    }
    case 'signature_delta':
      // only for a client that can send it back (Codex through Responses → Anthropic); never to others
      if (ctx.signedReasoningOwner !== undefined && typeof delta.signature === 'string' && delta.signature !== '')
        out.push(
          chunk(s, ctx, { reasoning_details: [{ type: 'reasoning.text', text: '', signature: delta.signature }] }),
        );
      return;
    default: // citations_delta
      return;
  }
}

function emitText(s: StreamState, ctx: ConversionContext, text: unknown, out: SseFrame[]): void {
  if (typeof text !== 'string' || text.length === 0) return;
  s.sawContent = true;
  out.push(chunk(s, ctx, { content: text }));
}

function emitReasoning(s: StreamState, ctx: ConversionContext, thinking: unknown, out: SseFrame[]): void {
  if (typeof thinking !== 'string' || thinking.length === 0) return;
  s.sawContent = true;
  out.push(chunk(s, ctx, { reasoning_content: thinking }));
}

/** A tool call that ends without argument text gets `"{}"`: its arguments must parse as JSON. */
function closeArguments(s: StreamState, ctx: ConversionContext, k: number, out: SseFrame[]): void {
  if (!s.toolsWithoutArguments.delete(k)) return;
  out.push(chunk(s, ctx, { tool_calls: [{ index: k, function: { arguments: '{}' } }] }));
}

function finish(s: StreamState, ctx: ConversionContext, stopReason: unknown, out: SseFrame[]): void {
  for (const k of [...s.toolsWithoutArguments]) closeArguments(s, ctx, k, out); // blocks never stopped
  const reason: ChatFinishReason = mapStopReason(stopReason, { sawToolCall: s.toolCalls > 0 });
  out.push(chunk(s, ctx, {}, reason));
  s.phase = 'finishing';
}

function chunk(
  s: StreamState,
  ctx: ConversionContext,
  delta: ChunkDelta,
  finish_reason: ChatFinishReason | null = null,
): SseFrame {
  const body: ChatChunk = {
    id: s.id,
    object: 'chat.completion.chunk',
    created: ctx.created,
    model: ctx.clientModel,
    choices: [{ index: 0, delta, finish_reason }],
  };
  return { data: body };
}

/** `choices: []` + usage, sent before `[DONE]` when the client asked for `stream_options.include_usage`. */
function usageChunk(s: StreamState, ctx: ConversionContext): SseFrame {
  const body: ChatChunk = {
    id: s.id,
    object: 'chat.completion.chunk',
    created: ctx.created,
    model: ctx.clientModel,
    choices: [],
    usage: chatUsage(s.usage ?? ZERO_USAGE),
  };
  return { data: body };
}

function parseJson(data: string): JsonObject | undefined {
  try {
    const parsed: unknown = JSON.parse(data);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
