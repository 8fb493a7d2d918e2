import { describe, expect, it } from 'vitest';
import { effortForBudget, mapReasoning } from './map-reasoning.js';

describe('mapReasoning', () => {
  it.each([
    [1024, 'low'],
    [4000, 'low'],
    [10000, 'medium'],
    [16384, 'medium'],
    [31999, 'high'],
  ] as const)('case 31: budget %d → %s', (budget, effort) => {
    expect(effortForBudget(budget)).toBe(effort);
    expect(mapReasoning({ type: 'enabled', budget_tokens: budget }, undefined, 'openai')).toEqual({
      reasoning_effort: effort,
    });
  });

  it('case 31: DeepSeek buckets use its own vocabulary (low|high|max)', () => {
    expect(mapReasoning({ type: 'enabled', budget_tokens: 2000 }, undefined, 'deepseek')).toEqual({
      reasoning_effort: 'low',
    });
    expect(mapReasoning({ type: 'enabled', budget_tokens: 10000 }, undefined, 'deepseek')).toEqual({
      reasoning_effort: 'high',
    });
  });

  it('case 31: OpenRouter gets the budget itself', () => {
    expect(mapReasoning({ type: 'enabled', budget_tokens: 8000 }, undefined, 'openrouter')).toEqual({
      reasoning: { max_tokens: 8000 },
    });
  });

  it.each([
    ['openai', 'high', { reasoning_effort: 'high' }],
    ['openai', 'low', { reasoning_effort: 'low' }],
    ['openai', 'xhigh', { reasoning_effort: 'high' }],
    ['openai', 'max', { reasoning_effort: 'high' }],
    ['openai', undefined, { reasoning_effort: 'high' }],
    ['deepseek', 'medium', { reasoning_effort: 'high' }],
    ['deepseek', 'xhigh', { reasoning_effort: 'high' }],
    ['deepseek', 'max', { reasoning_effort: 'max' }],
    ['deepseek', 'low', { reasoning_effort: 'low' }],
    ['openrouter', 'medium', { reasoning: { effort: 'medium' } }],
    ['openrouter', 'max', { reasoning: { effort: 'high' } }],
  ] as const)('case 32: adaptive, %s dialect, effort %s → %j', (dialect, effort, expected) => {
    expect(mapReasoning({ type: 'adaptive' }, effort, dialect)).toEqual(expected);
  });

  it.each([
    ['openai', 'low', { reasoning_effort: 'low' }],
    ['deepseek', 'max', { reasoning_effort: 'max' }],
    ['openrouter', 'medium', { reasoning: { max_tokens: 31999 } }],
  ] as const)(
    'case 32: enabled with a 31999 budget and an explicit effort, %s (%s): one effort knob takes the effort, OpenRouter the budget',
    (dialect, effort, expected) => {
      expect(mapReasoning({ type: 'enabled', budget_tokens: 31999 }, effort, dialect)).toEqual(expected);
    },
  );

  it.each([
    [{ type: 'disabled' as const }, 'openai' as const],
    [undefined, 'deepseek' as const],
    [{ type: 'adaptive' as const }, 'none' as const],
    [{ type: 'enabled' as const, budget_tokens: 5000 }, undefined],
  ])('case 33: %j with dialect %s → no reasoning params', (thinking, dialect) => {
    expect(mapReasoning(thinking, 'high', dialect)).toEqual({});
  });
});
