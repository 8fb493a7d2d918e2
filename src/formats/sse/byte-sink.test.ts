import { describe, expect, it } from 'vitest';
import { ByteSink } from './byte-sink.js';

describe('ByteSink', () => {
  it('collects byte ranges and UTF-8 text in order, growing past its first capacity', () => {
    const sink = new ByteSink(8);
    const source = Buffer.from('0123456789'.repeat(20));
    sink.bytes(Buffer.from('head:'));
    sink.bytes(source, 3, 7); // a short range (copied byte by byte)
    sink.text('|café 東京 👋|');
    sink.bytes(source, 10, 180); // a long range
    sink.text('');
    const expected = `head:3456|café 東京 👋|${source.toString('latin1', 10, 180)}`;
    expect(sink.take()?.toString('utf8')).toBe(expected);
  });

  it('writes integers as their decimal digits, growing when they do not fit', () => {
    const numbers = [0, 7, 10, 99, 100, 12345, 2 ** 40, Number.MAX_SAFE_INTEGER, -3, 1.5];
    const sink = new ByteSink(2);
    for (const n of numbers) {
      sink.decimal(n);
      sink.text(',');
    }
    expect(sink.take()?.toString('latin1')).toBe(`${numbers.join(',')},`);
  });

  it('has nothing to hand over when nothing was added', () => {
    const sink = new ByteSink(16);
    sink.text('');
    expect(sink.take()).toBeUndefined();
  });
});
