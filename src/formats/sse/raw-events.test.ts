import { describe, expect, it } from 'vitest';
import { afterLastEvent, eventEnd } from './raw-events.js';

/** The definition: just after the last blank line, LF or CRLF (the latest of the two). */
function reference(text: string): number {
  const lf = text.lastIndexOf('\n\n');
  const crlf = text.lastIndexOf('\n\r\n');
  return Math.max(lf < 0 ? -1 : lf + 2, crlf < 0 ? -1 : crlf + 3);
}

describe('afterLastEvent', () => {
  it.each([
    '',
    'data: a',
    'data: a\n\n',
    'data: a\n\ndata: b',
    'data: a\r\n\r\ndata: b',
    'data: a\r\n\r\ndata: b\n\ndata: c',
    'data: a\n\ndata: b\r\n\r\n',
    'data: a\n\n\r\n',
    '\n\r\n\n',
    'event: x\ndata: a\n\nevent: y\ndata: b\n\n\n\n',
  ])('%j', (text) => {
    expect(afterLastEvent(Buffer.from(text))).toBe(reference(text));
  });

  it('agrees with the definition on random mixes of LF, CR and text', () => {
    const alphabet = ['\n', '\r', 'a', 'data: x'];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let n = 0; n < 2000; n++) {
      let text = '';
      for (let i = next() % 12; i > 0; i--) text += alphabet[next() % alphabet.length];
      expect(afterLastEvent(Buffer.from(text)), JSON.stringify(text)).toBe(reference(text));
    }
  });
});

describe('eventEnd', () => {
  it('finds each event of a stream with LF and CRLF blank lines', () => {
    const bytes = Buffer.from('data: a\n\ndata: b\r\n\r\ndata: c');
    const ends: number[] = [];
    for (let at = 0; at < bytes.length; at = eventEnd(bytes, at, bytes.length))
      ends.push(eventEnd(bytes, at, bytes.length));
    expect(ends).toEqual([9, 20, bytes.length]);
  });
});
