import { describe, expect, it } from 'vitest';
import {
  blockSignature,
  filterThinking,
  holdsSignatureTag,
  mayHoldSignatures,
  signatureTag,
  tagOrigin,
} from './thinking-provenance.js';
import type { AnthropicRequest } from './types.js';

const request = (): AnthropicRequest => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 1000,
  thinking: { type: 'adaptive' },
  output_config: { effort: 'high' },
  context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
  messages: [
    { role: 'user', content: 'hi' },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'old', signature: 'sig-A' },
        { type: 'text', text: 'earlier' },
      ],
    },
    { role: 'user', content: 'go on' },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'plan', signature: signatureTag('deepseek', 'n1') },
        { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } },
      ],
    },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'a.txt' }] },
  ],
});

describe('thinking provenance', () => {
  it('a tag names its profile and nothing else is read as a tag', () => {
    expect(tagOrigin(signatureTag('my profile/ü', 'abc'))).toBe('my profile/ü');
    expect(tagOrigin('EqQBCkgIARABGAIiQL2d')).toBeUndefined();
    expect(signatureTag('p', 'x')).toMatch(/^swx1\.[A-Za-z0-9_-]+\.x$/);
  });

  it('keeps everything (same object) when every block is accepted', () => {
    const req = request();
    const out = filterThinking(req, () => true);
    expect(out.request).toBe(req);
    expect(out.dropped).toBe(0);
  });

  it('drops foreign blocks from an older turn and keeps thinking on', () => {
    const out = filterThinking(request(), (b) => blockSignature(b) !== 'sig-A');
    expect(out.dropped).toBe(1);
    expect(out.droppedFromLastAssistant).toBe(false);
    expect(out.request.messages[1]!.content).toEqual([{ type: 'text', text: 'earlier' }]);
    expect(out.request.thinking).toEqual({ type: 'adaptive' });
  });

  it('dropping from the latest assistant turn turns thinking (and its context edits and effort) off', () => {
    const out = filterThinking(request(), (b) => tagOrigin(blockSignature(b)) === undefined);
    expect(out.droppedFromLastAssistant).toBe(true);
    expect(out.request.messages[3]!.content).toEqual([
      { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } },
    ]);
    expect(out.request).not.toHaveProperty('thinking');
    expect(out.request).not.toHaveProperty('context_management');
    expect(out.request).not.toHaveProperty('output_config');
  });
});

describe('holdsSignatureTag: a byte search for `"swx1.`', () => {
  it.each([
    ['a tag as a JSON string', `{"signature":"${signatureTag('main', 'n1')}"}`, true],
    ['a tag at the very start of the bytes', `"swx1.x`, true],
    ['a tag after many near misses', `${'x1. wx1. "sx1. "wx1. swx1. '.repeat(500)}"swx1.y`, true],
    ['only near misses', 'x1. wx1. "sx1. "wx1. swx1. "swx1'.repeat(500), false],
    ['the tail at the start, with no room for the head', 'x1.', false],
    ['nothing at all', '', false],
  ])('%s → %s', (_name, text, expected) => {
    const bytes = Buffer.from(text);
    expect(holdsSignatureTag(bytes)).toBe(expected);
    expect(holdsSignatureTag(bytes)).toBe(bytes.includes('"swx1.')); // the search it replaces
  });
});

describe('mayHoldSignatures', () => {
  it.each([
    ['a thinking block', '{"content":[{"type":"thinking","thinking":"t","signature":"s"}]}', true],
    ['a redacted thinking block', '{"content":[{"type":"redacted_thinking","data":"d"}]}', true],
    ['a signature_delta key is not the signature key', '{"type":"signature_delta"}', false],
    ['the word in text only', '{"text":"a signature and redacted_thinking"}', false],
    ['nothing', '', false],
  ])('%s → %s', (_name, text, expected) => {
    expect(mayHoldSignatures(Buffer.from(text))).toBe(expected);
  });
});

describe('filterThinking on malformed input', () => {
  it('never throws on null messages, null blocks or missing signatures', () => {
    const req = {
      model: 'm',
      messages: [
        null,
        { role: 'assistant', content: [null, { type: 'thinking', thinking: 'x' }, { type: 'text', text: 'ok' }] },
      ],
    } as unknown as AnthropicRequest;
    const out = filterThinking(req, (b) => blockSignature(b) !== '');
    expect(out.dropped).toBe(1);
    expect(out.request.messages[1]!.content).toEqual([null, { type: 'text', text: 'ok' }]);
  });
});
