import type {
  AnthropicContentBlock,
  AnthropicMessage,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
  AnthropicToolUseBlock,
} from '../../anthropic/types.js';
import { signedThinking } from '../../openai-chat/signed-thinking.js';
import { ConversionError } from '../types.js';
import { isRecord, type JsonObject } from './guards.js';
import { textBlocks, userBlocks } from './map-content.js';
import { ToolIdTable } from './tool-id-table.js';

/** A user/assistant turn under construction; content is always a block array on the way up. */
type Turn = { role: 'user' | 'assistant'; content: AnthropicContentBlock[] };

export interface MappedMessages {
  system: AnthropicTextBlock[];
  messages: AnthropicMessage[];
  warnings: string[];
}

/** Text of the user turn inserted when a conversation does not start with one (Anthropic requires it). */
export const PLACEHOLDER_USER_TEXT = '.';

/**
 * Chat `messages` → Anthropic `system` + alternating `messages` (cases 132–135):
 * - system/developer messages, wherever they are, become `system` text blocks in order;
 * - tool messages become `tool_result` blocks in a user turn (consecutive ones share that turn, and a
 *   following user message's content joins it after the results);
 * - assistant text + `tool_calls` become text + `tool_use` blocks; reasoning is dropped (Anthropic only
 *   accepts thinking it signed itself, and a signature is never forged);
 * - consecutive same-role turns are merged; messages left empty are dropped; the first turn is a user turn.
 */
export function mapMessages(messages: unknown): MappedMessages {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new ConversionError('messages must be a non-empty array');
  }
  const system: AnthropicTextBlock[] = [];
  const turns: Turn[] = [];
  const warnings: string[] = [];
  const ids = new ToolIdTable();
  let droppedReasoning = false;
  let sawConversation = false;

  messages.forEach((message: unknown, i) => {
    const where = `messages[${i}]`;
    if (!isRecord(message)) throw new ConversionError(`${where} must be an object with a role`);
    switch (message.role) {
      case 'system':
      case 'developer':
        if (sawConversation) warnings.push(`${where} (${message.role}) was moved into the top-level system prompt`);
        system.push(...textBlocks(message.content, where));
        return;
      case 'user':
        sawConversation = true;
        addTurn(turns, 'user', userBlocks(message.content, where), where, warnings);
        return;
      case 'assistant':
        sawConversation = true;
        droppedReasoning ||= hasReasoning(message) && signedThinking(message.reasoning_details).length === 0;
        addTurn(turns, 'assistant', assistantBlocks(message, where, ids, warnings), where, warnings);
        return;
      case 'tool':
        sawConversation = true;
        addTurn(turns, 'user', [toolResultBlock(message, where, ids)], where, warnings);
        return;
      case 'function':
        throw new ConversionError(`${where}: legacy role "function" is not supported; use tool_calls and role "tool"`);
      default:
        throw new ConversionError(`${where}: unknown role ${JSON.stringify(message.role)}`);
    }
  });

  if (droppedReasoning) {
    warnings.push('assistant reasoning was not forwarded: Anthropic only accepts thinking blocks it signed');
  }
  if (turns[0]?.role !== 'user') {
    turns.unshift({ role: 'user', content: [{ type: 'text', text: PLACEHOLDER_USER_TEXT }] });
    warnings.push(
      `inserted a placeholder user message ("${PLACEHOLDER_USER_TEXT}"): Anthropic requires the conversation to start with a user turn`,
    );
  }
  trimFinalAssistantText(turns);
  return { system, messages: turns, warnings };
}

function addTurn(
  turns: Turn[],
  role: Turn['role'],
  content: AnthropicContentBlock[],
  where: string,
  warnings: string[],
): void {
  if (content.length === 0) {
    warnings.push(`${where} (${role}) has no content and was dropped`);
    return;
  }
  const last = turns.at(-1);
  if (last?.role === role) last.content.push(...content);
  else turns.push({ role, content });
}

function assistantBlocks(
  message: JsonObject,
  where: string,
  ids: ToolIdTable,
  warnings: string[],
): AnthropicContentBlock[] {
  // thinking Anthropic signed goes back first, unchanged (OpenRouter's reasoning_details, or Codex's
  // reasoning items through Responses → Anthropic): the turn keeps its extended thinking
  const blocks: AnthropicContentBlock[] = signedThinking(message.reasoning_details).map((t) => ({
    type: 'thinking',
    thinking: t.text,
    signature: t.signature,
  }));
  blocks.push(...textBlocks(message.content, where));
  if (!blocks.some((b) => b.type === 'text') && typeof message.refusal === 'string')
    blocks.push(...textBlocks(message.refusal, where));
  if (message.function_call !== undefined && message.function_call !== null) {
    throw new ConversionError(`${where}: legacy function_call is not supported; use tool_calls`);
  }
  const toolCalls = message.tool_calls;
  if (toolCalls === undefined || toolCalls === null) return blocks;
  if (!Array.isArray(toolCalls)) throw new ConversionError(`${where}.tool_calls must be an array`);
  toolCalls.forEach((call: unknown, j) => {
    blocks.push(toolUseBlock(call, `${where}.tool_calls[${j}]`, ids, warnings));
  });
  return blocks;
}

/** `{id, type:"function", function:{name, arguments}}` → `tool_use` with the arguments parsed (case 134). */
function toolUseBlock(call: unknown, where: string, ids: ToolIdTable, warnings: string[]): AnthropicToolUseBlock {
  if (!isRecord(call) || !isRecord(call.function)) {
    throw new ConversionError(
      `${where} must be a function tool call ({id, type:"function", function:{name, arguments}})`,
    );
  }
  const { name, arguments: args } = call.function;
  if (typeof name !== 'string' || name.length === 0) throw new ConversionError(`${where}: function.name is required`);
  const id = ids.forCall(call.id, where);
  const label = `${where} (id ${String(call.id)}, function ${name})`;
  return { type: 'tool_use', id, name, input: parseArguments(args, label, warnings) };
}

/**
 * Tool-call arguments → an object: `""` (or absent) is `{}`, a JSON object (or the object itself,
 * as a few clients send it) as it is. Anything else — a call cut off by the token limit, a
 * provider's slip — is kept as `{"_raw_arguments": "<the text>"}` with a warning: the call is
 * history now, and refusing it would refuse every later request of the session.
 */
export function parseArguments(args: unknown, label: string, warnings: string[]): Record<string, unknown> {
  if (args === undefined || args === null) return {};
  if (isRecord(args)) return args;
  const text = typeof args === 'string' ? args : JSON.stringify(args);
  if (text.trim() === '') return {};
  let reason = 'not a JSON object';
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed)) return parsed;
  } catch (err) {
    reason = `not valid JSON: ${err instanceof Error ? err.message : String(err)}`;
  }
  warnings.push(`${label}: arguments are ${reason}; sent as {"_raw_arguments": …}`);
  return { _raw_arguments: text };
}

/** `{role:"tool", tool_call_id, content}` → `tool_result`; empty content is omitted (valid on Anthropic). */
function toolResultBlock(message: JsonObject, where: string, ids: ToolIdTable): AnthropicToolResultBlock {
  const tool_use_id = ids.forResult(message.tool_call_id, where);
  const content = message.content;
  if (typeof content === 'string') {
    return content.length > 0 ? { type: 'tool_result', tool_use_id, content } : { type: 'tool_result', tool_use_id };
  }
  const blocks = textBlocks(content, where);
  return blocks.length > 0
    ? { type: 'tool_result', tool_use_id, content: blocks }
    : { type: 'tool_result', tool_use_id };
}

function hasReasoning(message: JsonObject): boolean {
  const { reasoning_content, reasoning, reasoning_details } = message;
  return (
    (typeof reasoning_content === 'string' && reasoning_content.length > 0) ||
    (typeof reasoning === 'string' && reasoning.length > 0) ||
    (Array.isArray(reasoning_details) && reasoning_details.length > 0)
  );
}

/** Anthropic rejects a final (prefill) assistant turn whose text ends in whitespace. */
function trimFinalAssistantText(turns: Turn[]): void {
  const last = turns.at(-1);
  const block = last?.role === 'assistant' ? last.content.at(-1) : undefined;
  if (block?.type === 'text') block.text = block.text.trimEnd();
}
