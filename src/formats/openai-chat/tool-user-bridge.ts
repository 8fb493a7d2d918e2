import type { ChatMessage } from './types.js';

// Mistral refuses a user message right after tool messages ("Unexpected role 'user' after role
// 'tool'"), which Claude Code sends whenever a tool result comes with text (its system reminders,
// the user typing mid-loop) or an image, and Codex when the user speaks after a tool ran. A short
// assistant message between the two keeps the conversation's meaning.

/** The assistant message put between tool results and a user message (ProviderQuirks.noUserAfterTool). */
export const TOOL_TO_USER_BRIDGE = '(tool results received)';

/** `messages` with an assistant message wherever a user message follows a tool message. */
export function bridgeToolToUser(messages: ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const message of messages) {
    if (message.role === 'user' && out.at(-1)?.role === 'tool')
      out.push({ role: 'assistant', content: TOOL_TO_USER_BRIDGE });
    out.push(message);
  }
  return out;
}
