import type { AnthropicContentBlock, AnthropicToolUseBlock } from '../../anthropic/types.js';
import type { ChatMessage, ChatToolCall } from '../../openai-chat/types.js';
import { replaysReasoning } from '../quirk-rules.js';
import type { ProviderQuirks } from '../types.js';
import { requireString } from './guards.js';
import { describeBlock } from './map-user-content.js';
import { toUpstreamToolId } from './tool-ids.js';
import { upstreamToolName } from './tool-names.js';

type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

/**
 * One Anthropic assistant turn → one Chat assistant message (cases 10–13), or undefined when
 * nothing is left (case 21). Text blocks become `content` (a string: several providers reject
 * arrays), tool_use blocks `tool_calls`. Thinking is replayed only where the provider wants it back
 * (DeepSeek, Kimi: replaysReasoning), as `reasoning_content`; redacted_thinking never crosses.
 */
export function mapAssistantTurn(
  blocks: readonly AnthropicContentBlock[],
  path: string,
  quirks: ProviderQuirks,
): { message: AssistantMessage | undefined; warnings: string[] } {
  const warnings: string[] = [];
  const texts: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: ChatToolCall[] = [];
  blocks.forEach((block, j) => {
    switch (block.type) {
      case 'text':
        if (requireString(block.text, `${path}.content[${j}].text`) !== '') texts.push(block.text);
        return;
      case 'tool_use':
        toolCalls.push(toolCall(block, `${path}.content[${j}]`, quirks.shortToolIds === true));
        return;
      case 'thinking':
        if (replaysReasoning(quirks) && typeof block.thinking === 'string' && block.thinking !== '') {
          reasoning.push(block.thinking);
        }
        return;
      case 'redacted_thinking':
        return;
      case 'image':
      case 'document':
      case 'tool_result':
        warnings.push(`${path}.content[${j}]: ${block.type} block in an assistant turn dropped`);
        return;
      default: {
        const unknown: never = block;
        warnings.push(`${path}.content[${j}]: unsupported block type ${describeBlock(unknown)} dropped`);
      }
    }
  });

  if (texts.length === 0 && toolCalls.length === 0) return { message: undefined, warnings };
  const message: AssistantMessage = { role: 'assistant', content: texts.length > 0 ? texts.join('\n') : null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning.length > 0) message.reasoning_content = reasoning.join('\n');
  return { message, warnings };
}

function toolCall(block: AnthropicToolUseBlock, where: string, shortIds: boolean): ChatToolCall {
  const input: unknown = block.input;
  // `{}` never `""` (case 12); a string input (poisoned history) is passed as the JSON text it holds.
  const args = typeof input === 'string' ? input || '{}' : JSON.stringify(input ?? {});
  return {
    id: toUpstreamToolId(requireString(block.id, `${where}.id`), shortIds),
    type: 'function',
    function: { name: upstreamToolName(requireString(block.name, `${where}.name`)), arguments: args },
  };
}
