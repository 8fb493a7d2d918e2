import type { AnthropicContentBlock, AnthropicRequest, AnthropicTool } from '../anthropic/types.js';
import {
  ANTHROPIC_TOOLS_PREAMBLE,
  BLOCK_OVERHEAD,
  IMAGE_TOKENS,
  MESSAGE_OVERHEAD,
  REPLY_PRIMING,
  TOOL_CALL_OVERHEAD,
  TOOL_DEFINITION_OVERHEAD,
  TOOL_RESULT_OVERHEAD,
} from './costs.js';
import { pdfTokens } from './pdf-tokens.js';
import { jsonTokens, textTokens } from './text-tokens.js';

/**
 * A fast local estimate of `POST /v1/messages/count_tokens` for targets that cannot count (cases 100–101):
 * system, every message block (text, images, documents, tool_use input, tool_result content, thinking) and
 * every tool (name, description, schema), plus per-message and per-tool overhead. Never 0.
 */
export function estimateAnthropicInputTokens(body: AnthropicRequest): number {
  let tokens = REPLY_PRIMING + systemTokens(body.system);
  for (const message of arrayOf(body.messages)) {
    tokens += MESSAGE_OVERHEAD + contentTokens(message.content);
  }
  const tools = arrayOf(body.tools);
  if (tools.length > 0) tokens += ANTHROPIC_TOOLS_PREAMBLE;
  for (const tool of tools) tokens += toolTokens(tool);
  return Math.max(1, Math.ceil(tokens));
}

function systemTokens(system: AnthropicRequest['system']): number {
  if (typeof system === 'string') return textTokens(system);
  let tokens = 0;
  for (const block of arrayOf(system)) tokens += BLOCK_OVERHEAD + textTokens(block.text ?? '');
  return tokens;
}

function contentTokens(content: string | readonly AnthropicContentBlock[] | undefined): number {
  if (typeof content === 'string') return textTokens(content);
  let tokens = 0;
  for (const block of arrayOf(content)) tokens += BLOCK_OVERHEAD + blockTokens(block);
  return tokens;
}

function blockTokens(block: AnthropicContentBlock): number {
  switch (block.type) {
    case 'text':
      return textTokens(block.text ?? '');
    case 'image':
      return IMAGE_TOKENS;
    case 'document':
      return documentTokens(block.source);
    case 'tool_use':
      return TOOL_CALL_OVERHEAD + textTokens(block.name ?? '') + jsonTokens(block.input);
    case 'tool_result':
      return TOOL_RESULT_OVERHEAD + contentTokens(block.content);
    case 'thinking':
      return textTokens(block.thinking ?? '');
    case 'redacted_thinking':
      return textTokens(block.data ?? '');
    default: // server tool blocks and types added later: as much as their JSON
      return jsonTokens(block);
  }
}

function documentTokens(source: Extract<AnthropicContentBlock, { type: 'document' }>['source']): number {
  switch (source?.type) {
    case 'base64':
      return source.media_type === 'application/pdf' ? pdfTokens(source.data.length) : textTokens(source.data);
    case 'text':
      return textTokens(source.data);
    case 'content':
      return jsonTokens(source.content);
    default: // a URL: the content is unknown until fetched
      return pdfTokens(0);
  }
}

function toolTokens(tool: AnthropicTool): number {
  const { name, description, input_schema, cache_control: _cache, ...rest } = tool;
  let tokens = TOOL_DEFINITION_OVERHEAD + textTokens(name ?? '') + textTokens(description ?? '');
  tokens += input_schema === undefined ? jsonTokens(rest) : jsonTokens(input_schema); // server tools: their settings
  return tokens;
}

/** Bodies come from clients: a missing or malformed list counts as empty rather than throwing. */
function arrayOf<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}
