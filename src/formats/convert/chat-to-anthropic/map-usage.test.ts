import { describe, expect, it } from 'vitest';
import { chatUsage, mergeUsage, usageSummary } from './map-usage.js';

describe('usage', () => {
  const usage = { input_tokens: 20, cache_creation_input_tokens: 100, cache_read_input_tokens: 80, output_tokens: 7 };

  it('case 139: prompt = input + cache writes + cache reads; cached = cache reads; total = sum', () => {
    expect(chatUsage(usage)).toEqual({
      prompt_tokens: 200,
      completion_tokens: 7,
      total_tokens: 207,
      prompt_tokens_details: { cached_tokens: 80 },
    });
  });

  it('the access-log summary keeps Anthropic meanings', () => {
    expect(usageSummary(usage)).toEqual({
      input_tokens: 20,
      output_tokens: 7,
      cache_read_tokens: 80,
      cache_write_tokens: 100,
    });
  });

  it('mergeUsage: present numbers replace (cumulative counts), absent and null keep the old value', () => {
    const start = mergeUsage(undefined, {
      input_tokens: 423,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: 6,
    });
    expect(mergeUsage(start, { output_tokens: 119, input_tokens: null })).toEqual({
      input_tokens: 423,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: 119,
    });
    expect(mergeUsage(start, 'junk')).toBe(start);
    expect(mergeUsage(undefined, undefined)).toBeUndefined();
  });
});
