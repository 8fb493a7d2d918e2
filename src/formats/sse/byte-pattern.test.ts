import { describe, expect, it } from 'vitest';
import { BytePattern, InputView } from './byte-pattern.js';

/** A deterministic byte source (the same cases on every run). */
function bytesFrom(seed: number, length: number, alphabet: readonly number[]): Buffer {
  let s = seed >>> 0;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = alphabet[s % alphabet.length]!;
  }
  return out;
}

const matches = (pattern: BytePattern, input: Buffer, at: number) =>
  pattern.matchesAt(input, new InputView().of(input), at);

describe('BytePattern', () => {
  it('agrees with Buffer#equals at every offset, for patterns of every length up to 40', () => {
    // few distinct bytes, so near-misses (one byte off) are frequent
    const alphabet = [0x22, 0x61, 0x62, 0x7b];
    for (let length = 1; length <= 40; length++) {
      const pattern = bytesFrom(length, length, alphabet);
      const input = Buffer.concat([bytesFrom(length * 7, 30, alphabet), pattern, bytesFrom(length * 13, 30, alphabet)]);
      const p = new BytePattern(pattern);
      for (let at = 0; at + length <= input.length; at++) {
        expect(matches(p, input, at), `length ${length} at ${at}`).toBe(
          input.subarray(at, at + length).equals(pattern),
        );
      }
      expect(matches(p, input, 30)).toBe(true);
    }
  });

  it('finds a difference in any single byte of a long pattern', () => {
    const pattern = Buffer.from(
      'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":',
    );
    const p = new BytePattern(pattern);
    for (let i = 0; i < pattern.length; i++) {
      const input = Buffer.from(pattern);
      input[i] = input[i]! ^ 0x01;
      expect(matches(p, input, 0), `byte ${i}`).toBe(false);
    }
    expect(matches(p, Buffer.from(pattern), 0)).toBe(true);
  });

  it('compares bytes, not numbers: -0 is not +0 and NaN patterns still match themselves', () => {
    const zero = Buffer.alloc(8); // +0 as a float64
    const negativeZero = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0x80]);
    expect(matches(new BytePattern(zero), negativeZero, 0)).toBe(false);
    expect(matches(new BytePattern(negativeZero), zero, 0)).toBe(false);
    const nan = Buffer.from([1, 0, 0, 0, 0, 0, 0xf8, 0x7f]);
    const otherNan = Buffer.from([2, 0, 0, 0, 0, 0, 0xf8, 0x7f]);
    expect(matches(new BytePattern(nan), nan, 0)).toBe(true);
    expect(matches(new BytePattern(nan), otherNan, 0)).toBe(false);
    // a denormal word (what a flush-to-zero FPU would read as 0) is compared as bytes too
    const denormal = Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(matches(new BytePattern(denormal), denormal, 0)).toBe(true);
    expect(matches(new BytePattern(denormal), zero, 0)).toBe(false);
    // a NaN word in the input against an ordinary pattern
    expect(matches(new BytePattern(Buffer.from('abcdefgh')), nan, 0)).toBe(false);
  });

  it('reads inputs that are slices of a larger buffer (the view starts at their offset)', () => {
    const pattern = Buffer.from('"},"finish_reason":null}]}\n\n');
    const backing = Buffer.concat([Buffer.from('xxxxxxx'), Buffer.from('ab'), pattern, Buffer.from('yy')]);
    const slice = backing.subarray(7); // byteOffset 7: not 8-aligned
    const view = new InputView();
    expect(new BytePattern(pattern).matchesAt(slice, view.of(slice), 2)).toBe(true);
    expect(new BytePattern(pattern).matchesAt(slice, view.of(slice), 1)).toBe(false);
  });
});

describe('InputView', () => {
  it('makes one view per input and a new one for the next input', () => {
    const view = new InputView();
    const a = Buffer.from('aaaaaaaa');
    const b = Buffer.from('bbbbbbbb');
    const first = view.of(a);
    expect(view.of(a)).toBe(first);
    const second = view.of(b);
    expect(second).not.toBe(first);
    expect(second.getUint8(0)).toBe(0x62);
  });
});
