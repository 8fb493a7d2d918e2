import { describe, expect, it } from 'vitest';
import { decodeSse } from './decode.js';
import { afterLastEvent, eventEnd, singleDataLine } from './raw-events.js';

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

describe('singleDataLine', () => {
  const of = (text: string) => {
    const bytes = Buffer.from(`xx${text}yy`); // the event sits inside a larger chunk
    return singleDataLine(bytes, 2, bytes.length - 2);
  };

  it('is the data of a one-line data event, with or without the space after the colon', () => {
    expect(of('data: {"a":1}\n\n')).toBe('{"a":1}');
    expect(of('data:{"a":1}\n\n')).toBe('{"a":1}');
    expect(of('data:  two spaces\n\n')).toBe(' two spaces');
    expect(of('data: [DONE]\n\n')).toBe('[DONE]');
    expect(of('data: héllo ✓\n\n')).toBe('héllo ✓');
  });

  it.each([
    'event: x\ndata: a\n\n',
    'data: a\ndata: b\n\n',
    ': comment\n\n',
    'data: a\nid: 7\n\n',
    'data:\n\n',
    'data: \n\n',
    'dat: a\n\n',
    'data: a\n',
    'datum: a\n\n',
  ])('leaves %j to the SSE decoder', (text) => {
    expect(of(text)).toBeUndefined();
  });

  it('agrees with the SSE decoder on every event it takes (random events)', () => {
    const pieces = ['data', ':', ' ', 'a', '{"x":"y"}', 'event', 'é', 'id', '\u2028']; // no CR: see singleDataLine
    let seed = 11;
    const next = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed >>> 8;
    };
    let taken = 0;
    for (let n = 0; n < 5000; n++) {
      let text = n % 2 === 0 ? 'data: ' : '';
      // line breaks rarely, so that many events stay one line
      for (let i = next() % 8; i > 0; i--) text += next() % 10 === 0 ? '\n' : pieces[next() % pieces.length];
      text += '\n\n';
      const data = of(text);
      if (data === undefined) continue;
      taken++;
      expect(decodeSse(text), JSON.stringify(text)).toEqual([{ event: undefined, data }]);
    }
    expect(taken).toBeGreaterThan(500);
  });
});
