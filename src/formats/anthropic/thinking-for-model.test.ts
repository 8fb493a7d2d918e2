import { describe, expect, it } from 'vitest';
import { mayNeedThinkingChange, thinkingForModel } from './thinking-for-model.js';

describe('mayNeedThinkingChange (by the names alone)', () => {
  it.each([
    ['claude-sonnet-4-5', 'claude-opus-4-7', true], // budget → adaptive-only
    ['claude-opus-4-8', 'claude-sonnet-4-5', true], // adaptive → budget-only
    ['my-local-model', 'claude-haiku-4-5', true], // Claude Code thinks adaptively for names it does not know
    ['claude-opus-4-7', 'claude-opus-4-8', false], // same generation
    ['claude-sonnet-4-5', 'claude-sonnet-4-6', false], // 4.6 takes both
    ['claude-opus-4-8', 'deepseek-chat', false], // not Claude: kept as the client wrote it
    ['claude-opus-4-7', 'claude-opus-4-7', false], // not mapped
  ])('%s → %s: %s', (requested, target, expected) => {
    expect(mayNeedThinkingChange(requested, target)).toBe(expected);
  });
});

describe('thinkingForModel', () => {
  const budget = (budget_tokens: number) => ({
    model: 'claude-sonnet-4-5',
    max_tokens: 32_000,
    thinking: { type: 'enabled', budget_tokens },
    temperature: 1,
  });

  it.each([
    [1024, 'low'],
    [4000, 'medium'],
    [16_384, 'high'],
    [31_999, 'xhigh'],
  ])(
    'a budget of %i for Opus 4.7+: adaptive, effort %s, thinking text asked for, no sampling parameters',
    (tokens, effort) => {
      expect(thinkingForModel(budget(tokens), 'claude-opus-4-7')).toEqual({
        thinking: { type: 'adaptive', display: 'summarized' },
        output_config: { effort },
        temperature: undefined,
      });
    },
  );

  it('keeps the rest of output_config (a structured-output format)', () => {
    const body = { ...budget(2048), output_config: { format: { type: 'json_schema' } } };
    expect(thinkingForModel(body, 'claude-opus-4-8')?.output_config).toEqual({
      format: { type: 'json_schema' },
      effort: 'medium',
    });
  });

  it('adaptive thinking for Claude 4.5 and earlier: a budget from the effort, below max_tokens; effort removed', () => {
    const body = {
      model: 'claude-opus-4-8',
      max_tokens: 32_000,
      thinking: { type: 'adaptive' },
      output_config: { effort: 'high' },
    };
    expect(thinkingForModel(body, 'claude-sonnet-4-5')).toEqual({
      thinking: { type: 'enabled', budget_tokens: 16_384 },
      output_config: undefined,
    });
    expect(thinkingForModel({ ...body, max_tokens: 8000 }, 'claude-haiku-4-5')?.thinking).toEqual({
      type: 'enabled',
      budget_tokens: 7999,
    });
    // no room for the smallest budget: no thinking, and no context edits that clear thinking
    const noRoom = thinkingForModel(
      { ...body, max_tokens: 1000, context_management: { edits: [{ type: 'clear_thinking_20251015' }] } },
      'claude-haiku-4-5',
    );
    expect(noRoom).toEqual({ thinking: undefined, output_config: undefined, context_management: undefined });
    expect(Object.keys(noRoom!)).toContain('thinking'); // removed (undefined is dropped by JSON.stringify), not kept
    // count_tokens has no max_tokens: the budget as the effort says
    expect(thinkingForModel({ ...body, max_tokens: undefined }, 'claude-sonnet-4-5')?.thinking).toEqual({
      type: 'enabled',
      budget_tokens: 16_384,
    });
    // no effort given: Claude's default, high
    expect(thinkingForModel({ ...body, output_config: undefined }, 'claude-sonnet-4-5')?.thinking).toEqual({
      type: 'enabled',
      budget_tokens: 16_384,
    });
  });

  it('an effort the client set itself stays (Opus 4.7+); an effort without thinking is removed for Claude 4.5', () => {
    const both = { ...budget(31_999), output_config: { effort: 'low' } };
    expect(thinkingForModel(both, 'claude-opus-4-7')?.output_config).toEqual({ effort: 'low' });
    expect(thinkingForModel({ max_tokens: 32_000, output_config: { effort: 'high' } }, 'claude-sonnet-4-5')).toEqual({
      output_config: undefined,
    });
  });

  it('nothing to change: settings the target takes, thinking off, or a server that is not Claude', () => {
    expect(
      thinkingForModel({ thinking: { type: 'adaptive' }, output_config: { effort: 'high' } }, 'claude-opus-4-7'),
    ).toBeUndefined();
    expect(thinkingForModel(budget(2048), 'claude-sonnet-4-5')).toBeUndefined();
    expect(thinkingForModel({ thinking: { type: 'disabled' } }, 'claude-haiku-4-5')).toBeUndefined();
    expect(thinkingForModel({ thinking: { type: 'adaptive' } }, 'deepseek-chat')).toBeUndefined();
  });
});
