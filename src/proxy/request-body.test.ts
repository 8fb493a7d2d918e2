import { describe, expect, it } from 'vitest';
import { RequestFacts } from './request-body.js';

const facts = (text: string) => new RequestFacts(Buffer.from(text));

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

  it('once the body was parsed, the parsed value answers', () => {
    const f = facts('{"stream":true,"model":"m"}');
    expect(f.json).toBeDefined();
    expect(f.stream).toBe(true);
  });
});
