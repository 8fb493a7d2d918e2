// The two real Codex CLI 0.169.0 request captures (real-clients.md §2), converted for a Chat upstream.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../openai-chat/types.js';
import type { ConvertOptions } from '../types.js';
import { responsesToChat } from './index.js';

const capture = (name: string): Record<string, unknown> => {
  const record = JSON.parse(readFileSync(new URL(`../../../../test/fixtures/codex/${name}`, import.meta.url), 'utf8'));
  return record.body;
};
const options: ConvertOptions = { upstreamModel: 'deepseek-chat', quirks: {}, now: 1_760_000_000 };
const CHAT_KEYS = ['model', 'messages', 'tools', 'tool_choice', 'parallel_tool_calls', 'stream', 'stream_options'];
const TOOL_NAMES = [
  'exec_command',
  'write_stdin',
  'request_user_input',
  'view_image',
  'multi_agent_v1__close_agent',
  'multi_agent_v1__resume_agent',
  'multi_agent_v1__send_input',
  'multi_agent_v1__spawn_agent',
  'multi_agent_v1__wait_agent',
  'get_goal',
  'create_goal',
  'update_goal',
];

describe('real Codex captures → Chat requests', () => {
  const first = capture('codex-1-first-request.json');
  const followup = capture('codex-2-function-call-output-followup.json');

  it('first request: developer messages → system, 9 tools → 12 function tools, web_search dropped', () => {
    const converted = responsesToChat.request(first, options);
    const chat = converted.body as ChatRequest;
    expect(Object.keys(chat).sort()).toEqual([...CHAT_KEYS].sort());
    expect(chat).toMatchObject({
      model: 'deepseek-chat',
      tool_choice: 'auto',
      parallel_tool_calls: true,
      stream: true,
      stream_options: { include_usage: true },
    });
    // two developer messages, then two user messages: one system prompt, one user turn (case 20)
    expect(chat.messages.map((m) => m.role)).toEqual(['system', 'user']);
    const input = first.input as Array<{ role: string; content: Array<{ text: string }> }>;
    expect(input.map((item) => item.role)).toEqual(['developer', 'developer', 'user', 'user']);
    // The second developer message has two text parts: joined with a newline into one string.
    const texts = input.map((item) => item.content.map((p) => p.text).join('\n'));
    expect(chat.messages.map((m) => m.content)).toEqual([`${texts[0]}\n\n${texts[1]}`, `${texts[2]}\n${texts[3]}`]);
    for (const message of chat.messages) expect(Object.keys(message).sort()).toEqual(['content', 'role']); // no item ids
    expect(chat.tools?.map((tool) => tool.function.name)).toEqual(TOOL_NAMES);
    for (const tool of chat.tools ?? []) {
      expect(tool.type).toBe('function');
      expect(tool.function.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
      expect(tool.function.parameters).toMatchObject({ type: 'object' });
    }
    expect(converted.warnings).toEqual([
      'dropped tool "web_search" (type web_search): the Chat upstream cannot run it',
    ]);
    expect(converted.context.toolNames.multi_agent_v1__spawn_agent).toEqual({
      name: 'spawn_agent',
      kind: 'function',
      namespace: 'multi_agent_v1',
    });
    expect(converted.context.clientModel).toBe('mock-model');
  });

  it('follow-up: function_call + function_call_output → assistant tool_calls + tool message with the same id', () => {
    const chat = responsesToChat.request(followup, options).body as ChatRequest;
    expect(chat.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(chat.messages.slice(-2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_mockmwv4fwi72',
            type: 'function',
            function: { name: 'exec_command', arguments: '{"cmd":"echo hi"}' },
          },
        ],
      },
      {
        role: 'tool',
        tool_call_id: 'call_mockmwv4fwi72',
        content:
          'Chunk ID: 824473\nWall time: 0.0000 seconds\nProcess exited with code 0\nOriginal token count: 1\nOutput:\nhi\n',
      },
    ]);
  });

  it('no Responses-only field reaches the upstream', () => {
    for (const body of [first, followup]) {
      const text = JSON.stringify(responsesToChat.request(body, options).body);
      for (const field of [
        '"store"',
        '"include"',
        '"prompt_cache_key"',
        '"client_metadata"',
        '"reasoning"',
        '"input"',
      ]) {
        expect(text).not.toContain(field);
      }
    }
  });
});
