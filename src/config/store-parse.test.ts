import { describe, expect, it } from 'vitest';
import { NAME_PATTERN } from './schema.js';
import { parseConfig } from './store.js';

const profile = (name: string) => ({ name, providerId: 'openai', apiKey: '' });

describe('parseConfig: nothing in a valid file is lost, nothing invalid passes', () => {
  it('keeps unknown fields at every level (Swixter 2.0.0 files)', () => {
    const text = JSON.stringify({
      version: '2.0.0',
      syncMeta: { at: 1 },
      profiles: { a: { ...profile('a'), extra: { nested: [1, 2] } } },
      proxy: { port: 0, future: true },
    });
    expect(parseConfig(text, 'config.json')).toEqual(JSON.parse(text));
  });

  it.each(['prototype', 'constructor', '__proto__'])('refuses an entry keyed "%s" instead of dropping it', (key) => {
    const text = `{"profiles":{"a":${JSON.stringify(profile('a'))},"${key}":${JSON.stringify(profile('x'))}}}`;
    expect(() => parseConfig(text, 'config.json')).toThrow(/profiles: expected an object/);
  });

  it.each([
    ['[]', '(top level)'],
    ['{"proxy":["a"]}', 'proxy'],
    ['{"proxy":{"headers":["x"]}}', 'proxy.headers'],
    ['{"profiles":[]}', 'profiles'],
  ])('refuses an array where an object belongs: %s', (text, path) => {
    expect(() => parseConfig(text, 'config.json')).toThrow(`${path}: expected an object`);
  });

  it('profile and group names cannot be the reserved keys', () => {
    for (const name of ['constructor', 'prototype', '__proto__']) expect(NAME_PATTERN.test(name)).toBe(false);
    for (const name of ['constructor2', 'my_prototype', '_x', 'a-b']) expect(NAME_PATTERN.test(name)).toBe(true);
  });
});
