import { describe, expect, it } from 'vitest';
import { parseToolInput } from './tool-input.js';

describe('parseToolInput', () => {
  it('parses an object', () => {
    expect(parseToolInput('{"p":1}')).toEqual({ input: { p: 1 } });
  });

  it.each(['', '   ', null, undefined])('case 47: empty arguments %j → {}', (args) => {
    expect(parseToolInput(args)).toEqual({ input: {} });
  });

  it.each([
    ['{"p":1', { p: 1 }],
    ['{"path":"a/b', { path: 'a/b' }],
    ['{"a":[1,2,', { a: [1, 2] }],
    ['{"a":1,}', { a: 1 }],
    ['```json\n{"a":1}\n```', { a: 1 }],
  ])('case 46: truncated or fenced %j is repaired', (args, input) => {
    expect(parseToolInput(args)).toEqual({ input, fix: 'repaired' });
  });

  it.each(['{"p":', 'not json at all', '{"a" 1}'])('case 46: unrepairable %j is wrapped, never a string', (args) => {
    expect(parseToolInput(args)).toEqual({ input: { raw_arguments: args }, fix: 'wrapped' });
  });

  it.each(['"x"', '[1]', '42', 'null'])('case 47: non-object JSON %j is wrapped', (args) => {
    expect(parseToolInput(args)).toEqual({ input: { raw_arguments: args }, fix: 'wrapped' });
  });

  it('arguments sent as an object instead of its JSON text (HF TGI, some llama.cpp builds) are that object', () => {
    expect(parseToolInput({ path: 'a', n: [1] })).toEqual({ input: { path: 'a', n: [1] } });
  });

  it.each([
    [[1, 2], '[1,2]'],
    [42, '42'],
    [true, 'true'],
  ])('a non-text, non-object %j is wrapped as its JSON, never thrown on', (args, raw) => {
    expect(parseToolInput(args)).toEqual({ input: { raw_arguments: raw }, fix: 'wrapped' });
  });
});
