import type { AnthropicRequest } from '../../anthropic/types.js';
import { planLift } from '../../json-lift.js';
import type { SseEvent, SseFrame } from '../../sse/types.js';
import { withFields } from '../../with-fields.js';
import { chatToAnthropic } from '../chat-to-anthropic/index.js';
import { CHAT_TEXT } from '../chat-to-anthropic/liftable.js';
import { responsesToChat } from '../responses-to-chat/index.js';
import { responsesLiftRule } from '../responses-to-chat/liftable.js';
import type { ConversionContext, Converter, StreamConverter } from '../types.js';
import { withCacheBreakpoints } from './cache-breakpoints.js';

// Responses client (Codex) → Anthropic Messages upstream, composed through the Chat hub:
// request  Responses → Chat → Anthropic; response and stream Anthropic → Chat → Responses.
// Thinking becomes a reasoning summary on the way back (Anthropic thinking_delta → Chat
// reasoning_content → Responses reasoning item), its signature the item's encrypted_content
// (Chat reasoning_details on the way through), which Codex sends back for the next request.

const INNER = 'responses-to-anthropic.inner';

function innerContext(context: ConversionContext): ConversionContext {
  const inner = context.extra?.[INNER];
  if (!inner) throw new Error('responses-to-anthropic: conversion context lost its inner (Chat ⇄ Anthropic) context');
  return inner as ConversionContext;
}

/** Chat frames from the inner converter, re-read as upstream events by the outer one. */
const asEvent = (frame: SseFrame): SseEvent => ({
  event: frame.event,
  data: typeof frame.data === 'string' ? frame.data : JSON.stringify(frame.data),
});

class ComposedStream implements StreamConverter {
  constructor(
    private readonly inner: StreamConverter,
    private readonly outer: StreamConverter,
  ) {}

  #through(frames: SseFrame[]): SseFrame[] {
    const out: SseFrame[] = [];
    for (const frame of frames) out.push(...this.outer.push(asEvent(frame)));
    return out;
  }

  push(event: SseEvent): SseFrame[] {
    return this.#through(this.inner.push(event));
  }

  end(): SseFrame[] {
    return [...this.#through(this.inner.end()), ...this.outer.end()];
  }

  fail(error: Parameters<StreamConverter['fail']>[0]): SseFrame[] {
    return this.outer.fail(error);
  }

  get sawContent(): boolean {
    return this.outer.sawContent;
  }
  get upstreamError() {
    return this.inner.upstreamError ?? this.outer.upstreamError;
  }
  get finished(): boolean {
    return this.outer.finished;
  }
  get usage() {
    return this.inner.usage ?? this.outer.usage;
  }
}

/** Through both steps only texts and descriptions travel unread: Chat → Anthropic parses images and arguments. */
const LIFTABLE = planLift(responsesLiftRule(CHAT_TEXT, { images: false, arguments: false, schemas: false }));

export const responsesToAnthropic: Converter = {
  client: 'openai_responses',
  upstream: 'anthropic_messages',
  liftable: () => LIFTABLE,
  request(body, options) {
    // The Chat hop carries the reasoning effort as `reasoning_effort`, which the Anthropic hop turns
    // into a thinking budget; effort "none" means no thinking at all. Inline files pass as Chat
    // `file` parts, which the Anthropic hop turns into documents (PDF, text) or images.
    const effort = (body as { reasoning?: { effort?: unknown } | null } | null)?.reasoning?.effort;
    const reasoning = typeof effort === 'string' && effort !== 'none' ? 'openai' : 'none';
    const quirks = withFields(options.quirks, { reasoning, fileParts: true });
    // Claude's signed thinking reaches Codex as its reasoning items' encrypted_content, and comes
    // back with them: a tool loop keeps its thinking (Anthropic refuses thinking otherwise)
    const signedReasoningOwner = options.reasoningOwner ?? 'anthropic';
    const toChat = responsesToChat.request(body, { ...options, quirks, signedReasoningOwner });
    // the Chat hop narrows Codex's efforts to what Chat providers take (xhigh → high); Claude takes
    // xhigh itself (Opus 4.7 and later; the Anthropic hop gives 4.6 `high`, and 4.5 and earlier the
    // largest thinking budget)
    const narrowed = effort === 'xhigh' && (toChat.body as { reasoning_effort?: unknown }).reasoning_effort === 'high';
    const chatBody = narrowed ? withFields(toChat.body, { reasoning_effort: 'xhigh' }) : toChat.body;
    const toAnthropic = chatToAnthropic.request(chatBody, { ...options, signedReasoningOwner });
    return {
      path: toAnthropic.path,
      body: withCacheBreakpoints(toAnthropic.body as AnthropicRequest),
      context: withFields(toChat.context, {
        // Anthropic sends reasoning in thinking blocks only: a text that opens with <think> is the answer
        thinkTags: false,
        extra: withFields(toChat.context.extra ?? {}, { [INNER]: toAnthropic.context }),
      }),
      warnings: [...toChat.warnings, ...toAnthropic.warnings],
    };
  },
  response(body, context) {
    const chat = chatToAnthropic.response(body, innerContext(context));
    if (!chat.ok) return chat;
    const responses = responsesToChat.response(chat.body, context);
    return responses.ok ? { ...responses, usage: chat.usage ?? responses.usage } : responses;
  },
  stream(context) {
    return new ComposedStream(chatToAnthropic.stream(innerContext(context)), responsesToChat.stream(context));
  },
};
