import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaceString, topLevelString } from './json-scan.js';

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
