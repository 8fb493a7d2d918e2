import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ResponseHeaders } from './response-headers.js';

// undici's own decoding, which ResponseHeaders replaces: the oracle for toObject()
const require = createRequire(import.meta.url);
const { parseHeaders } = require('undici/lib/core/util.js') as {
  parseHeaders: (raw: Buffer[]) => Record<string, string | string[]>;
};

/** Raw headers as undici's parser gives them: views into one received chunk. */
function rawHeaders(pairs: [string, string][]): Buffer[] {
  const chunk = Buffer.from(pairs.map(([name, value]) => `${name}: ${value}\r\n`).join(''), 'latin1');
  const raw: Buffer[] = [];
  let at = 0;
  for (const [name, value] of pairs) {
    raw.push(chunk.subarray(at, at + name.length));
    at += name.length + 2;
    raw.push(chunk.subarray(at, at + value.length));
    at += value.length + 2;
  }
  return raw;
}

const OPENAI_STREAM_HEAD: [string, string][] = [
  ['Date', 'Thu, 26 Nov 2026 15:00:00 GMT'],
  ['Content-Type', 'text/event-stream; charset=utf-8'],
  ['Transfer-Encoding', 'chunked'],
  ['Connection', 'keep-alive'],
  ['x-request-id', 'req_0123'],
  ['openai-processing-ms', '12'],
  ['Set-Cookie', 'a=1; Path=/'],
  ['set-cookie', 'b=2; Path=/'],
  ['SET-COOKIE', 'c=3'],
  ['x-note', 'caf\xe9'], // a latin1 byte, as servers send them
  ['x-empty', ''],
];

/** A flat name/value list as an object, a repeated name's values in an array (parseHeaders' form). */
function asObject(list: string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i < list.length; i += 2) {
    const [name, value] = [list[i]!, list[i + 1]!];
    const seen = out[name];
    out[name] = seen === undefined ? value : typeof seen === 'string' ? [seen, value] : [...seen, value];
  }
  return out;
}

const all = () => true;

describe('ResponseHeaders', () => {
  it('decodes every header as undici parseHeaders does (case, repeats, latin1, empty values)', () => {
    const raw = rawHeaders(OPENAI_STREAM_HEAD);
    const list = new ResponseHeaders(raw).list(all);
    expect(asObject(list)).toEqual(parseHeaders(raw));
    // in order, each repeated header on a line of its own
    expect(list.filter((_, i) => i % 2 === 0 && list[i] === 'set-cookie').length).toBe(3);
    expect(list.slice(0, 4)).toEqual([
      'date',
      'Thu, 26 Nov 2026 15:00:00 GMT',
      'content-type',
      'text/event-stream; charset=utf-8',
    ]);
  });

  it('finds one header by its lower-case name in any case, without decoding the others', () => {
    const headers = new ResponseHeaders(rawHeaders(OPENAI_STREAM_HEAD));
    expect(headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(headers.get('x-note')).toBe('café');
    expect(headers.get('x-empty')).toBe('');
    expect(headers.get('retry-after')).toBeUndefined();
    expect(headers.get('content-typ')).toBeUndefined(); // a prefix is not the name
    expect(headers.has('connection')).toBe(true);
    expect(headers.has('content-encoding')).toBe(false);
  });

  it('joins a repeated header into one list value', () => {
    const headers = new ResponseHeaders(rawHeaders(OPENAI_STREAM_HEAD));
    expect(headers.get('set-cookie')).toBe('a=1; Path=/, b=2; Path=/, c=3');
  });

  it('only letters are folded: names differing in other bytes do not match', () => {
    // "content_type" and "content-type" differ by one byte that case folding must not touch
    const headers = new ResponseHeaders(rawHeaders([['content_type', 'x']]));
    expect(headers.get('content-type')).toBeUndefined();
    // 0x0D | 0x20 is "-": only A–Z are folded
    expect(new ResponseHeaders([Buffer.from('content\x0dtype'), Buffer.from('y')]).get('content-type')).toBeUndefined();
  });

  it('keeps only the names a filter accepts, judged by the lower-cased name', () => {
    const raw = rawHeaders([
      ['Connection', 'keep-alive'],
      ['X-Kept', '1'],
      ['X-Dropped', '2'],
    ]);
    const seen: string[] = [];
    const list = new ResponseHeaders(raw).list((name) => {
      seen.push(name);
      return name === 'x-kept';
    });
    expect(list).toEqual(['x-kept', '1']);
    expect(seen).toEqual(['connection', 'x-kept', 'x-dropped']);
  });
});
