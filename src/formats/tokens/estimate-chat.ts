import type { ChatContentPart, ChatMessage, ChatRequest, ChatTool } from '../openai-chat/types.js';
import {
  BLOCK_OVERHEAD,
  CHAT_TOOLS_PREAMBLE,
  IMAGE_TOKENS,
  LOW_DETAIL_IMAGE_TOKENS,
  MESSAGE_OVERHEAD,
  REPLY_PRIMING,
  TOOL_CALL_OVERHEAD,
  TOOL_DEFINITION_OVERHEAD,
} from './costs.js';
import { pdfTokens } from './pdf-tokens.js';
import { jsonTokens, textTokens } from './text-tokens.js';

/**
 * The same estimate for a Chat Completions request (for usage figures when the upstream reports none):
 * every message's content parts, tool calls and reasoning, tool definitions, and per-message overhead.
 */
export function estimateChatInputTokens(body: ChatRequest): number {
  let tokens = REPLY_PRIMING;
  for (const message of arrayOf(body.messages)) tokens += MESSAGE_OVERHEAD + messageTokens(message);
  const tools = arrayOf(body.tools);
  if (tools.length > 0) tokens += CHAT_TOOLS_PREAMBLE;
  for (const tool of tools) tokens += toolTokens(tool);
  return Math.max(1, Math.ceil(tokens));
}

function messageTokens(message: ChatMessage): number {
  let tokens = contentTokens(message.content);
  if (message.role === 'assistant') {
    for (const call of arrayOf(message.tool_calls)) {
      tokens += TOOL_CALL_OVERHEAD + textTokens(call.function?.name ?? '') + textTokens(call.function?.arguments ?? '');
    }
    if (typeof message.reasoning_content === 'string') tokens += textTokens(message.reasoning_content);
    else if (typeof message.reasoning === 'string') tokens += textTokens(message.reasoning);
  }
  return tokens;
}

function contentTokens(content: string | readonly ChatContentPart[] | null | undefined): number {
  if (typeof content === 'string') return textTokens(content);
  let tokens = 0;
  for (const part of arrayOf(content)) tokens += BLOCK_OVERHEAD + partTokens(part);
  return tokens;
}

function partTokens(part: ChatContentPart): number {
  switch (part.type) {
    case 'text':
      return textTokens(part.text ?? '');
    case 'image_url':
      return part.image_url?.detail === 'low' ? LOW_DETAIL_IMAGE_TOKENS : IMAGE_TOKENS;
    case 'file': {
      const data = part.file?.file_data ?? '';
      return data.includes('application/pdf') || data.length === 0 ? pdfTokens(data.length) : textTokens(data);
    }
    default: // input_audio and parts added later
      return jsonTokens(part);
  }
}

function toolTokens(tool: ChatTool): number {
  const fn = tool.function;
  if (!fn) return TOOL_DEFINITION_OVERHEAD + jsonTokens(tool);
  return (
    TOOL_DEFINITION_OVERHEAD +
    textTokens(fn.name ?? '') +
    textTokens(fn.description ?? '') +
    jsonTokens(fn.parameters ?? {})
  );
}

function arrayOf<T>(value: readonly T[] | null | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}
