import type { UsageSummary } from './convert/types.js';
import { chatUsageCounts } from './openai-chat/usage-counts.js';

// Token usage from each API's own `usage` object, normalised for the access log: `input_tokens`
// keeps Anthropic's meaning (cache reads and writes are counted apart, never twice).

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const objectAt = (v: unknown): Json => (isObject(v) ? v : {});
export const tokenCount = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Usage from an Anthropic `usage` object (input excludes cache reads/writes). */
export function anthropicUsage(usage: object): UsageSummary {
  const u = usage as Json;
  return {
    input_tokens: tokenCount(u.input_tokens),
    output_tokens: tokenCount(u.output_tokens),
    cache_read_tokens: tokenCount(u.cache_read_input_tokens),
    cache_write_tokens: tokenCount(u.cache_creation_input_tokens),
  };
}

/** Usage from an OpenAI Chat `usage` object (read as every Chat path reads it: openai-chat/usage-counts.ts). */
export function chatUsage(usage: object): UsageSummary {
  const counts = chatUsageCounts(usage);
  return {
    input_tokens: counts.uncachedInput,
    output_tokens: counts.output,
    cache_read_tokens: counts.cacheRead,
    cache_write_tokens: counts.cacheWrite,
  };
}

/** Usage from a Responses `usage` object (input includes cached tokens). */
export function responsesUsage(usage: object): UsageSummary {
  const u = usage as Json;
  const cached = tokenCount(objectAt(u.input_tokens_details).cached_tokens);
  return {
    input_tokens: Math.max(0, tokenCount(u.input_tokens) - cached),
    output_tokens: tokenCount(u.output_tokens),
    cache_read_tokens: cached,
    cache_write_tokens: 0,
  };
}
