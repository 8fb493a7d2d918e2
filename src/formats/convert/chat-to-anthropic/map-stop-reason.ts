import type { ChatFinishReason } from '../../openai-chat/types.js';

/**
 * Anthropic `stop_reason` → Chat `finish_reason` (case 138). Unknown and missing reasons end as `stop`,
 * or `tool_calls` when the turn called a tool (Chat clients only run tools on `tool_calls`).
 */
export function mapStopReason(reason: unknown, { sawToolCall }: { sawToolCall: boolean }): ChatFinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default: // end_turn, stop_sequence, pause_turn, null, vendor extras
      return sawToolCall ? 'tool_calls' : 'stop';
  }
}
