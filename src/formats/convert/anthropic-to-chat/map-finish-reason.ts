import type { AnthropicStopReason } from '../../anthropic/types.js';
import type { ChatFinishReason } from '../../openai-chat/types.js';

/**
 * Chat `finish_reason` → Anthropic `stop_reason` (cases 50, 85, 86). A turn that produced a tool
 * call is `tool_use` whatever the upstream said (Ollama says "stop"), except when it was cut by
 * the token limit. Unknown vendor values fall back like `stop`.
 */
export function mapFinishReason(
  reason: ChatFinishReason | string | null | undefined,
  { sawToolCall, sawRefusal = false }: { sawToolCall: boolean; sawRefusal?: boolean },
): AnthropicStopReason {
  switch (reason) {
    case 'length':
    case 'max_tokens':
      return 'max_tokens';
    case 'content_filter':
      return 'refusal';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    default:
      if (sawToolCall) return 'tool_use';
      return sawRefusal ? 'refusal' : 'end_turn'; // 'stop', null, vendor extras
  }
}

/** vLLM reports the matched stop string as the choice's `stop_reason` (case 51); a number is a token id. */
export function matchedStopSequence(
  reason: ChatFinishReason | string | null | undefined,
  stopReason: string | number | null | undefined,
): string | null {
  return reason === 'stop' && typeof stopReason === 'string' && stopReason !== '' ? stopReason : null;
}
