import { describe, expect, it } from 'vitest';
import { decodeSignedReasoning, encodeSignedReasoning } from './signed-reasoning.js';

describe('signed reasoning in encrypted_content', () => {
  it('round-trips the thinking blocks (exact text, escapes and all) and the owner', () => {
    const thinking = {
      owner: 'claude-work',
      blocks: [
        { text: 'Plan: run `ls`.\n"quoted" — 東京 👋', signature: 'EqQBCkgIARAB+/=' },
        { text: 'second', signature: 'sig2' },
      ],
    };
    const encoded = encodeSignedReasoning(thinking);
    expect(encoded).toMatch(/^swx1\.[A-Za-z0-9_-]+$/);
    expect(decodeSignedReasoning(encoded)).toEqual(thinking);
  });

  it.each([
    ['OpenAI’s own encrypted content', 'gAAAAABo1xyz'],
    ['not a string', 42],
    ['not base64 JSON', 'swx1.%%%'],
    ['no blocks', `swx1.${Buffer.from('{"o":"p","b":[]}').toString('base64url')}`],
    ['an empty signature', `swx1.${Buffer.from('{"o":"p","b":[["t",""]]}').toString('base64url')}`],
    ['no owner', `swx1.${Buffer.from('{"b":[["t","s"]]}').toString('base64url')}`],
  ])('%s → undefined', (_name, content) => {
    expect(decodeSignedReasoning(content)).toBeUndefined();
  });
});
