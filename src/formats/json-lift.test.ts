import { describe, expect, it } from 'vitest';
import {
  isStandIn,
  type LiftedJson,
  type LiftRule,
  liftMarker,
  liftStrings as liftPlanned,
  planLift,
  spliceLifted,
  withRaw,
} from './json-lift.js';

const liftStrings = (buf: Buffer, rule: LiftRule, opts: { minBytes: number; tag: string }) =>
  liftPlanned(buf, planLift(rule), opts);

const TAG = 'swxtest01';
const options = { minBytes: 8, tag: TAG };
const TEXT: LiftRule = { string: true };

const lift = (value: unknown, rule: LiftRule, minBytes = 8): LiftedJson | undefined =>
  liftStrings(Buffer.from(JSON.stringify(value)), rule, { ...options, minBytes });

/** What the proxy does with a lifted body, with `convert` standing in for a converter. */
function roundTrip(lifted: LiftedJson, convert: (json: unknown) => unknown = (json) => json): unknown {
  const out = spliceLifted(JSON.stringify(convert(JSON.parse(lifted.text))), lifted);
  return out === undefined ? undefined : JSON.parse(out.toString('utf8'));
}

describe('liftStrings', () => {
  it('replaces long strings at the rule paths by markers and keeps everything else', () => {
    const body = {
      model: 'a model name that is long',
      messages: [
        { role: 'user', content: 'hello there, a long enough text' },
        { role: 'user', content: 'short' },
      ],
    };
    const lifted = lift(body, { keys: { messages: { items: { keys: { content: TEXT } } } } });
    expect(lifted).toBeDefined();
    expect(JSON.parse(lifted!.text)).toEqual({
      model: 'a model name that is long',
      messages: [
        { role: 'user', content: liftMarker(TAG, 0) },
        { role: 'user', content: 'short' },
      ],
    });
    expect(lifted!.raws.map((raw) => raw.toString())).toEqual(['hello there, a long enough text']);
    expect(roundTrip(lifted!)).toEqual(body);
  });

  it('keeps the raw bytes escaped, so they drop back into a string as they are', () => {
    const text = 'line "one"\n\ttab \\ backslash — é 😀 \u2028 end';
    const lifted = lift({ text }, { keys: { text: TEXT } });
    expect(lifted!.raws[0]!.toString()).toBe(JSON.stringify(text).slice(1, -1));
    expect(roundTrip(lifted!)).toEqual({ text });
  });

  it('splices markers that a converter joined into one string, in any order and repeated', () => {
    const body = { a: 'first long text', b: 'second long text' };
    const lifted = lift(body, { keys: { a: TEXT, b: TEXT } });
    const joined = roundTrip(lifted!, (json) => {
      const { a, b } = json as { a: string; b: string };
      return { text: `${b}\n${a}!${b}` };
    });
    expect(joined).toEqual({ text: 'second long text\nfirst long text!second long text' });
  });

  it('splices a marker right after a backslash the converter put before it', () => {
    const lifted = lift({ a: 'a long text here' }, { keys: { a: TEXT } });
    expect(roundTrip(lifted!, (json) => ({ t: `C:\\${(json as { a: string }).a}` }))).toEqual({
      t: 'C:\\a long text here',
    });
  });

  it('leaves short strings, keys, other paths and non-strings alone', () => {
    const body = { keep: 'a long text elsewhere', a: ['short', 12345678901, { a: 'nested long text' }, null] };
    expect(lift(body, { keys: { a: { items: TEXT } } })).toBeUndefined(); // nothing qualified
    const lifted = lift({ ...body, a: [...body.a, 'long enough now'] }, { keys: { a: { items: TEXT } } });
    expect(lifted!.raws.map(String)).toEqual(['long enough now']);
  });

  it('lifts only strings with a visible character among their first bytes (trim() must agree)', () => {
    const rule = { keys: { t: { items: TEXT } } };
    const texts = [
      '     1\tnumbered lines start with spaces',
      '\n\n\tindented after blank lines',
      ' '.repeat(70),
      `${' '.repeat(70)}visible only after 64 bytes`,
      '\u00a0\u3000 unicode spaces first, then text',
      '\\ an escaped backslash first',
      '"quoted" first',
    ];
    const lifted = lift({ t: texts }, rule);
    const liftedTexts = lifted!.raws.map((raw) => JSON.parse(`"${raw.toString()}"`));
    expect(liftedTexts).toEqual([texts[0], texts[1], texts[4], texts[5], texts[6]]);
    expect(roundTrip(lifted!)).toEqual({ t: texts });
  });

  it('keeps strings that start with `unlessStartsWith`, also when written with escapes', () => {
    const rule = { keys: { t: { items: { string: { unlessStartsWith: 'x-header:' } } } } };
    const texts = ['x-header: cc_version=1; long', 'x\\u002dheader: escaped', 'x-other: a long text'];
    const buf = Buffer.from(`{"t":["${texts.join('","')}"]}`);
    const lifted = liftStrings(buf, rule, options);
    expect(lifted!.raws.map(String)).toEqual(['x-other: a long text']);
  });

  it('with `visibleEnd`, lifts only strings whose last character is certainly not whitespace (trimEnd() must agree)', () => {
    const rule = { keys: { t: { items: { string: { visibleEnd: true } } } } };
    const endings: Array<[string, boolean]> = [
      ['end.', true],
      ['quote \\"', true], // an escaped quote
      ['backslash \\\\', true], // an escaped backslash
      ['slash \\/', true],
      ['letter n after an escaped backslash \\\\n', true],
      ['space ', false],
      ['newline \\n', false],
      ['tab \\t', false],
      ['unicode escape \\u0041', false], // could have been \u3000
      ['ideographic space \u3000', false],
      ['accented é', false], // non-ASCII: not certain
    ];
    const raw = `{"t":[${endings.map(([text]) => `"long enough: ${text}"`).join(',')}]}`;
    const lifted = liftStrings(Buffer.from(raw), rule, options);
    const liftedTexts = lifted!.raws.map(String);
    expect(liftedTexts).toEqual(endings.filter(([, lift]) => lift).map(([text]) => `long enough: ${text}`));
    expect(roundTrip(lifted!)).toEqual(JSON.parse(raw));
  });

  it('never matches a key written with escapes (left in the parsed text)', () => {
    const buf = Buffer.from('{"t\\u0065xt":"a long enough text","text":"another long text"}');
    const lifted = liftStrings(buf, { keys: { text: TEXT } }, options);
    expect(lifted!.raws.map(String)).toEqual(['another long text']);
  });

  it('lifts whole objects where the rule says so, and splices them back as they were', () => {
    const schema = { type: 'object', properties: { path: { type: 'string', description: 'where' } } };
    const raw = `{"tools":[{"name":"read","parameters":${JSON.stringify(schema, null, 1)}},{"name":"x","parameters":{}}]}`;
    const lifted = liftStrings(
      Buffer.from(raw),
      { keys: { tools: { items: { keys: { parameters: { object: true } } } } } },
      options,
    );
    expect(lifted!.objects).toEqual([true]);
    expect(JSON.parse(lifted!.text).tools[0].parameters).toEqual({ '\u0000': liftMarker(TAG, 0) });
    const moved = (json: unknown) =>
      (json as { tools: Array<{ name: string; parameters: object }> }).tools.map((t) => ({
        function: { name: t.name, parameters: t.parameters },
      }));
    const out = roundTrip(lifted!, moved);
    expect(out).toEqual([
      { function: { name: 'read', parameters: schema } },
      { function: { name: 'x', parameters: {} } },
    ]);
  });

  it('keeps an object lifted whole as the client wrote it: numbers, key order, repeated keys', () => {
    const schema =
      '{"type":"object","2":1,"1":0,"maximum":1e400,"minimum":-9007199254740993,"step":1.0,"type":"object"}';
    const raw = `{"p":${schema}}`;
    const lifted = liftStrings(Buffer.from(raw), { keys: { p: { object: true } } }, options);
    const out = spliceLifted(JSON.stringify(JSON.parse(lifted!.text)), lifted!);
    expect(out!.toString()).toBe(raw);
  });

  it('lifts an array whole, however short, where a `whole` rule says so, and lists it in `wholes`', () => {
    const raw = '{"system":"a long enough system text","tools":[1],"more":[{"name":"x"}],"list":"not an array"}';
    const rule: LiftRule = { keys: { system: TEXT, tools: { whole: true }, list: { whole: true } } };
    const lifted = liftStrings(Buffer.from(raw), rule, options)!;
    expect(lifted.wholes).toEqual([1]);
    expect(lifted.objects).toEqual([false, true]);
    expect(lifted.raws[1]!.toString()).toBe('[1]');
    const json = JSON.parse(lifted.text) as { tools: unknown; list: string };
    expect(json.tools).toEqual({ '\u0000': liftMarker(TAG, 1) });
    expect(json.list).toBe('not an array'); // only arrays: anything else is parsed as it is
    expect(isStandIn(json.tools, lifted, 1)).toBe(true);
    expect(isStandIn({ '\u0000': liftMarker(TAG, 0) }, lifted, 0)).toBe(false); // marker 0 is a string's
    expect(isStandIn({ '\u0000': liftMarker(TAG, 1), more: 1 }, lifted, 1)).toBe(false);
    expect(isStandIn(json.list, lifted, 1)).toBe(false);
    // spliced back as it was, or as the caller's replacement (withRaw)
    expect(spliceLifted(JSON.stringify(json), lifted)!.toString()).toBe(raw);
    const replaced = spliceLifted(JSON.stringify(json), withRaw(lifted, 1, Buffer.from('["converted"]')));
    expect(JSON.parse(replaced!.toString())).toEqual({ ...JSON.parse(raw), tools: ['converted'] });
    expect(lifted.raws[1]!.toString()).toBe('[1]'); // withRaw leaves the original alone
  });

  it('takes the end of a `whole` array from `wholeEnd` when the caller knows it, else scans', () => {
    const raw = Buffer.from('{"tools":[{"name":"a"}],"x":1}');
    const rule = planLift({ keys: { tools: { whole: true } } });
    const asked: number[] = [];
    const known = (_buf: Buffer, at: number) => {
      asked.push(at);
      return at + '[{"name":"a"}]'.length;
    };
    const lifted = liftPlanned(raw, rule, { ...options, wholeEnd: known })!;
    expect(asked).toEqual([9]);
    expect(lifted.raws[0]!.toString()).toBe('[{"name":"a"}]');
    const scanned = liftPlanned(raw, rule, { ...options, wholeEnd: () => undefined })!;
    expect(scanned.raws[0]!.toString()).toBe('[{"name":"a"}]');
  });

  it('does not lift an array whose brackets do not match', () => {
    expect(
      liftStrings(Buffer.from('{"tools":[{"a":1]]}'), { keys: { tools: { whole: true } } }, options),
    ).toBeUndefined();
  });

  it('does not lift an object whose brackets do not match (the whole body is parsed, and refused)', () => {
    const raw = '{"tools":[{"parameters":{"a":[},"description":"a long description"}]}';
    const rule = { keys: { tools: { items: { keys: { parameters: { object: true as const }, description: TEXT } } } } };
    expect(liftStrings(Buffer.from(raw), rule, options)).toBeUndefined();
  });

  it('answers undefined for text that is not a well-formed JSON object', () => {
    for (const text of [
      '',
      '[]',
      '"a long string"',
      '{"a":"unterminated long',
      '{"a":"long enough text"',
      '{"a" "x"}',
    ]) {
      expect(liftStrings(Buffer.from(text), { keys: { a: TEXT } }, options), text).toBeUndefined();
    }
    expect(liftStrings(Buffer.from('{"a":"long enough text"} x'), { keys: { a: TEXT } }, options)).toBeUndefined();
  });

  it('walks JSON with whitespace between tokens', () => {
    const buf = Buffer.from('\n{ "a" :\t[ "long enough text" ,\r\n"another long text" ] , "b" : 1 }\n');
    const lifted = liftStrings(buf, { keys: { a: { items: TEXT } } }, options);
    expect(roundTrip(lifted!)).toEqual({ a: ['long enough text', 'another long text'], b: 1 });
  });
});

describe('spliceLifted refuses what it cannot splice', () => {
  const lifted = lift({ a: 'a long text here', o: { k: 'a value' } }, { keys: { a: TEXT, o: { object: true } } });

  it('a marker serialised twice (a converter put it inside another JSON text)', () => {
    const twice = JSON.stringify({ args: JSON.stringify(JSON.parse(lifted!.text)) });
    expect(spliceLifted(twice, lifted!)).toBeUndefined();
  });

  it('an object marker read into or extended, or a marker number out of range', () => {
    const json = JSON.parse(lifted!.text) as { o: Record<string, unknown> };
    expect(spliceLifted(JSON.stringify({ o: { ...json.o, extra: 1 } }), lifted!)).toBeUndefined();
    expect(spliceLifted(JSON.stringify({ keys: Object.keys(json.o) }), lifted!)).toBeUndefined();
    expect(spliceLifted(JSON.stringify({ o: json.o, keys: Object.keys(json.o) }), lifted!)).toBeUndefined();
    expect(spliceLifted(JSON.stringify({ values: Object.values(json.o) }), lifted!)).toBeUndefined();
    const note = `keys: ${Object.keys(json.o).join()}`; // the stand-in's key inside a longer string
    expect(spliceLifted(JSON.stringify({ o: json.o, note }), lifted!)).toBeUndefined();
    expect(spliceLifted(JSON.stringify({ t: liftMarker(TAG, 9) }), lifted!)).toBeUndefined();
    expect(spliceLifted(JSON.stringify({ t: `\u0000${TAG}:\u0000` }), lifted!)).toBeUndefined();
  });

  it('any other escaped NUL in the text (one the client wrote: the whole path is then exact)', () => {
    const json = JSON.parse(lifted!.text) as Record<string, unknown>;
    expect(spliceLifted(JSON.stringify(json), lifted!)).toBeDefined();
    expect(spliceLifted(JSON.stringify({ ...json, t: 'a\u0000b' }), lifted!)).toBeUndefined();
  });

  it('a copy of an object marker is the same object: it is spliced', () => {
    const json = JSON.parse(lifted!.text) as { o: Record<string, unknown> };
    const out = spliceLifted(JSON.stringify({ copy: { ...json.o } }), lifted!);
    expect(JSON.parse(out!.toString())).toEqual({ copy: { k: 'a value' } });
  });
});

describe('lift → parse → identity → splice gives back the same JSON value (generated documents)', () => {
  // a small deterministic generator: strings with escapes and non-ASCII, nested objects/arrays
  let seed = 42;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const ALPHABET = ['a', 'b', ' ', '\n', '\t', '"', '\\', '/', 'é', '漢', '😀', '\u0001', '\u2028', 'x', 'y', ':'];
  const str = () => Array.from({ length: next(40) }, () => ALPHABET[next(ALPHABET.length)]).join('');
  const value = (depth: number): unknown => {
    const kind = depth > 3 ? next(3) : next(6);
    if (kind === 0) return str();
    if (kind === 1) return next(1000) - 500;
    if (kind === 2) return [true, false, null][next(3)];
    if (kind === 3) return Array.from({ length: next(4) }, () => value(depth + 1));
    return Object.fromEntries(
      Array.from({ length: next(4) }, () => [['a', 'b', 'c', str()][next(4)]!, value(depth + 1)]),
    );
  };
  // every string and object at keys a/b/c, at any depth
  const rule: { keys: Record<string, LiftRule>; items?: LiftRule; string: true; object?: true } = {
    keys: {},
    string: true,
  };
  rule.items = rule;
  rule.keys.a = rule;
  rule.keys.b = rule;
  rule.keys.c = { object: true };

  it('for 2,000 documents', () => {
    let liftedCount = 0;
    for (let i = 0; i < 2000; i++) {
      const doc = { a: value(0), b: value(0), c: value(0), d: value(0) };
      const text = i % 2 === 0 ? JSON.stringify(doc) : JSON.stringify(doc, null, i % 4 === 1 ? 2 : '\t');
      const lifted = liftStrings(Buffer.from(text), rule, { minBytes: 3, tag: TAG });
      if (lifted === undefined) continue;
      liftedCount += lifted.raws.length;
      expect(roundTrip(lifted)).toEqual(JSON.parse(text));
    }
    expect(liftedCount).toBeGreaterThan(1000); // 1,141 with this seed
  });
});
