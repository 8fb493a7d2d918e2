import { type NormalizedError, normalizedError } from '../../errors/error-kinds.js';
import { parseUpstreamError } from '../../errors/parse-upstream-error.js';
import { streamErrorFrames } from '../../errors/render-error.js';
import { newId } from '../../ids.js';
import { contentParts } from '../../openai-chat/content-parts.js';
import { PlainTextDeltas } from '../../openai-chat/plain-text-delta.js';
import type { ChatChunk, ChatUsage } from '../../openai-chat/types.js';
import type { ByteSink } from '../../sse/byte-sink.js';
import type { SseEvent, SseFrame } from '../../sse/types.js';
import { endThinkTags, reasoningFieldSeen, splitThinkTags } from '../think-tag-splitter.js';
import type { ConversionContext, StreamConverter, UsageSummary } from '../types.js';
import { mapFinishReason, matchedStopSequence } from './map-finish-reason.js';
import { mapUsage, usageSummary } from './map-usage.js';
import { readReasoning } from './read-reasoning.js';
import { advanceTools, closeOpenBlock, finishTools, onSignature, onText, onThinking } from './stream-blocks.js';
import {
  messageDeltaFrame,
  messageStartFrame,
  messageStopFrame,
  RAW_TEXT_DELTA_TAIL,
  rawTextDeltaHead,
  textDeltaFrame,
} from './stream-frames.js';
import { initialStreamState, type StreamState, warn } from './stream-state.js';
import { applyToolDelta } from './tool-call-buffer.js';

type ChatChoiceDelta = NonNullable<ChatChunk['choices']>[number];

const CUT_MESSAGE = 'upstream stream ended before completion';

/**
 * Chat Completions SSE → Anthropic Messages SSE (protocol-notes §5.3). Each upstream event is
 * parsed once and answered with the frames it completes. message_start is built from the first
 * upstream chunk; message_delta waits for usage (after the finish) or the end of the stream.
 */
export class ChatToAnthropicStream implements StreamConverter {
  readonly #s: StreamState;
  readonly #context: ConversionContext;
  readonly #fastText: boolean;
  readonly #texts = new PlainTextDeltas();
  #fastEvents = 0;
  /** rawTextDeltaHead of the open text block, built once per block. */
  #rawHead: { index: number; bytes: Buffer } | undefined;

  /** `fastText: false` sends every event through the full path (tests compare the two). */
  constructor(context: ConversionContext, { fastText = true }: { fastText?: boolean } = {}) {
    this.#context = context;
    this.#s = initialStreamState(newId('msg_'), context.signatureTag);
    this.#fastText = fastText;
  }

  get sawContent(): boolean {
    return this.#s.sawContent;
  }
  get upstreamError(): NormalizedError | undefined {
    return this.#s.upstreamError;
  }
  get finished(): boolean {
    return this.#s.phase === 'stopped';
  }
  get usage(): UsageSummary | undefined {
    return this.#s.usage ? usageSummary(mapUsage(this.#s.usage)) : undefined;
  }
  /** Upstream events the text fast lane answered without parsing them. */
  get fastEvents(): number {
    return this.#fastEvents;
  }
  /** What was dropped or repaired on the way (for the log). */
  get warnings(): readonly string[] {
    return this.#s.warnings;
  }
  /** Upstream data lines that were not JSON and were skipped. */
  get malformedChunks(): number {
    return this.#s.malformedChunks;
  }

  push(event: SseEvent): SseFrame[] {
    const s = this.#s;
    if (s.phase === 'stopped' || s.phase === 'failed') return [];
    const data = event.data;
    if (data === '[DONE]' || (data.length < 16 && data.trim() === '[DONE]')) return this.#complete();
    if (event.event === 'ping' || data === '') return [];
    // Text into an open text block (most events): copied without a parse (plain-text-delta.ts).
    if (
      this.#fastText &&
      s.phase === 'streaming' &&
      s.open.kind === 'text' &&
      s.think.mode === 'text' &&
      event.event === undefined
    ) {
      const literal = this.#texts.match(data);
      if (literal !== undefined) {
        this.#fastEvents++;
        return literal === '""' ? [] : [textDeltaFrame(s.open.index, literal)];
      }
    }
    let chunk: ChatChunk;
    try {
      chunk = JSON.parse(data) as ChatChunk;
    } catch {
      s.malformedChunks++;
      warn(s, `malformed upstream data line skipped: ${data.slice(0, 80)}`);
      return [];
    }
    if (typeof chunk !== 'object' || chunk === null) {
      s.malformedChunks++;
      return [];
    }
    if ((chunk.error !== undefined && chunk.error !== null) || event.event === 'error') {
      // after the finish the answer is complete: it ends as one, as after a cut connection there
      if (s.phase === 'finishing') {
        warn(s, `an error after the answer's finish was ignored: ${JSON.stringify(chunk.error ?? data).slice(0, 120)}`);
        return this.#complete();
      }
      return this.#failWith(parseUpstreamError(200, chunk), true);
    }
    const inText = s.open.kind === 'text';
    const out = this.#onChunk(chunk);
    // the event that opened a text block becomes the template for the ones that follow it, when
    // there is none yet (learn() checks it as match() would; #onChunk does not change `chunk`)
    if (!inText && this.#fastText && s.open.kind === 'text' && s.think.mode === 'text' && event.event === undefined)
      this.#texts.learn(data, chunk);
    return out;
  }

  /**
   * The fast lane on bytes: the text events from bytes[start] on that fit the current template are
   * copied, never decoded, until one does not (or `end`). Returns where that one starts.
   */
  pushRaw(bytes: Buffer, start: number, end: number, out: ByteSink): number {
    const s = this.#s;
    if (!this.#fastText || s.phase !== 'streaming' || s.open.kind !== 'text' || s.think.mode !== 'text') return start;
    const texts = this.#texts;
    const index = s.open.index;
    if (this.#rawHead?.index !== index) this.#rawHead = { index, bytes: rawTextDeltaHead(index) };
    const head = this.#rawHead.bytes;
    let at = start;
    while (at < end) {
      const literal = texts.rawEvent(bytes, at, end);
      if (literal < 0) break;
      const literalEnd = texts.rawLiteralEnd;
      this.#fastEvents++;
      at = texts.rawEventEnd;
      if (literalEnd - literal === 2) continue; // "": nothing to send, as in push()
      out.bytes(head);
      out.bytes(bytes, literal, literalEnd);
      out.bytes(RAW_TEXT_DELTA_TAIL);
    }
    return at;
  }

  end(): SseFrame[] {
    const s = this.#s;
    if (s.phase === 'stopped' || s.phase === 'failed') return [];
    if (s.phase === 'finishing') return this.#complete();
    const out = this.#flushThink();
    return [...out, ...this.#failWith(normalizedError('upstream_failed', CUT_MESSAGE), false)];
  }

  fail(error: NormalizedError): SseFrame[] {
    const s = this.#s;
    if (s.phase === 'stopped' || s.phase === 'failed') return [];
    // the answer was complete (finish received); only the usage/[DONE] tail was lost
    if (s.phase === 'finishing') return this.#complete();
    return this.#failWith(error, false);
  }

  #onChunk(chunk: ChatChunk): SseFrame[] {
    const s = this.#s;
    const out: SseFrame[] = [];
    const usage = chunk.usage ?? chunk.x_groq?.usage ?? undefined;
    if (s.phase === 'awaiting') this.#start(usage, out);
    const finishedBefore = s.phase === 'finishing';

    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    const choice = choices.find((c) => (c?.index ?? 0) === 0); // n > 1: choice 0 only (case 87)
    if (choice && s.phase === 'streaming') this.#onChoice(choice, out);

    if (usage && typeof usage === 'object') {
      s.usage = usage;
      // usage that follows the finish chunk completes the message (case 73); usage riding on the
      // finish chunk itself may still be repeated (Groq, OpenRouter), so it waits for the next event
      if (finishedBefore) out.push(...this.#complete());
    }
    return out;
  }

  #onChoice(choice: ChatChoiceDelta, out: SseFrame[]): void {
    const s = this.#s;
    const delta = choice.delta ?? {};
    // one delta may carry reasoning, content and tool calls: thinking → text → tool_use (case 72)
    const reasoning = readReasoning(delta);
    if (reasoning.text !== '') {
      reasoningFieldSeen(s.think); // the field wins over a <think> block in the content
      onThinking(s, reasoning.text, out);
    }
    if (reasoning.signature !== undefined) onSignature(s, reasoning.signature);
    if (typeof delta.content === 'string') {
      if (delta.content !== '')
        for (const segment of splitThinkTags(s.think, delta.content)) this.#onSegment(segment.kind, segment.text, out);
    } else if (Array.isArray(delta.content)) {
      // content as parts (Mistral's reasoning models: thinking parts, then text parts)
      for (const part of contentParts(delta.content)) {
        if (part.kind === 'thinking') {
          reasoningFieldSeen(s.think);
          onThinking(s, part.text, out);
        } else
          for (const segment of splitThinkTags(s.think, part.text)) this.#onSegment(segment.kind, segment.text, out);
      }
    }
    if (typeof delta.refusal === 'string' && delta.refusal !== '') {
      s.sawRefusal = true;
      onText(s, delta.refusal, out);
    }
    if (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) {
      out.push(...this.#flushThink());
      for (const toolDelta of delta.tool_calls) {
        if (!toolDelta || typeof toolDelta !== 'object') continue;
        const { call, dropped } = applyToolDelta(s.tools, toolDelta);
        if (dropped) warn(s, `tool call ${call.id ?? '(no id)'}: arguments after its block was closed dropped`);
      }
      advanceTools(s, this.#context, out);
    }
    const reason = choice.finish_reason;
    if (typeof reason === 'string' && reason !== '') this.#onFinish(reason, choice.stop_reason, out);
  }

  #onSegment(kind: 'thinking' | 'text', text: string, out: SseFrame[]): void {
    if (kind === 'thinking') onThinking(this.#s, text, out);
    // whitespace some servers send beside tool-call deltas must not cut the open tool block
    else if (this.#s.open.kind !== 'tool' || text.trim() !== '') onText(this.#s, text, out);
  }

  #onFinish(reason: string, stopReason: string | number | null | undefined, out: SseFrame[]): void {
    const s = this.#s;
    if (reason === 'error') {
      out.push(...this.#failWith(normalizedError('upstream_failed', 'upstream reported finish_reason "error"'), true));
      return;
    }
    out.push(...this.#flushThink());
    finishTools(s, this.#context, out);
    s.finishReason = reason;
    s.stopSequence = matchedStopSequence(reason, stopReason);
    s.phase = 'finishing';
  }

  #start(usage: ChatUsage | null | undefined, out: SseFrame[]): void {
    const s = this.#s;
    s.phase = 'streaming';
    // all four counters, always (case 61); input is usually only known at the end
    const counts = { ...mapUsage(usage), output_tokens: 0 };
    out.push(messageStartFrame(s.messageId, this.#context.clientModel, counts));
  }

  /** Normal end: [DONE], usage after the finish, or EOF after a finish. */
  #complete(): SseFrame[] {
    const s = this.#s;
    const out: SseFrame[] = [];
    if (s.phase === 'awaiting') this.#start(undefined, out);
    if (s.phase === 'streaming') {
      out.push(...this.#flushThink());
      finishTools(s, this.#context, out); // [DONE] without a finish chunk (case 77)
    }
    let stopReason = mapFinishReason(s.finishReason, { sawToolCall: s.sawToolCall, sawRefusal: s.sawRefusal });
    const stopSequence = stopReason === 'end_turn' ? s.stopSequence : null;
    if (stopSequence !== null) stopReason = 'stop_sequence';
    // input_tokens and cache counters included (cases 73, 76)
    out.push(messageDeltaFrame(stopReason, stopSequence, mapUsage(s.usage)), messageStopFrame());
    s.phase = 'stopped';
    return out;
  }

  /** Ends the stream with an `error` event after closing the open block (cases 78, 79). */
  #failWith(error: NormalizedError, reportedByUpstream: boolean): SseFrame[] {
    const s = this.#s;
    const out: SseFrame[] = [];
    closeOpenBlock(s, out);
    if (reportedByUpstream) s.upstreamError = error;
    s.phase = 'failed';
    out.push(...streamErrorFrames('anthropic_messages', error));
    return out;
  }

  /** Releases text the <think> splitter held back (a possible partial tag). */
  #flushThink(): SseFrame[] {
    const out: SseFrame[] = [];
    if (this.#s.phase !== 'streaming') return out;
    for (const segment of endThinkTags(this.#s.think)) this.#onSegment(segment.kind, segment.text, out);
    return out;
  }
}
