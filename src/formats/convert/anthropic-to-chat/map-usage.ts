import type { AnthropicUsage } from '../../anthropic/types.js';
import type { ChatUsage } from '../../openai-chat/types.js';
import { chatUsageCounts } from '../../openai-chat/usage-counts.js';
import { anthropicUsage } from '../../usage-summary.js';
import type { UsageSummary } from '../types.js';

/**
 * Chat usage → Anthropic usage (cases 53–56, 73), as openai-chat/usage-counts.ts reads it: OpenAI
 * `prompt_tokens` includes cached tokens, Anthropic `input_tokens` excludes cache reads and writes;
 * `output_tokens` always includes reasoning. Missing usage → zeros.
 */
export function mapUsage(usage: ChatUsage | null | undefined): AnthropicUsage {
  const counts = chatUsageCounts(usage);
  return {
    input_tokens: counts.uncachedInput,
    output_tokens: counts.output,
    cache_creation_input_tokens: counts.cacheWrite,
    cache_read_input_tokens: counts.cacheRead,
  };
}

export const usageSummary = (usage: AnthropicUsage): UsageSummary => anthropicUsage(usage);
