// One reading of an OpenAI Chat `usage` object for every path that reports it: the access log of
// a Chat passthrough and the usage that Chat → Anthropic and Chat → Responses conversions send
// their clients. Providers differ in where they put cache and reasoning counts (protocol-notes
// §2.5, cases 53–56); this is where those differences are settled, once.

/** Token counts from a Chat `usage` object, every one a non-negative integer (0 when not reported). */
export interface ChatUsageCounts {
  /** `prompt_tokens`: all input, cache reads and writes included. */
  prompt: number;
  /** Cache reads: `prompt_tokens_details.cached_tokens`, or DeepSeek's `prompt_cache_hit_tokens`. */
  cacheRead: number;
  /** Cache writes: OpenRouter's `prompt_tokens_details.cache_write_tokens`. */
  cacheWrite: number;
  /** Input neither read from nor written to a cache (what Anthropic calls `input_tokens`). */
  uncachedInput: number;
  /** Output, reasoning included (xAI counts reasoning outside `completion_tokens`). */
  output: number;
  /** `completion_tokens_details.reasoning_tokens`. */
  reasoning: number;
  /** `total_tokens` as reported, else prompt + output. */
  total: number;
}

type Json = Record<string, unknown>;
const objectAt = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};

/** A count as an integer; anything that is not a positive finite number is 0. */
const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.trunc(value) : 0;

/** The counts of a Chat `usage` value; anything but an object reads as zeros. */
export function chatUsageCounts(usage: unknown): ChatUsageCounts {
  const u = objectAt(usage);
  const promptDetails = objectAt(u.prompt_tokens_details);
  const prompt = count(u.prompt_tokens);
  const completion = count(u.completion_tokens);
  // DeepSeek reports cache hits at the top level (some versions in both places, equal)
  const cacheRead = Math.max(count(promptDetails.cached_tokens), count(u.prompt_cache_hit_tokens));
  const cacheWrite = count(promptDetails.cache_write_tokens);
  const reasoning = count(objectAt(u.completion_tokens_details).reasoning_tokens);
  const reported = count(u.total_tokens);
  // xAI: total = prompt + completion + reasoning, i.e. reasoning is not inside completion (case 55)
  const output = reasoning > 0 && reported === prompt + completion + reasoning ? completion + reasoning : completion;
  return {
    prompt,
    cacheRead,
    cacheWrite,
    uncachedInput: Math.max(prompt - cacheRead - cacheWrite, 0),
    output,
    reasoning,
    total: reported > 0 ? reported : prompt + output,
  };
}
