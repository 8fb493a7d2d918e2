import { describe, expect, it } from 'vitest';
import { anthropicToChat } from '../convert/anthropic-to-chat/index.js';
import { responsesToChat } from '../convert/responses-to-chat/index.js';
import type { ConvertOptions } from '../convert/types.js';
import { shortToolIdFor } from './short-tool-ids.js';
import { TOOL_TO_USER_BRIDGE } from './tool-user-bridge.js';

// Mistral's two refusals a Claude Code or Codex history runs into: tool-call ids that are not 9
// letters or digits, and a user message right after tool messages (the `mistral` preset's quirks).

const MISTRAL: ConvertOptions = {
  upstreamModel: 'devstral-medium-latest',
  quirks: { reasoning: 'none', shortToolIds: true, noUserAfterTool: true },
  now: 1,
};

describe('shortToolIdFor', () => {
  it('keeps a 9-character alphanumeric id; maps others to a stable 9-character one', () => {
    expect(shortToolIdFor('aB3dE6gH9')).toBe('aB3dE6gH9');
    const short = shortToolIdFor('toolu_01T1x1fJ34qAmk2tNTrN7Up6');
    expect(short).toMatch(/^[a-zA-Z0-9]{9}$/);
    expect(shortToolIdFor('toolu_01T1x1fJ34qAmk2tNTrN7Up6')).toBe(short);
    expect(shortToolIdFor('toolu_01T1x1fJ34qAmk2tNTrN7Up7')).not.toBe(short);
  });
});

describe('a Claude Code history towards Mistral', () => {
  const body = {
    model: 'claude-sonnet-4-5',
    max_tokens: 100,
    messages: [
      { role: 'user', content: 'read a.png' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01ABC', name: 'Read', input: { path: 'a.png' } }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_01ABC', content: 'ok' },
          { type: 'text', text: '<system-reminder>keep going</system-reminder>' },
        ],
      },
    ],
  };

  it('ids become 9 letters or digits (the same in the call and its result); the user text follows a bridge', () => {
    const out = anthropicToChat.request(body, MISTRAL).body as { messages: Array<Record<string, any>> };
    const id = shortToolIdFor('toolu_01ABC');
    expect(out.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user']);
    expect(out.messages[1]!.tool_calls[0].id).toBe(id);
    expect(out.messages[2]).toMatchObject({ role: 'tool', tool_call_id: id });
    expect(out.messages[3]).toEqual({ role: 'assistant', content: TOOL_TO_USER_BRIDGE });
  });

  it('without the quirks nothing changes', () => {
    const out = anthropicToChat.request(body, { ...MISTRAL, quirks: { reasoning: 'none' } }).body as {
      messages: Array<Record<string, any>>;
    };
    expect(out.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'user']);
    expect(out.messages[2]).toMatchObject({ tool_call_id: 'toolu_01ABC' });
  });
});

describe('a Codex history towards Mistral', () => {
  it('call ids shortened in the call and its output; a user message after the output is bridged', () => {
    const out = responsesToChat.request(
      {
        model: 'gpt-5',
        input: [
          { role: 'user', content: 'run ls' },
          { type: 'function_call', call_id: 'call_abcdefghijklmnop', name: 'shell', arguments: '{}' },
          { type: 'function_call_output', call_id: 'call_abcdefghijklmnop', output: 'a b' },
          { role: 'user', content: 'now the other folder' },
        ],
      },
      MISTRAL,
    ).body as { messages: Array<Record<string, any>> };
    const id = shortToolIdFor('call_abcdefghijklmnop');
    expect(out.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user']);
    expect(out.messages[1]!.tool_calls[0].id).toBe(id);
    expect(out.messages[2]!.tool_call_id).toBe(id);
  });
});
