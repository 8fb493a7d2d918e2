import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('newId', () => {
  it('is the prefix and 24 hex digits by default', () => {
    expect(newId('msg_')).toMatch(/^msg_[0-9a-f]{24}$/);
  });

  it('takes the length asked for, odd ones too, capped at 32 digits', () => {
    expect(newId('', 12)).toMatch(/^[0-9a-f]{12}$/);
    expect(newId('call_', 7)).toMatch(/^call_[0-9a-f]{7}$/);
    expect(newId('x', 99)).toMatch(/^x[0-9a-f]{32}$/);
  });

  it('does not repeat across many ids, also where the random pool is refilled', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5000; i++) ids.add(newId('toolu_'));
    expect(ids.size).toBe(5000);
    const digits = new Set([...ids].join('').replaceAll('toolu_', ''));
    expect(digits.size).toBe(16); // every hex digit turns up: the bytes are not a constant fill
  });
});
