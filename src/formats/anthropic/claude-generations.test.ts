import { describe, expect, it } from 'vitest';
import { claudeGeneration } from './claude-generations.js';

describe('claudeGeneration', () => {
  it.each([
    ['claude-3-7-sonnet-latest', 'budget'],
    ['claude-3-5-haiku-20241022', 'budget'],
    ['claude-2.1', 'budget'],
    ['claude-instant-1.2', 'budget'],
    ['claude-opus-4', 'budget'],
    ['claude-sonnet-4-20250514', 'budget'],
    ['claude-opus-4-1-20250805', 'budget'],
    ['claude-sonnet-4-5', 'budget'],
    ['claude-opus-4-5-20251101', 'budget'],
    ['claude-haiku-4-5', 'budget'],
    ['claude-opus-4-6', 'both'],
    ['claude-sonnet-4-6', 'both'],
    ['anthropic/claude-sonnet-4.6', 'both'],
    ['claude-opus-4-7', 'adaptive'],
    ['claude-opus-4-8', 'adaptive'],
    ['us.anthropic.claude-opus-4-7', 'adaptive'],
    ['claude-sonnet-5', 'adaptive'],
    ['claude-fable-5', 'adaptive'],
    ['claude-mythos-preview', 'adaptive'],
    ['deepseek-chat', 'budget'], // other servers' Anthropic-format endpoints implement the budget
    ['kimi-k2-0905-preview', 'budget'],
  ])('%s → %s', (model, generation) => {
    expect(claudeGeneration(model)).toBe(generation);
  });
});
