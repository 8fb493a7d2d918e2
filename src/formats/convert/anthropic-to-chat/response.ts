import type { AnthropicResponse, AnthropicResponseBlock, AnthropicToolUseBlock } from '../../anthropic/types.js';
import { normalizedError } from '../../errors/error-kinds.js';
import { parseUpstreamError } from '../../errors/parse-upstream-error.js';
import { newId } from '../../ids.js';
import { contentParts } from '../../openai-chat/content-parts.js';
import type { ChatResponse, ChatToolCall } from '../../openai-chat/types.js';
import { splitThinkText } from '../think-tag-splitter.js';
import type { ConversionContext, ResponseResult } from '../types.js';
import { mapFinishReason, matchedStopSequence } from './map-finish-reason.js';
import { mapUsage, usageSummary } from './map-usage.js';
import { readReasoning } from './read-reasoning.js';
import { toClientToolId } from './tool-ids.js';
import { parseToolInput } from './tool-input.js';
import { clientToolName } from './tool-names.js';

/** The converter's result plus what it had to change (logged by the proxy). */
export type AnthropicResponseResult = ResponseResult & { warnings: string[] };

type ChatChoice = ChatResponse['choices'][number];

/**
 * Non-streaming Chat completion → Anthropic Message (protocol-notes §5.2). Blocks come in the
 * order thinking → text → tool_use; no empty text block is produced (case 57); tool inputs are
 * always objects (case 46). A 200 carrying an error object comes back as `{ ok: false }` (case 58).
 */
export function convertResponse(body: unknown, context: ConversionContext): AnthropicResponseResult {
  const warnings: string[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: parseUpstreamError(200, body), warnings };
  }
  const chat = body as Partial<ChatResponse> & { error?: unknown };
  if (chat.error !== undefined && chat.error !== null)
    return { ok: false, error: parseUpstreamError(200, chat), warnings };
  if (!Array.isArray(chat.choices)) {
    // vLLM answers {object:"error", message}; anything else without choices is not a completion
    const error = (chat as { object?: unknown }).object === 'error' ? parseUpstreamError(200, chat) : undefined;
    return {
      ok: false,
      error: error ?? normalizedError('upstream_failed', 'upstream answered 200 without choices'),
      warnings,
    };
  }

  const choice: ChatChoice | undefined = chat.choices.find((c) => (c?.index ?? 0) === 0) ?? chat.choices[0]; // case 49
  const message = choice?.message;
  const content: AnthropicResponseBlock[] = [];

  const reasoning = message ? readReasoning(message) : { text: '', signature: undefined };
  const parts = contentParts(message?.content);
  const split = splitThinkText(parts.map((p) => (p.kind === 'text' ? p.text : '')).join(''));
  const thinkingParts = parts.map((p) => (p.kind === 'thinking' ? p.text : '')).join('');
  // the reasoning field wins, then thinking parts (Mistral), then a <think> block in the text
  const thinking = reasoning.text !== '' ? reasoning.text : thinkingParts !== '' ? thinkingParts : split.thinking;
  let text = split.text;
  const refusal = typeof message?.refusal === 'string' && message.refusal !== '' ? message.refusal : undefined;
  if (refusal) text = text.trim() === '' ? refusal : `${text}\n${refusal}`;

  if (thinking !== '')
    content.push({ type: 'thinking', thinking, signature: reasoning.signature ?? context.signatureTag ?? '' });
  if (text.trim() !== '') content.push({ type: 'text', text });
  const toolCalls = Array.isArray(message?.tool_calls) ? message.tool_calls : [];
  for (const call of toolCalls) content.push(toolUseBlock(call, context, warnings));

  const sawToolCall = toolCalls.length > 0;
  let stopReason = mapFinishReason(choice?.finish_reason, { sawToolCall, sawRefusal: refusal !== undefined });
  const stopSequence =
    stopReason === 'end_turn' ? matchedStopSequence(choice?.finish_reason, choice?.stop_reason) : null;
  if (stopSequence !== null) stopReason = 'stop_sequence';

  const usage = mapUsage(chat.usage);
  const response: AnthropicResponse = {
    id: newId('msg_'),
    type: 'message',
    role: 'assistant',
    model: context.clientModel,
    content,
    stop_reason: stopReason,
    stop_sequence: stopSequence,
    usage,
  };
  return { ok: true, body: response, usage: chat.usage ? usageSummary(usage) : undefined, warnings };
}

function toolUseBlock(call: ChatToolCall, context: ConversionContext, warnings: string[]): AnthropicToolUseBlock {
  const upstreamName = call.function?.name ?? '';
  const name = clientToolName(context, upstreamName);
  const { input, fix } = parseToolInput(call.function?.arguments);
  if (fix) warnings.push(`tool call "${name}": arguments were not a JSON object (${fix})`);
  const id = typeof call.id === 'string' && call.id !== '' ? toClientToolId(call.id) : newId('toolu_');
  return { type: 'tool_use', id, name, input };
}
