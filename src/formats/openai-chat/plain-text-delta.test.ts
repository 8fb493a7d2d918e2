import { describe, expect, it } from 'vitest';
import { jsonStringEnd, PlainTextDeltas, plainTextDelta } from './plain-text-delta.js';
import { chunk } from './test-support/text-streams.js';

/** Whether bytes[from, to) is exactly one valid JSON string literal, as the raw lane reads it. */
const isJsonStringBytes = (bytes: Uint8Array, from: number, to: number): boolean =>
  jsonStringEnd(bytes, from, to) === to;

describe('plainTextDelta: the text fast lane takes only what the full path would turn into a text_delta', () => {
  it.each([
    [chunk('{"content":"Hello"}'), '"Hello"'],
    [chunk('{"role":"assistant","content":"Hi"}'), '"Hi"'],
    [chunk('{"content":""}'), '""'],
    [chunk('{"content":"a \\"quoted\\" \\\\ word\\n"}'), '"a \\"quoted\\" \\\\ word\\n"'],
    [chunk('{"content":"\\u00e9 \\ud83c\\udf0d <b> \\/"}'), '"\\u00e9 \\ud83c\\udf0d <b> \\/"'],
    [chunk('{"content":"x","refusal":null,"tool_calls":null,"reasoning_content":null}'), '"x"'],
    [chunk('{"content":"x"}', '"logprobs":null,"finish_reason":null'), '"x"'],
    [`${chunk('{"content":"x"}').slice(0, -1)},"usage":null,"obfuscation":"aB3"}`, '"x"'],
    [`{"choices":[{"delta":{"content":"no index"}}]}`, '"no index"'],
  ])('%s → %s', (data, literal) => {
    expect(plainTextDelta(data)).toBe(literal);
    expect(JSON.parse(literal)).toBe(
      (JSON.parse(data) as { choices: [{ delta: { content: string } }] }).choices[0].delta.content,
    );
  });

  it.each([
    ['a finish reason', chunk('{"content":"x"}', '"finish_reason":"stop"')],
    ['a tool call', chunk('{"content":"","tool_calls":[{"index":0,"id":"c","function":{"name":"f","arguments":""}}]}')],
    ['reasoning_content', chunk('{"content":"x","reasoning_content":"think"}')],
    ['reasoning', chunk('{"content":"x","reasoning":"think"}')],
    ['reasoning_details', chunk('{"content":"x","reasoning_details":[{"type":"reasoning.text","text":"t"}]}')],
    ['a refusal', chunk('{"content":"x","refusal":"no"}')],
    ['usage on the chunk', `${chunk('{"content":"x"}').slice(0, -1)},"usage":{"prompt_tokens":1}}`],
    ["Groq's x_groq", `${chunk('{"content":"x"}').slice(0, -1)},"x_groq":{"usage":{}}}`],
    ['an error', `{"error":{"message":"boom"},"choices":[{"index":0,"delta":{"content":"x"}}]}`],
    ['the second choice', chunk('{"content":"x"}').replace('"index":0', '"index":1')],
    [
      'two choices with content',
      `{"choices":[{"index":0,"delta":{"content":"a"}},{"index":1,"delta":{"content":"b"}}]}`,
    ],
    [
      'logprobs with their own content',
      chunk('{"content":"x"}', '"logprobs":{"content":[{"token":"x"}]},"finish_reason":null'),
    ],
    ['content outside delta', `{"choices":[{"index":0,"message":{"content":"x"}}]}`],
    ['content nested deeper in delta', chunk('{"audio":{"content":"x"}}')],
    ['null content', chunk('{"content":null}')],
    ['spaces around the colon', chunk('{"content": "x"}')],
    ['a cut event', chunk('{"content":"x"}').slice(0, -3)],
    ['an invalid escape', chunk('{"content":"bad \\x escape"}')],
    ['a raw control character', chunk('{"content":"tab\there"}')],
    ['an unterminated string', '{"choices":[{"index":0,"delta":{"content":"x}]}'],
    ['not an object', '[DONE]'],
    ['text after the literal', chunk('{"content":"a"b"}')],
    ['an escaped key that spells usage', `${chunk('{"content":"x"}').slice(0, -1)},"us\\u0061ge":{"prompt_tokens":1}}`],
    ['an escaped key that spells finish_reason', chunk('{"content":"x"}', '"fin\\u0069sh_reason":"stop"')],
    ['an escaped index', chunk('{"content":"x"}').replace('"index":0', '"ind\\u0065x":1')],
    ['malformed JSON around a good literal', '{"choices":[{"index":0,"delta":{"content":"x"}}]garbage}'],
  ])('%s → the full path', (_why, data) => {
    expect(plainTextDelta(data)).toBeUndefined();
  });
});

describe('PlainTextDeltas: a verified event becomes the template for the next ones', () => {
  it('reuses the template, and checks anything that does not fit it in full', () => {
    const deltas = new PlainTextDeltas();
    expect(deltas.match(chunk('{"content":"one"}'))).toBe('"one"');
    expect(deltas.match(chunk('{"content":"two \\"2\\""}'))).toBe('"two \\"2\\""');
    // same text around it, but what sits between is not one string literal
    expect(deltas.match(chunk('{"content":"x","tool_calls":[{"index":0}],"y":"z"}'))).toBeUndefined();
    expect(deltas.match(chunk('{"content":"a"b"}'))).toBeUndefined();
    expect(deltas.match(chunk('{"content":"x","refusal":"no"}'))).toBeUndefined();
    expect(deltas.match(chunk('{"content":"x"}', '"finish_reason":"stop"'))).toBeUndefined();
    expect(deltas.match(chunk('{"content":"three"}'))).toBe('"three"');
    // another template (the id changed): checked in full, then reused
    const other = (text: string) => chunk(`{"content":"${text}"}`).replace('"c1"', '"c2"');
    expect(deltas.match(other('four'))).toBe('"four"');
    expect(deltas.match(other('five'))).toBe('"five"');
  });
});

describe('PlainTextDeltas.learn: an event the full path parsed becomes the template', () => {
  const raw = (data: string) => Buffer.from(`data: ${data}\n\n`);
  const literalOf = (deltas: PlainTextDeltas, data: string) => {
    const bytes = raw(data);
    const at = deltas.rawEvent(bytes, 0, bytes.length);
    return at < 0 ? undefined : bytes.toString('utf8', at, deltas.rawLiteralEnd);
  };

  it('makes the next text event fit without a match() first', () => {
    const deltas = new PlainTextDeltas();
    expect(literalOf(deltas, chunk('{"content":"two"}'))).toBeUndefined(); // no template yet
    const first = chunk('{"content":"one"}');
    deltas.learn(first, JSON.parse(first));
    expect(literalOf(deltas, chunk('{"content":"two"}'))).toBe('"two"');
  });

  it('learns nothing from an event that is not a plain text delta, or whose parse disagrees', () => {
    const deltas = new PlainTextDeltas();
    const tool = chunk('{"content":"x","tool_calls":[{"index":0}]}');
    deltas.learn(tool, JSON.parse(tool));
    const plain = chunk('{"content":"one"}');
    deltas.learn(plain, JSON.parse(chunk('{"content":"other"}'))); // the parse is checked against the literal
    expect(literalOf(deltas, chunk('{"content":"two"}'))).toBeUndefined();
  });

  it('keeps a template it already has', () => {
    const deltas = new PlainTextDeltas();
    expect(deltas.match(chunk('{"content":"one"}'))).toBe('"one"');
    const other = chunk('{"content":"x"}').replace('"c1"', '"c2"');
    deltas.learn(other, JSON.parse(other));
    expect(literalOf(deltas, chunk('{"content":"two"}'))).toBe('"two"');
    expect(literalOf(deltas, other)).toBeUndefined();
  });
});

describe('PlainTextDeltas.rawEvent: an event the template does not fit exactly is not taken', () => {
  const raw = (data: string) => Buffer.from(`data: ${data}\n\n`);
  const learned = () => {
    const deltas = new PlainTextDeltas();
    expect(deltas.match(chunk('{"content":"one"}'))).toBe('"one"');
    return deltas;
  };

  it('takes an event that fits, and gives where its literal and the event end', () => {
    const deltas = learned();
    const bytes = raw(chunk('{"content":"two"}'));
    const at = deltas.rawEvent(bytes, 0, bytes.length);
    expect(bytes.toString('utf8', at, deltas.rawLiteralEnd)).toBe('"two"');
    expect(deltas.rawEventEnd).toBe(bytes.length);
  });

  it('finds each event of a run by the template alone, and stops at the first that does not fit', () => {
    const deltas = learned();
    const events = ['"a"', '"b \\" \\n c"', '""', '"d"'].map((text) => raw(chunk(`{"content":${text}}`)));
    const other = raw(chunk('{"content":"e"}', '"finish_reason":"stop"'));
    const bytes = Buffer.concat([...events, other, events[0]!]);
    const seen: string[] = [];
    let at = 0;
    for (
      let from = deltas.rawEvent(bytes, at, bytes.length);
      from >= 0;
      from = deltas.rawEvent(bytes, at, bytes.length)
    ) {
      seen.push(bytes.toString('utf8', from, deltas.rawLiteralEnd));
      at = deltas.rawEventEnd;
    }
    expect(seen).toEqual(['"a"', '"b \\" \\n c"', '""', '"d"']);
    expect(at).toBe(events.reduce((n, e) => n + e.length, 0)); // where the finish event starts
  });

  it('takes nothing past `end`, and nothing from an event cut short', () => {
    const deltas = learned();
    const bytes = raw(chunk('{"content":"two"}'));
    expect(deltas.rawEvent(bytes, 0, bytes.length - 1)).toBe(-1); // the blank line is past end
    expect(deltas.rawEvent(bytes, 0, bytes.length - 20)).toBe(-1);
  });

  it.each([
    ['a different head', chunk('{"content":"two"}').replace('"c1"', '"c2"')],
    ['a different tail of the same length', chunk('{"content":"two"}', '"finish_reason":"ab"')],
    ['a different tail of another length', chunk('{"content":"two"}', '"finish_reason":"stop"')],
  ])('%s', (_name, data) => {
    const bytes = raw(data);
    expect(learned().rawEvent(bytes, 0, bytes.length)).toBe(-1);
  });
});

describe('jsonStringEnd: the raw lane accepts exactly the literals JSON.parse accepts from valid UTF-8', () => {
  // bytes that matter to the grammar: quotes, escapes, hex digits, control characters, UTF-8 lead
  // and continuation bytes, overlong and surrogate forms, and bytes never valid in UTF-8
  const alphabet = [
    0x22, 0x5c, 0x75, 0x30, 0x41, 0x66, 0x67, 0x6e, 0x2f, 0x62, 0x78, 0x61, 0x20, 0x1f, 0x00, 0x7f, 0x80, 0xbf, 0xc0,
    0xc2, 0xa9, 0xdf, 0xe0, 0xa0, 0xe6, 0x97, 0xa5, 0xed, 0x9f, 0xef, 0xf0, 0x90, 0x9f, 0x98, 0xf4, 0x8f, 0xf5, 0xff,
  ];
  const fatal = new TextDecoder('utf-8', { fatal: true });
  const reference = (bytes: Uint8Array): boolean => {
    try {
      return typeof JSON.parse(fatal.decode(bytes)) === 'string';
    } catch {
      return false;
    }
  };
  let seed = 42;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  it('agrees with JSON.parse on 50,000 random literals', () => {
    let accepted = 0;
    for (let n = 0; n < 50_000; n++) {
      const inner = Array.from(
        { length: Math.floor(random() * 8) },
        () => alphabet[Math.floor(random() * alphabet.length)]!,
      );
      const bytes = Uint8Array.from([0x78, 0x22, ...inner, 0x22, 0x78]); // with a byte either side
      const expected = reference(bytes.subarray(1, -1));
      expect([Buffer.from(bytes).toString('hex'), isJsonStringBytes(bytes, 1, bytes.length - 1)]).toEqual([
        Buffer.from(bytes).toString('hex'),
        expected,
      ]);
      if (expected) accepted++;
    }
    expect(accepted).toBeGreaterThan(1000); // the sample holds valid literals too, not only rejects
  });

  it.each([
    ['"é 東京 👋"', true],
    ['"\\u00e9\\ud83c\\udf0d"', true],
    ['"\\u00e"', false],
    ['"a\\"', false],
    ['"', false],
  ])('%s → %s', (literal, expected) => {
    const bytes = Buffer.from(literal);
    expect(isJsonStringBytes(bytes, 0, bytes.length)).toBe(expected);
  });
});
