import type { AnthropicUsage } from '../../anthropic/types.js';
import type { ChatUsage } from '../../openai-chat/types.js';
import { anthropicUsage } from '../../usage-summary.js';
import type { UsageSummary } from '../types.js';

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);

/**
 * Chat usage → Anthropic usage (cases 53–56, 73). OpenAI `prompt_tokens` includes cached tokens;
 * Anthropic `input_tokens` excludes cache reads and writes, so both are subtracted. Cache reads
 * come from `prompt_tokens_details.cached_tokens` or DeepSeek's `prompt_cache_hit_tokens`, cache
 * writes from OpenRouter's `cache_write_tokens`. Missing usage → zeros.
 *
 * Output tokens: OpenAI counts reasoning inside `completion_tokens`; xAI does not (its
 * `total_tokens` = prompt + completion + reasoning, case 55). That convention is recognised from
 * the totals, and reasoning is then added so `output_tokens` always includes it.
 */
export function mapUsage(usage: ChatUsage | null | undefined): AnthropicUsage {
  const prompt = count(usage?.prompt_tokens);
  const completion = count(usage?.completion_tokens);
  const cacheRead = Math.max(count(usage?.prompt_tokens_details?.cached_tokens), count(usage?.prompt_cache_hit_tokens));
  const cacheWrite = count(usage?.prompt_tokens_details?.cache_write_tokens);
  const reasoning = count(usage?.completion_tokens_details?.reasoning_tokens);
  const excludesReasoning = reasoning > 0 && count(usage?.total_tokens) === prompt + completion + reasoning;
  return {
    input_tokens: Math.max(prompt - cacheRead - cacheWrite, 0),
    output_tokens: excludesReasoning ? completion + reasoning : completion,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}

export const usageSummary = (usage: AnthropicUsage): UsageSummary => anthropicUsage(usage);
