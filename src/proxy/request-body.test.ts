import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RequestFacts } from './request-body.js';

const facts = (text: string) => new RequestFacts(Buffer.from(text));
const loadFixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8'));

describe('RequestFacts.stream: read without parsing the body', () => {
  it.each([
    ['{"model":"m","messages":[],"stream":true}', true],
    ['{"model":"m","stream": true ,"messages":[]}', true],
    ['{"model":"m","stream":false}', false],
    ['{"model":"m","messages":[{"role":"user","content":"say \\"stream\\":true"}]}', false], // inside a string
    ['{"model":"m","messages":[{"role":"user","content":"x"}]}', false], // no such key
    ['{"model":"m","metadata":{"stream":true}}', false], // not top-level
    ['not json "stream":true', false],
  ])('%s → %s, as the parsed body says', (text, expected) => {
    const f = facts(text);
    expect(f.stream).toBe(expected);
    expect(facts(text).json?.stream === true).toBe(expected);
  });

  const long = 'x'.repeat(5000);
  it.each([
    [
      'not last, after a long text',
      true,
      `{"model":"m","messages":[{"role":"user","content":"${long}"}],"stream":true,"metadata":{}}`,
    ],
    ['early, before a long text', true, `{"model":"m","stream":true,"input":"${long}"}`],
    ['last, but nested', false, `{"model":"m","input":"${long}","metadata":{"stream":true}}`],
  ])('%s → %s', (_name, expected, text) => {
    expect(facts(text).stream).toBe(expected);
    expect(facts(text).json?.stream === true).toBe(expected);
  });

  it('real coders: Claude Code puts stream last, Codex second, before 40 KB of input and tools', () => {
    for (const name of ['claude-code/claude-code-1-first-request.json', 'codex/codex-1-first-request.json']) {
      const body = JSON.stringify((loadFixture(name) as { body: unknown }).body);
      expect(facts(body).stream).toBe(true);
      expect(facts(body.replace('"stream":true', '"stream":false')).stream).toBe(false);
    }
  });

  it('once the body was parsed, the parsed value answers', () => {
    const f = facts('{"stream":true,"model":"m"}');
    expect(f.json).toBeDefined();
    expect(f.stream).toBe(true);
  });
});
