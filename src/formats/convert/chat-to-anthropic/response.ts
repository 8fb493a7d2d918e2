import type { AnthropicUsage } from '../../anthropic/types.js';
import { normalizedError } from '../../errors/error-kinds.js';
import { parseUpstreamError } from '../../errors/parse-upstream-error.js';
import { newId } from '../../ids.js';
import { type SignedThinking, signedDetail } from '../../openai-chat/signed-thinking.js';
import type { ChatResponse, ChatToolCall } from '../../openai-chat/types.js';
import type { ConversionContext, ResponseResult } from '../types.js';
import { chatCompletionId } from './completion-id.js';
import { isRecord, type JsonObject } from './guards.js';
import { mapStopReason } from './map-stop-reason.js';
import { chatUsage, mergeUsage, usageSummary, ZERO_USAGE } from './map-usage.js';

type ChatMessageOut = ChatResponse['choices'][number]['message'];

/**
 * A non-streaming Anthropic Message → `chat.completion`: text blocks joined into `content` (null when
 * none), `tool_use` → `tool_calls`, thinking → `reasoning_content`, stop_reason → finish_reason, usage
 * (cases 138, 139). A 200 carrying `{type:"error"}` becomes `{ok:false}` (case 98).
 */
export function convertResponse(body: unknown, context: ConversionContext): ResponseResult {
  if (isRecord(body) && (body.type === 'error' || (isRecord(body.error) && !Array.isArray(body.content)))) {
    return { ok: false, error: parseUpstreamError(200, body) };
  }
  if (!isRecord(body) || !Array.isArray(body.content)) {
    return {
      ok: false,
      error: normalizedError('upstream_failed', 'the upstream answered with a body that is not an Anthropic Message'),
    };
  }

  let text: string | null = null;
  let reasoning: string | null = null;
  const signed: SignedThinking[] = [];
  const toolCalls: ChatToolCall[] = [];
  for (const block of body.content as unknown[]) {
    if (!isRecord(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') text = (text ?? '') + block.text;
    else if (block.type === 'thinking' && typeof block.thinking === 'string') {
      reasoning = (reasoning ?? '') + block.thinking;
      if (typeof block.signature === 'string' && block.signature !== '' && block.thinking !== '')
        signed.push({ text: block.thinking, signature: block.signature });
    } else if (block.type === 'tool_use') toolCalls.push(toolCall(block));
    // redacted_thinking, server tool blocks: nothing a Chat client can use
  }

  const message: ChatMessageOut = { role: 'assistant', content: text, refusal: null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning !== null) message.reasoning_content = reasoning;
  // only for a client that can send it back (Codex through Responses → Anthropic)
  if (context.signedReasoningOwner !== undefined && signed.length > 0)
    message.reasoning_details = signed.map(signedDetail);

  const usage: AnthropicUsage = mergeUsage(ZERO_USAGE, body.usage) ?? ZERO_USAGE;
  const completion: ChatResponse = {
    id: chatCompletionId(body.id),
    object: 'chat.completion',
    created: context.created,
    model: context.clientModel,
    choices: [
      {
        index: 0,
        message,
        finish_reason: mapStopReason(body.stop_reason, { sawToolCall: toolCalls.length > 0 }),
        logprobs: null,
      },
    ],
    usage: chatUsage(usage),
  };
  return { ok: true, body: completion, usage: usageSummary(usage) };
}

function toolCall(block: JsonObject): ChatToolCall {
  return {
    id: typeof block.id === 'string' && block.id.length > 0 ? block.id : newId('toolu_'),
    type: 'function',
    function: {
      name: typeof block.name === 'string' ? block.name : '',
      arguments: JSON.stringify(isRecord(block.input) ? block.input : {}),
    },
  };
}
