import type { ResponsesUsage } from '../../openai-responses/types.js';
import type { UsageSummary } from '../types.js';
import { isObject } from './json.js';

/** A non-negative integer, whatever the upstream sent (Codex fails to parse non-integers). */
const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.trunc(value) : 0;

interface ChatUsageCounts {
  prompt: number;
  cached: number;
  cacheWrite: number;
  output: number;
  reasoning: number;
  total: number;
}

function readCounts(usage: Record<string, unknown>): ChatUsageCounts {
  const promptDetails = isObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completionDetails = isObject(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  const prompt = count(usage.prompt_tokens);
  const completion = count(usage.completion_tokens);
  const reasoning = count(completionDetails.reasoning_tokens);
  const reported = count(usage.total_tokens);
  // xAI reports reasoning outside completion_tokens (total = prompt + completion + reasoning,
  // protocol-notes §2.5); Responses output_tokens always include reasoning.
  const reasoningOutside = reasoning > 0 && reported === prompt + completion + reasoning;
  const output = reasoningOutside ? completion + reasoning : completion;
  return {
    prompt,
    // DeepSeek reports cache hits as prompt_cache_hit_tokens.
    cached: count(promptDetails.cached_tokens ?? usage.prompt_cache_hit_tokens),
    cacheWrite: count(promptDetails.cache_write_tokens),
    output,
    reasoning,
    total: reported > 0 ? reported : prompt + output,
  };
}

/** Chat `usage` → Responses `usage` (case 119): every field an integer, 0 when not reported. */
export function responsesUsage(usage: unknown): ResponsesUsage {
  const counts = isObject(usage) ? readCounts(usage) : undefined;
  return {
    input_tokens: counts?.prompt ?? 0,
    input_tokens_details: { cached_tokens: counts?.cached ?? 0 },
    output_tokens: counts?.output ?? 0,
    output_tokens_details: { reasoning_tokens: counts?.reasoning ?? 0 },
    total_tokens: counts?.total ?? 0,
  };
}

/**
 * Usage for the access log, or undefined when the upstream reported none. `input_tokens` counts
 * uncached input only; cache reads and writes are reported beside it.
 */
export function usageSummary(usage: unknown): UsageSummary | undefined {
  if (!isObject(usage)) return undefined;
  const counts = readCounts(usage);
  return {
    input_tokens: Math.max(counts.prompt - counts.cached - counts.cacheWrite, 0),
    output_tokens: counts.output,
    cache_read_tokens: counts.cached,
    cache_write_tokens: counts.cacheWrite,
  };
}
