import { describe, expect, it } from 'vitest';
import { chatUsage } from '../usage-summary.js';
import { chatUsageCounts } from './usage-counts.js';

describe('chatUsageCounts: one reading of a Chat usage object', () => {
  it('case 53: OpenAI cached tokens are reads, and leave the uncached input', () => {
    expect(
      chatUsageCounts({
        prompt_tokens: 100,
        completion_tokens: 7,
        total_tokens: 107,
        prompt_tokens_details: { cached_tokens: 80 },
      }),
    ).toEqual({ prompt: 100, cacheRead: 80, cacheWrite: 0, uncachedInput: 20, output: 7, reasoning: 0, total: 107 });
  });

  it('case 54: OpenRouter cache writes leave the uncached input too', () => {
    expect(
      chatUsageCounts({
        prompt_tokens: 1000,
        completion_tokens: 5,
        prompt_tokens_details: { cache_write_tokens: 900 },
      }),
    ).toMatchObject({ cacheRead: 0, cacheWrite: 900, uncachedInput: 100, total: 1005 });
  });

  it('case 54: DeepSeek hits count at the top level, and once when reported in both places', () => {
    expect(chatUsageCounts({ prompt_tokens: 500, prompt_cache_hit_tokens: 384 })).toMatchObject({
      cacheRead: 384,
      uncachedInput: 116,
    });
    expect(
      chatUsageCounts({
        prompt_tokens: 500,
        prompt_cache_hit_tokens: 384,
        prompt_tokens_details: { cached_tokens: 384 },
      }),
    ).toMatchObject({ cacheRead: 384, uncachedInput: 116 });
    // a details block that says 0 beside DeepSeek's own count does not hide the hits
    expect(
      chatUsageCounts({ prompt_tokens: 500, prompt_cache_hit_tokens: 384, prompt_tokens_details: { cached_tokens: 0 } })
        .cacheRead,
    ).toBe(384);
  });

  it('case 55: reasoning outside completion_tokens (xAI) is added to the output, inside (OpenAI) is not', () => {
    const details = { completion_tokens_details: { reasoning_tokens: 313 } };
    expect(chatUsageCounts({ prompt_tokens: 288, completion_tokens: 27, total_tokens: 628, ...details })).toMatchObject(
      { output: 340, reasoning: 313, total: 628 },
    );
    expect(
      chatUsageCounts({ prompt_tokens: 288, completion_tokens: 340, total_tokens: 628, ...details }),
    ).toMatchObject({ output: 340, reasoning: 313, total: 628 });
  });

  it('anything but a positive finite number reads as 0; fractions are cut to integers', () => {
    const zero = { prompt: 0, cacheRead: 0, cacheWrite: 0, uncachedInput: 0, output: 0, reasoning: 0, total: 0 };
    expect(chatUsageCounts(undefined)).toEqual(zero);
    expect(chatUsageCounts(null)).toEqual(zero);
    expect(chatUsageCounts([])).toEqual(zero);
    expect(
      chatUsageCounts({
        prompt_tokens: '5',
        completion_tokens: -3,
        total_tokens: Number.NaN,
        prompt_tokens_details: 7,
      }),
    ).toEqual(zero);
    expect(chatUsageCounts({ prompt_tokens: 10.7, completion_tokens: 2.2 })).toMatchObject({ prompt: 10, output: 2 });
    // more cached than prompted (a provider's rounding) never makes the input negative
    expect(chatUsageCounts({ prompt_tokens: 10, prompt_tokens_details: { cached_tokens: 12 } }).uncachedInput).toBe(0);
  });

  it("the access log's summary of a Chat passthrough reads the same counts as the converters", () => {
    expect(
      chatUsage({
        prompt_tokens: 1000,
        completion_tokens: 27,
        total_tokens: 1340,
        prompt_tokens_details: { cached_tokens: 600, cache_write_tokens: 300 },
        completion_tokens_details: { reasoning_tokens: 313 },
      }),
    ).toEqual({ input_tokens: 100, output_tokens: 340, cache_read_tokens: 600, cache_write_tokens: 300 });
  });
});
