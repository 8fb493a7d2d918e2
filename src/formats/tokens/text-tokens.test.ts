import { describe, expect, it } from 'vitest';
import { jsonTokens, textTokens } from './text-tokens.js';

describe('textTokens', () => {
  it('ASCII ≈ 4 characters per token', () => {
    expect(textTokens('')).toBe(0);
    expect(textTokens('abcd'.repeat(25))).toBe(25);
  });

  it('CJK ≈ 1 token per character; other non-ASCII ≈ ½; an emoji ≈ 1', () => {
    expect(textTokens('東京都庁')).toBe(4);
    expect(textTokens('こんにちは')).toBe(5);
    expect(textTokens('안녕')).toBe(2);
    expect(textTokens('привет')).toBe(3);
    expect(textTokens('👋')).toBe(1);
    expect(textTokens('café 東京')).toBe(4 / 4 + 0.5 + 2); // c a f ␠ · é · 東 京
  });
});

describe('jsonTokens', () => {
  const schema = {
    type: 'object',
    properties: { command: { type: 'string', description: 'The command to execute' }, timeout: { type: 'number' } },
    required: ['command'],
    additionalProperties: false,
  };

  it('counts keys, values and syntax without serialising; syntax is discounted below chars/4', () => {
    const estimate = jsonTokens(schema);
    const naive = JSON.stringify(schema).length / 4;
    expect(estimate).toBeGreaterThan(naive * 0.75);
    expect(estimate).toBeLessThan(naive);
  });

  it('grows with content and ignores undefined', () => {
    expect(jsonTokens({ a: 'x', b: undefined })).toBeLessThan(jsonTokens({ a: 'x', b: 'y' }));
    expect(jsonTokens([1, 2])).toBeLessThan(jsonTokens([1, 2, 3]));
    expect(jsonTokens(null)).toBe(1);
    expect(jsonTokens(undefined)).toBe(0);
  });
});
