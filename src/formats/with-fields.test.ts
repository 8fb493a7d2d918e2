import { describe, expect, it } from 'vitest';
import { withFields } from './with-fields.js';

describe('withFields', () => {
  it('is the spread: later keys win, keys keep their order, the inputs are left alone', () => {
    const base = { a: 1, b: 2 };
    const out = withFields(base, { b: 3, c: 4 });
    expect(out).toEqual({ ...base, ...{ b: 3, c: 4 } });
    expect(JSON.stringify(out)).toBe('{"a":1,"b":3,"c":4}');
    expect(base).toEqual({ a: 1, b: 2 });
    expect(out).not.toBe(base);
  });
});
