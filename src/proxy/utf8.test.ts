import { describe, expect, it } from 'vitest';
import { decodeUtf8, encodeUtf8 } from './utf8.js';

/** Above the size where the ICU path takes over. */
const big = (piece: string) => piece.repeat(Math.ceil((80 * 1024) / piece.length));

const texts: Record<string, string> = {
  ascii: big('plain ASCII text, {"json": [1, 2, 3]}\n'),
  'mostly ASCII': `${big('const x = 1; // code\n')}│ box ─ drawing, café, naïve`,
  'non-ASCII early': `é${big('abc ')}`,
  'astral (surrogate pairs)': big('emoji 😀 and 𝔘 '),
  CJK: big('漢字かなカナ'),
  'leading BOM': `\ufeff${big('x')}`,
  small: 'short é 😀',
};

describe('decodeUtf8 / encodeUtf8', () => {
  for (const [name, text] of Object.entries(texts)) {
    it(`round-trips ${name} exactly as V8's own conversions do`, () => {
      const bytes = Buffer.from(text, 'utf8');
      expect(encodeUtf8(text).equals(bytes)).toBe(true);
      expect(decodeUtf8(bytes)).toBe(text);
    });
  }

  it('replaces invalid UTF-8 with U+FFFD as toString does', () => {
    const bytes = Buffer.concat([Buffer.from(big('a')), Buffer.from([0xff, 0x62, 0xe2, 0x82, 0x63, 0xf0, 0x9f, 0x98])]);
    expect(decodeUtf8(bytes)).toBe(bytes.toString('utf8'));
    expect(decodeUtf8(bytes)).toContain('\ufffd');
  });

  it('encodes a lone surrogate as U+FFFD as Buffer.from does', () => {
    const text = `${big('a')}\ud800b`;
    expect(encodeUtf8(text).equals(Buffer.from(text, 'utf8'))).toBe(true);
  });
});
