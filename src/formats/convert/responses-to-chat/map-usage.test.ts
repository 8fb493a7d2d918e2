import { describe, expect, it } from 'vitest';
import { responsesUsage, usageSummary } from './map-usage.js';

describe('case 119: Chat usage → Responses usage', () => {
  it('maps every field; total is summed when absent', () => {
    expect(
      responsesUsage({
        prompt_tokens: 100,
        completion_tokens: 30,
        prompt_tokens_details: { cached_tokens: 80 },
        completion_tokens_details: { reasoning_tokens: 10 },
      }),
    ).toEqual({
      input_tokens: 100,
      input_tokens_details: { cached_tokens: 80 },
      output_tokens: 30,
      output_tokens_details: { reasoning_tokens: 10 },
      total_tokens: 130,
    });
  });

  it('missing or malformed counts become integer zeros (Codex fails on anything else)', () => {
    const zero = {
      input_tokens: 0,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 0,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 0,
    };
    expect(responsesUsage(undefined)).toEqual(zero);
    expect(responsesUsage({ prompt_tokens: null, completion_tokens: '5', prompt_tokens_details: null })).toEqual(zero);
    expect(responsesUsage({ prompt_tokens: 10.7, completion_tokens: 2 })).toMatchObject({
      input_tokens: 10,
      total_tokens: 12,
    });
  });

  it('xAI reports reasoning outside completion_tokens → output_tokens includes it', () => {
    const usage = {
      prompt_tokens: 288,
      completion_tokens: 27,
      total_tokens: 628,
      completion_tokens_details: { reasoning_tokens: 313 },
    };
    expect(responsesUsage(usage)).toMatchObject({
      output_tokens: 340,
      output_tokens_details: { reasoning_tokens: 313 },
      total_tokens: 628,
    });
  });

  it('the access-log summary splits cache reads and writes out of the input', () => {
    const usage = {
      prompt_tokens: 100,
      completion_tokens: 5,
      prompt_tokens_details: { cached_tokens: 60, cache_write_tokens: 30 },
    };
    expect(usageSummary(usage)).toEqual({
      input_tokens: 10,
      output_tokens: 5,
      cache_read_tokens: 60,
      cache_write_tokens: 30,
    });
    expect(usageSummary(null)).toBeUndefined();
  });
});
