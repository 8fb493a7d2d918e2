import { chatUsageCounts } from '../../openai-chat/usage-counts.js';
import type { ResponsesUsage } from '../../openai-responses/types.js';
import { chatUsage } from '../../usage-summary.js';
import type { UsageSummary } from '../types.js';
import { isObject } from './json.js';

/** Chat `usage` → Responses `usage` (case 119): every field an integer, 0 when not reported. */
export function responsesUsage(usage: unknown): ResponsesUsage {
  const counts = chatUsageCounts(usage);
  return {
    input_tokens: counts.prompt,
    input_tokens_details: { cached_tokens: counts.cacheRead },
    output_tokens: counts.output,
    output_tokens_details: { reasoning_tokens: counts.reasoning },
    total_tokens: counts.total,
  };
}

/**
 * Usage for the access log, or undefined when the upstream reported none. `input_tokens` counts
 * uncached input only; cache reads and writes are reported beside it.
 */
export function usageSummary(usage: unknown): UsageSummary | undefined {
  return isObject(usage) ? chatUsage(usage) : undefined;
}
