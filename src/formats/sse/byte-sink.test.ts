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

  it('writes into the buffer it was given, and leaves it when it has to grow', () => {
    const room = Buffer.alloc(24, 0x2e); // text takes room for 3 bytes a character
    const sink = new ByteSink(room);
    sink.text('héllo');
    const bytes = sink.take()!;
    expect(bytes.toString()).toBe('héllo');
    expect(bytes.buffer).toBe(room.buffer);
    expect(room.toString('latin1', 6)).toBe('.'.repeat(18)); // nothing written past the text

    const small = Buffer.alloc(4);
    const grown = new ByteSink(small);
    grown.text('more than four');
    const taken = grown.take()!;
    expect(taken.toString()).toBe('more than four');
    expect(taken.buffer).not.toBe(small.buffer);
  });

  it('has nothing to hand over when nothing was added', () => {
    const sink = new ByteSink(16);
    sink.text('');
    expect(sink.take()).toBeUndefined();
  });
});
