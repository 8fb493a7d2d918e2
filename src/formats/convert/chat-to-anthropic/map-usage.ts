import type { AnthropicUsage } from '../../anthropic/types.js';
import type { ChatUsage } from '../../openai-chat/types.js';
import { anthropicUsage } from '../../usage-summary.js';
import type { UsageSummary } from '../types.js';
import { isRecord, numberOf } from './guards.js';

export const ZERO_USAGE: AnthropicUsage = {
  input_tokens: 0,
  output_tokens: 0,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};

/**
 * Folds an Anthropic usage object into the running totals. Counts are cumulative, so a present number
 * replaces the old one; absent or null fields keep it (as the Anthropic SDK does for message_delta).
 */
export function mergeUsage(current: AnthropicUsage | undefined, raw: unknown): AnthropicUsage | undefined {
  if (!isRecord(raw)) return current;
  const base = current ?? ZERO_USAGE;
  return {
    input_tokens: numberOf(raw.input_tokens) ?? base.input_tokens,
    output_tokens: numberOf(raw.output_tokens) ?? base.output_tokens,
    cache_creation_input_tokens: numberOf(raw.cache_creation_input_tokens) ?? base.cache_creation_input_tokens,
    cache_read_input_tokens: numberOf(raw.cache_read_input_tokens) ?? base.cache_read_input_tokens,
  };
}

/**
 * Anthropic usage → Chat usage (case 139): Chat's `prompt_tokens` includes cached tokens, Anthropic's
 * `input_tokens` excludes both cache reads and cache writes.
 */
export function chatUsage(usage: AnthropicUsage): ChatUsage {
  const prompt_tokens = usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens;
  return {
    prompt_tokens,
    completion_tokens: usage.output_tokens,
    total_tokens: prompt_tokens + usage.output_tokens,
    prompt_tokens_details: { cached_tokens: usage.cache_read_input_tokens },
  };
}

/** For the access log; `input_tokens` keeps Anthropic's meaning (cache reads and writes counted apart). */
export const usageSummary = (usage: AnthropicUsage): UsageSummary => anthropicUsage(usage);
