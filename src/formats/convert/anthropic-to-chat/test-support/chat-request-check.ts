// Test support: structural checks a strict OpenAI-compatible provider applies to a Chat request.

import type { ChatMessage, ChatRequest } from '../../../openai-chat/types.js';

const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const ANTHROPIC_ONLY = ['cache_control', 'thinking', 'context_management', 'output_config', 'metadata', 'top_k'];

/**
 * Returns what a strict provider would reject (empty = valid): a system message anywhere but
 * first; an assistant tool_calls message not followed directly by one tool message per call
 * (in order); a tool message answering nothing; empty content; invalid function names; more than
 * 4 stop sequences; Anthropic-only top-level keys; cache_control anywhere.
 */
export function checkChatRequest(chat: ChatRequest): string[] {
  const errors: string[] = [];
  if (typeof chat.model !== 'string' || chat.model === '') errors.push('model missing');
  const messages: ChatMessage[] = chat.messages;
  let open: string[] = []; // tool call ids still to be answered
  messages.forEach((message, i) => {
    if (message.role !== 'tool' && open.length > 0) {
      errors.push(`messages[${i}] (${message.role}) comes before tool results for ${open.join(', ')}`);
      open = [];
    }
    switch (message.role) {
      case 'system':
      case 'developer':
        if (i !== 0) errors.push(`messages[${i}]: system message not first`);
        if (message.content === '' || (Array.isArray(message.content) && message.content.length === 0)) {
          errors.push(`messages[${i}]: empty system content`);
        }
        return;
      case 'user':
        if (message.content === '' || message.content.length === 0) errors.push(`messages[${i}]: empty user content`);
        return;
      case 'assistant':
        if ((message.content === null || message.content === '') && !message.tool_calls?.length) {
          errors.push(`messages[${i}]: empty assistant message`);
        }
        for (const call of message.tool_calls ?? []) {
          if (!FUNCTION_NAME.test(call.function.name))
            errors.push(`messages[${i}]: bad function name ${call.function.name}`);
          try {
            JSON.parse(call.function.arguments);
          } catch {
            errors.push(`messages[${i}]: arguments of ${call.id} are not JSON`);
          }
        }
        open = (message.tool_calls ?? []).map((c) => c.id);
        return;
      case 'tool':
        if (open[0] !== message.tool_call_id)
          errors.push(`messages[${i}]: tool result ${message.tool_call_id} answers nothing open`);
        else open.shift();
        return;
    }
  });
  if (open.length > 0) errors.push(`tool calls without results: ${open.join(', ')}`);
  for (const tool of chat.tools ?? []) {
    if (!FUNCTION_NAME.test(tool.function.name)) errors.push(`tool name ${tool.function.name} invalid`);
    if (typeof tool.function.parameters !== 'object') errors.push(`tool ${tool.function.name} without parameters`);
  }
  if (Array.isArray(chat.stop) && chat.stop.length > 4) errors.push('more than 4 stop sequences');
  if (chat.tool_choice !== undefined && !chat.tools?.length) errors.push('tool_choice without tools');
  for (const key of ANTHROPIC_ONLY) if (key in chat) errors.push(`Anthropic-only key ${key} present`);
  if (JSON.stringify(chat).includes('"cache_control"')) errors.push('cache_control present');
  return errors;
}
