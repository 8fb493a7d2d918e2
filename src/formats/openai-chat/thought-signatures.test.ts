import { describe, expect, it } from 'vitest';
import { convertRequest } from '../convert/anthropic-to-chat/request.js';
import { addThoughtSignaturePlaceholders, THOUGHT_SIGNATURE_PLACEHOLDER } from './thought-signatures.js';
import type { ChatMessage } from './types.js';

const placeholder = { google: { thought_signature: THOUGHT_SIGNATURE_PLACEHOLDER } };
const call = (id: string, extra?: unknown) => ({
  id,
  type: 'function' as const,
  function: { name: 'f', arguments: '{}' },
  ...(extra === undefined ? {} : { extra_content: extra }),
});

describe('thought signature placeholders (Gemini 3 behind the OpenAI-compatible endpoint)', () => {
  it('the first tool call of each assistant message gets the placeholder; a signature already there is kept', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: null, tool_calls: [call('a'), call('b')] },
      { role: 'tool', tool_call_id: 'a', content: 'ok' },
      { role: 'tool', tool_call_id: 'b', content: 'ok' },
      { role: 'assistant', content: 'more', tool_calls: [call('c', { google: { thought_signature: 'real' } })] },
      { role: 'assistant', content: 'just text' },
    ];
    addThoughtSignaturePlaceholders(messages, 'gemini-3-pro-preview');
    const calls = messages.flatMap((m) => (m.role === 'assistant' ? (m.tool_calls ?? []) : []));
    expect(calls.map((c) => c.extra_content)).toEqual([
      placeholder,
      undefined,
      { google: { thought_signature: 'real' } },
    ]);
  });

  it.each(['gemini-3-pro-preview', 'gemini-3.1-flash', 'gemini-flash-latest', 'models/gemini-pro-latest'])(
    '%s gets it',
    (model) => {
      const messages: ChatMessage[] = [{ role: 'assistant', content: null, tool_calls: [call('a')] }];
      addThoughtSignaturePlaceholders(messages, model);
      expect(messages[0]).toHaveProperty('tool_calls.0.extra_content', placeholder);
    },
  );

  it.each(['gemini-2.5-pro', 'gpt-5', 'models/gemini-1.5-flash'])('%s is left alone', (model) => {
    const messages: ChatMessage[] = [{ role: 'assistant', content: null, tool_calls: [call('a')] }];
    addThoughtSignaturePlaceholders(messages, model);
    expect(messages[0]).not.toHaveProperty('tool_calls.0.extra_content');
  });

  it('a Claude Code history converted for the gemini quirk carries the placeholder on its tool call', () => {
    const history = {
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [
        { role: 'user', content: 'list files' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'a.txt' }] },
      ],
    };
    const options = { upstreamModel: 'gemini-3-flash-preview', now: 1 };
    const withQuirk = convertRequest(history, { ...options, quirks: { thoughtSignaturePlaceholder: true } }).body;
    expect((withQuirk as { messages: unknown[] }).messages[1]).toMatchObject({
      role: 'assistant',
      tool_calls: [{ id: 'toolu_1', extra_content: placeholder }],
    });
    const without = convertRequest(history, { ...options, quirks: {} }).body;
    expect(without).not.toHaveProperty('messages.1.tool_calls.0.extra_content');
  });
});
