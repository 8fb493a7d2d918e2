import { type NormalizedError, normalizedError } from '../../errors/error-kinds.js';
import { parseUpstreamError } from '../../errors/parse-upstream-error.js';
import { newId } from '../../ids.js';
import { streamedSignature } from '../../openai-chat/signed-thinking.js';
import type { ByteSink } from '../../sse/byte-sink.js';
import type { SseEvent, SseFrame } from '../../sse/types.js';
import { endThinkTags, reasoningFieldSeen, splitThinkTags, type ThinkSegment } from '../think-tag-splitter.js';
import type { ConversionContext, StreamConverter, UsageSummary } from '../types.js';
import { writeEvent } from './event-writer.js';
import { asArray, isObject, type JsonObject, nonEmpty, parseJson } from './json.js';
import { responsesError } from './map-error.js';
import { mapFinishReason } from './map-finish-reason.js';
import { responsesUsage, usageSummary } from './map-usage.js';
import { responseObject } from './output-items.js';
import { answerText, firstChoice, reasoningText } from './read-chat.js';
import { appendReasoning, appendText, openItemSnapshot, signReasoning } from './stream-items.js';
import { initialStreamState, type StreamState } from './stream-state.js';
import { closeAllItems, onToolCallDeltas } from './stream-tools.js';
import { TextFastLane } from './text-fast-lane.js';

/**
 * Chat Completions SSE → Responses SSE (cases 114–120): created → in_progress → items (added,
 * deltas, done) → completed / incomplete, or failed when the upstream breaks off. Plain text
 * events take a fast lane (text-fast-lane.ts); `fastText: false` sends every event through the
 * full path (tests compare the two).
 *
 * A class, not an object literal with getters: V8 gave each such literal (its getters are closures
 * made per stream) a hidden class of its own, held in the old generation, which kept the getters'
 * closures (and through them the stream's whole state) alive through every young collection until
 * a full one: each stream's objects were promoted (docs/performance.md, "Session 16").
 */
export class ChatToResponsesStream implements StreamConverter {
  readonly #state: StreamState;
  readonly #context: ConversionContext;
  readonly #lane: TextFastLane | undefined;

  constructor(context: ConversionContext, { fastText = true }: { fastText?: boolean } = {}) {
    this.#context = context;
    this.#state = initialStreamState(newId('resp_'), context.thinkTags !== false);
    this.#lane = fastText ? new TextFastLane() : undefined;
  }

  push(event: SseEvent): SseFrame[] {
    return this.#lane?.push(this.#state, event) ?? onEvent(this.#state, this.#context, event);
  }

  /** The text fast lane on raw bytes; without one (`fastText: false`) it takes nothing. */
  pushRaw(bytes: Buffer, start: number, end: number, out: ByteSink): number {
    return this.#lane === undefined ? start : this.#lane.pushRaw(this.#state, bytes, start, end, out);
  }

  end(): SseFrame[] {
    return onEnd(this.#state, this.#context);
  }

  fail(error: NormalizedError): SseFrame[] {
    return onFail(this.#state, this.#context, error);
  }

  get fastEvents(): number {
    return this.#lane?.taken ?? 0;
  }
  get sawContent(): boolean {
    return this.#state.sawContent;
  }
  get upstreamError(): NormalizedError | undefined {
    return this.#state.upstreamError;
  }
  get finished(): boolean {
    return this.#state.phase === 'completed';
  }
  get usage(): UsageSummary | undefined {
    return usageSummary(this.#state.usage);
  }
}

export function chatStreamToResponses(
  context: ConversionContext,
  options: { fastText?: boolean } = {},
): StreamConverter {
  return new ChatToResponsesStream(context, options);
}

function onEvent(state: StreamState, context: ConversionContext, event: SseEvent): SseFrame[] {
  if (isOver(state)) return [];
  const out: SseFrame[] = [];
  begin(state, context, out);
  if (event.data.trim() === '[DONE]') {
    complete(state, context, out);
    return out;
  }
  const chunk = parseJson(event.data);
  if (!isObject(chunk)) return out; // malformed line: skipped, never forwarded (case 83)
  if (isErrorChunk(event, chunk)) {
    state.upstreamError = parseUpstreamError(200, chunk);
    failWith(state, context, out, state.upstreamError);
    return out;
  }
  if (isObject(chunk.usage)) state.usage = chunk.usage; // finish chunk, `choices: []` chunk, or repeated: last wins
  const choice = firstChoice(chunk.choices);
  if (choice === undefined) return out;
  if (isObject(choice.delta)) onDelta(state, context, out, choice.delta);
  const finish = nonEmpty(choice.finish_reason);
  if (finish === 'error') {
    // OpenRouter's way of saying the provider failed mid-answer (its error object may be absent).
    state.upstreamError = normalizedError(
      'upstream_failed',
      'the upstream ended the answer with finish_reason "error"',
    );
    failWith(state, context, out, state.upstreamError);
  } else if (finish !== undefined) {
    state.finishReason ??= finish; // a repeated finish chunk changes nothing
    flushThink(state, context, out);
    closeAllItems(state, context, out);
  }
  return out;
}

/** One delta, split in the order reasoning → text → tool calls (case 72). */
function onDelta(state: StreamState, context: ConversionContext, out: SseFrame[], delta: JsonObject): void {
  const reasoning = reasoningText(delta);
  if (reasoning.length > 0) {
    reasoningFieldSeen(state.think); // the field wins over a <think> block in the content
    appendReasoning(state, context, out, reasoning);
  }
  if (context.signedReasoningOwner !== undefined) {
    const signature = streamedSignature(delta.reasoning_details);
    if (signature !== undefined) signReasoning(state, signature);
  }
  const text = answerText(delta);
  if (text.length > 0) appendSegments(state, context, out, splitThinkTags(state.think, text));
  const toolCalls = asArray(delta.tool_calls);
  if (toolCalls !== undefined && toolCalls.length > 0) {
    flushThink(state, context, out);
    onToolCallDeltas(state, context, out, toolCalls);
  }
}

/** Content split at a leading `<think>…</think>`: the think block is reasoning (case 84). */
function appendSegments(
  state: StreamState,
  context: ConversionContext,
  out: SseFrame[],
  segments: ThinkSegment[],
): void {
  for (const segment of segments) {
    if (segment.kind === 'thinking') appendReasoning(state, context, out, segment.text);
    // whitespace some servers send beside tool-call deltas must not close the open call (its
    // later arguments would be lost, and Codex would run it with the half it had)
    else if (state.open.kind !== 'tool' || segment.text.trim() !== '') appendText(state, context, out, segment.text);
  }
}

/** Releases content the think-tag splitter held back (the content is over, or a tool call follows). */
function flushThink(state: StreamState, context: ConversionContext, out: SseFrame[]): void {
  appendSegments(state, context, out, endThinkTags(state.think));
}

function onEnd(state: StreamState, context: ConversionContext): SseFrame[] {
  if (isOver(state)) return [];
  const out: SseFrame[] = [];
  begin(state, context, out);
  if (state.finishReason !== null) {
    complete(state, context, out); // EOF after a finish_reason: a normal end without [DONE]
  } else {
    flushThink(state, context, out); // what was received is kept, as far as it goes
    const message = 'the upstream stream ended before completion (no finish_reason and no [DONE])';
    failWith(state, context, out, normalizedError('upstream_failed', message));
  }
  return out;
}

function onFail(state: StreamState, context: ConversionContext, error: NormalizedError): SseFrame[] {
  if (isOver(state)) return [];
  const out: SseFrame[] = [];
  begin(state, context, out);
  flushThink(state, context, out);
  failWith(state, context, out, error);
  return out;
}

const isOver = (state: StreamState) => state.phase === 'completed' || state.phase === 'failed';

function isErrorChunk(event: SseEvent, chunk: JsonObject): boolean {
  return event.event === 'error' || (chunk.error !== undefined && chunk.error !== null) || chunk.object === 'error';
}

/** response.created and response.in_progress, once, on the first upstream event. */
function begin(state: StreamState, context: ConversionContext, out: SseFrame[]): void {
  if (state.phase !== 'not_started') return;
  state.phase = 'streaming';
  for (const type of ['response.created', 'response.in_progress']) {
    const response = responseObject(context, { id: state.responseId, status: 'in_progress', output: [], usage: null });
    writeEvent(state, out, type, { response });
  }
}

/** [DONE], or EOF after a finish: close what is open, then response.completed / incomplete (case 120). */
function complete(state: StreamState, context: ConversionContext, out: SseFrame[]): void {
  flushThink(state, context, out);
  closeAllItems(state, context, out);
  const outcome = mapFinishReason(state.finishReason);
  const response = responseObject(context, {
    id: state.responseId,
    status: outcome.status,
    output: [...state.output],
    usage: responsesUsage(state.usage),
    outcome,
  });
  state.phase = 'completed';
  writeEvent(state, out, outcome.status === 'completed' ? 'response.completed' : 'response.incomplete', { response });
}

/**
 * response.failed with a code Codex understands (case 99). The open item gets no `.done`: Codex
 * would act on a half-received tool call; the snapshot in `output` marks it incomplete.
 */
function failWith(state: StreamState, context: ConversionContext, out: SseFrame[], error: NormalizedError): void {
  const output = [...state.output];
  const open = openItemSnapshot(state, context);
  if (open !== undefined) output[open.outputIndex] = open.item;
  const response = responseObject(context, {
    id: state.responseId,
    status: 'failed',
    output,
    usage: state.usage === undefined ? null : responsesUsage(state.usage),
    error: responsesError(error),
  });
  state.phase = 'failed';
  writeEvent(state, out, 'response.failed', { response });
}
