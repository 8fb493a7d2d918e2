import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LAST_KEY_WINDOW,
  lastKeyJson,
  lastTopLevelJson,
  NOT_LAST,
  nullAfterKey,
  replaceString,
  skipValue,
  topLevelJson,
  topLevelString,
  topLevelValue,
} from './json-scan.js';

const scan = (text: string, key = 'model') => topLevelString(Buffer.from(text), key)?.value;

describe('topLevelString', () => {
  it.each([
    ['{"model":"claude-x","stream":true}', 'claude-x'],
    [' \n{ "messages": [{"role":"user","content":"{\\"model\\":\\"fake\\"}"}], "model" : "real" }', 'real'],
    ['{"tools":[{"input_schema":{"properties":{"model":{"type":"string"}}}}],"model":"m2"}', 'm2'],
    ['{"metadata":{"model":"nested"},"model":"top"}', 'top'],
    ['{"a":"x\\\\","model":"after-escaped-backslash"}', 'after-escaped-backslash'],
    ['{"model":"ünïcødé ✓"}', 'ünïcødé ✓'],
    ['{"n":1.5e3,"b":true,"z":null,"model":"after-scalars"}', 'after-scalars'],
  ])('%s → %s', (text, expected) => {
    expect(scan(text)).toBe(expected);
  });

  it.each(['{"messages":[]}', '{"model":42}', '[{"model":"x"}]', '{"model":"unterminated', 'not json', ''])(
    '%s → undefined',
    (text) => {
      expect(scan(text)).toBeUndefined();
    },
  );

  it('agrees with JSON.parse on the real Claude Code request', () => {
    const body = JSON.parse(
      readFileSync(
        join(import.meta.dirname, '../../test/fixtures/claude-code/claude-code-1-first-request.json'),
        'utf8',
      ),
    ).body;
    const text = JSON.stringify(body);
    expect(scan(text)).toBe(body.model);
    expect(topLevelString(Buffer.from(text), 'stream')).toBeUndefined(); // a boolean, not a string
  });

  it('replaceString swaps only that value, and the result parses', () => {
    const buf = Buffer.from('{"model":"claude-haiku","messages":[{"content":"model"}]}');
    const found = topLevelString(buf, 'model')!;
    const out = replaceString(buf, found, 'small "quoted" model');
    expect(JSON.parse(out.toString())).toEqual({ model: 'small "quoted" model', messages: [{ content: 'model' }] });
  });
});

describe('topLevelJson', () => {
  const usage = { input_tokens: 12, output_tokens: 3, cache_read_input_tokens: 0 };

  it('reads a top-level object after long content without parsing the rest', () => {
    const answer = {
      id: 'msg_1',
      content: [{ type: 'text', text: `{"usage":{"input_tokens":999}} ${'x'.repeat(5000)}` }],
      usage,
    };
    expect(topLevelJson(Buffer.from(JSON.stringify(answer)), 'usage')).toEqual(usage);
  });

  it('ignores a nested key of the same name', () => {
    expect(topLevelJson(Buffer.from('{"choices":[{"usage":{"a":1}}],"id":"x"}'), 'usage')).toBeUndefined();
  });

  it.each([
    ['{"usage":null}', null],
    ['{"usage":[1,2]}', [1, 2]],
    ['{"usage":{"a":"}"}}', { a: '}' }],
    ['{"usage":{"a":1', undefined], // cut inside the value
    ['{"usage":{"a":1}', { a: 1 }], // cut after it: a sampled body still gives its usage
    ['{"usage":{"a":1,}}', undefined], // malformed value
  ])('%s → %j', (text, expected) => {
    expect(topLevelJson(Buffer.from(text), 'usage')).toEqual(expected);
  });

  it('finds where any value sits', () => {
    const buf = Buffer.from('{"a":[1,{"b":2}], "type" : "error"}');
    const span = topLevelValue(buf, 'a')!;
    expect(buf.toString('utf8', span.start, span.end)).toBe('[1,{"b":2}]');
    expect(topLevelString(buf, 'type')?.value).toBe('error');
  });
});

describe('lastTopLevelJson (a key usually last, found from the end)', () => {
  const usage = { input_tokens: 12, output_tokens: 3 };

  it.each([
    ['last key', { id: 'm', content: [{ type: 'text', text: 'hi' }], usage }, usage],
    ['not last: the scan from the start finds it', { id: 'm', usage, system_fingerprint: 'fp' }, usage],
    ['only nested, last', { id: 'm', choices: [{ usage: { a: 1 } }] }, undefined],
    ['nested one after the top-level one', { usage, choices: [{ usage: { a: 1 } }] }, usage],
    ['nested in the last value', { id: 'm', meta: { usage: { a: 1 } } }, undefined],
    ['quoted inside a text', { content: [{ text: '"usage":{"input_tokens":999}}' }], usage: null }, null],
    ['as a string value, last', { id: 'm', type: 'usage' }, undefined],
    ['inside a key, after an escaped quote', { 'a"usage': { x: 1 } }, undefined],
    // the search from the end looks at the last LAST_KEY_WINDOW bytes; beyond them, the scan from the start
    ['last key after a long text', { content: 'x'.repeat(LAST_KEY_WINDOW * 3), usage }, usage],
    ['not last, a long text after it', { usage, content: 'x'.repeat(LAST_KEY_WINDOW * 3) }, usage],
    [
      'last key with a value longer than the window',
      { id: 'm', usage: { t: 'x'.repeat(LAST_KEY_WINDOW * 3) } },
      {
        t: 'x'.repeat(LAST_KEY_WINDOW * 3),
      },
    ],
    ['quoted inside a long text only', { content: `"usage":{"a":1}${'x'.repeat(LAST_KEY_WINDOW * 3)}` }, undefined],
  ])('%s', (_name, value, expected) => {
    for (const text of [JSON.stringify(value), JSON.stringify(value, null, 2)]) {
      const buf = Buffer.from(text);
      expect(lastTopLevelJson(buf, 'usage')).toEqual(expected);
      expect(lastTopLevelJson(buf, 'usage')).toEqual(topLevelJson(buf, 'usage'));
    }
  });

  it.each([
    ['{"usage":{"a":1}', { a: 1 }], // a sampled body cut after the value: as topLevelJson
    ['{"usage":{"a":1', undefined],
    ['{"usage":{"a":1}}x', { a: 1 }],
  ])('%s → %j', (text, expected) => {
    expect(lastTopLevelJson(Buffer.from(text), 'usage')).toEqual(expected);
  });
});

describe('lastKeyJson (the last key only, from the tail)', () => {
  it.each([
    ['last', '{"a":1,"stream":true}', true],
    ['last, null', '{"a":1,"stream":null}', null],
    ['not last', '{"stream":true,"a":1}', NOT_LAST],
    ['absent', '{"a":1}', NOT_LAST],
    ['last but nested', '{"a":{"stream":true}}', NOT_LAST],
    ['last after more than the window', `{"a":"${'x'.repeat(LAST_KEY_WINDOW)}","stream":false}`, false],
  ])('%s', (_name, text, expected) => {
    expect(lastKeyJson(Buffer.from(text), 'stream')).toBe(expected);
  });
});

describe('nullAfterKey', () => {
  it.each([
    ['{"usage":null}', true],
    ['{"usage" :\tnull}', true],
    ['{"usage":{"a":1}}', false],
    ['{"usage":"null"}', false],
    ['["usage",null]', false], // not a key
  ])('%s → %s', (text, expected) => {
    const at = text.indexOf('"usage"') + '"usage"'.length;
    expect(nullAfterKey(Buffer.from(text), at)).toBe(expected);
  });
});

describe('skipValue', () => {
  const skip = (text: string) => skipValue(Buffer.from(text), 0);

  it('ends each value where a JSON parser does', () => {
    for (const value of ['"a\\"b"', '{"a":[1,{"b":"}]"}],"c":{}}', '[[],{},[{}]]', '123', 'true']) {
      expect(skip(`${value},"next":1`), value).toBe(value.length);
    }
  });

  it('finds a bracket closed by the wrong kind, or never closed, malformed', () => {
    for (const text of ['{"a":[}', '[{]', '{"a":1]', '{"a":"}', '[[1]']) expect(skip(text), text).toBe(-1);
  });
});
