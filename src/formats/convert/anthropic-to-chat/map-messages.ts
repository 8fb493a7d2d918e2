import type { AnthropicContentBlock, AnthropicMessage } from '../../anthropic/types.js';
import { mergeAdjacent } from '../../openai-chat/merge-adjacent.js';
import { bridgeToolToUser } from '../../openai-chat/tool-user-bridge.js';
import type { ChatContentPart, ChatMessage } from '../../openai-chat/types.js';
import { ConversionError, type ProviderQuirks } from '../types.js';
import { mapAssistantTurn } from './map-assistant.js';
import { systemMessageText } from './map-system.js';
import { mapUserTurn } from './map-user-content.js';

export interface MappedMessages {
  /** Texts of `role: "system"` messages found inside messages[], in order (they join the system prompt). */
  systemTexts: string[];
  messages: ChatMessage[];
  warnings: string[];
}

/**
 * Anthropic `messages` → Chat messages (cases 5–21, 39, 40). Consecutive user turns (also when
 * only a system message stood between them) are handled as one turn, so every tool message
 * lands directly after the assistant message that called it (case 15); adjacent messages of the
 * same role left after dropping empty ones are merged (case 20).
 */
export function mapMessages(messages: unknown, quirks: ProviderQuirks): MappedMessages {
  if (!Array.isArray(messages)) throw new ConversionError('messages must be an array');
  const result: MappedMessages = { systemTexts: [], messages: [], warnings: [] };
  let userTools: ChatMessage[] = [];
  let userParts: ChatContentPart[] = [];
  const flushUser = (): void => {
    result.messages.push(...userTools);
    const content = collapse(userParts);
    if (content !== undefined) result.messages.push({ role: 'user', content });
    userTools = [];
    userParts = [];
  };

  messages.forEach((raw: unknown, i) => {
    const path = `messages[${i}]`;
    const { role, content } = checkMessage(raw, path);
    if (role === 'system') {
      const text = systemMessageText(content, path);
      if (text !== undefined) result.systemTexts.push(text);
      return;
    }
    const blocks: AnthropicContentBlock[] = typeof content === 'string' ? [{ type: 'text', text: content }] : content;
    if (role === 'user') {
      const turn = mapUserTurn(blocks, path, quirks);
      userTools.push(...turn.toolMessages);
      userParts.push(...turn.parts);
      result.warnings.push(...turn.warnings);
      return;
    }
    flushUser();
    const turn = mapAssistantTurn(blocks, path, quirks);
    if (turn.message) result.messages.push(turn.message);
    result.warnings.push(...turn.warnings);
  });
  flushUser();
  result.messages = mergeAdjacent(result.messages);
  if (quirks.noUserAfterTool === true) result.messages = bridgeToolToUser(result.messages);
  return result;
}

function checkMessage(raw: unknown, path: string): AnthropicMessage {
  const message = raw as Partial<AnthropicMessage> | null;
  if (typeof message !== 'object' || message === null) throw new ConversionError(`${path} is not an object`);
  const { role, content } = message;
  if (role !== 'user' && role !== 'assistant' && role !== 'system') {
    throw new ConversionError(`${path}.role must be "user", "assistant" or "system", got ${JSON.stringify(role)}`);
  }
  if (typeof content !== 'string' && !Array.isArray(content)) {
    throw new ConversionError(`${path}.content must be a string or an array of content blocks`);
  }
  if (Array.isArray(content)) {
    content.forEach((block: unknown, j) => {
      if (typeof (block as { type?: unknown } | null)?.type !== 'string') {
        throw new ConversionError(`${path}.content[${j}] is not a content block`);
      }
    });
  }
  return { role, content };
}

/** Text-only content collapses to one string (case 6: several providers reject array content). */
function collapse(parts: ChatContentPart[]): string | ChatContentPart[] | undefined {
  if (parts.length === 0) return undefined;
  if (parts.every((p) => p.type === 'text')) return parts.map((p) => (p.type === 'text' ? p.text : '')).join('\n');
  return parts;
}
