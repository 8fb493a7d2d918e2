import { describe, expect, it } from 'vitest';
import { mapUsage, usageSummary } from './map-usage.js';

describe('mapUsage', () => {
  it('case 53: cached tokens are subtracted from input and reported as cache reads', () => {
    expect(
      mapUsage({
        prompt_tokens: 100,
        completion_tokens: 7,
        total_tokens: 107,
        prompt_tokens_details: { cached_tokens: 80 },
      }),
    ).toEqual({ input_tokens: 20, cache_read_input_tokens: 80, cache_creation_input_tokens: 0, output_tokens: 7 });
  });

  it('case 54: OpenRouter cache writes become cache_creation_input_tokens and leave input', () => {
    expect(
      mapUsage({
        prompt_tokens: 1000,
        completion_tokens: 5,
        total_tokens: 1005,
        prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 900 },
      }),
    ).toEqual({ input_tokens: 100, cache_read_input_tokens: 0, cache_creation_input_tokens: 900, output_tokens: 5 });
  });

  it('case 54: DeepSeek prompt_cache_hit_tokens become cache reads', () => {
    expect(
      mapUsage({
        prompt_tokens: 500,
        completion_tokens: 10,
        total_tokens: 510,
        prompt_cache_hit_tokens: 384,
        prompt_cache_miss_tokens: 116,
      }),
    ).toEqual({ input_tokens: 116, cache_read_input_tokens: 384, cache_creation_input_tokens: 0, output_tokens: 10 });
  });

  it('case 55: xAI accounting (total = prompt + completion + reasoning) adds reasoning to output', () => {
    expect(
      mapUsage({
        prompt_tokens: 288,
        completion_tokens: 27,
        total_tokens: 628,
        completion_tokens_details: { reasoning_tokens: 313 },
      }).output_tokens,
    ).toBe(340);
  });

  it('case 55: OpenAI accounting (reasoning inside completion) keeps completion_tokens', () => {
    expect(
      mapUsage({
        prompt_tokens: 288,
        completion_tokens: 340,
        total_tokens: 628,
        completion_tokens_details: { reasoning_tokens: 313 },
      }).output_tokens,
    ).toBe(340);
  });

  it('case 56: missing usage → zeros', () => {
    expect(mapUsage(undefined)).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
    expect(mapUsage(null)).toEqual(mapUsage(undefined));
  });

  it('never reports negative input', () => {
    expect(
      mapUsage({
        prompt_tokens: 10,
        completion_tokens: 1,
        total_tokens: 11,
        prompt_tokens_details: { cached_tokens: 20 },
      }).input_tokens,
    ).toBe(0);
  });

  it('summarises for the access log', () => {
    expect(
      usageSummary({ input_tokens: 1, output_tokens: 2, cache_creation_input_tokens: 3, cache_read_input_tokens: 4 }),
    ).toEqual({ input_tokens: 1, output_tokens: 2, cache_write_tokens: 3, cache_read_tokens: 4 });
  });
});
