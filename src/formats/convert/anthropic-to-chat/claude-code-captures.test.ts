import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AnthropicRequest } from '../../anthropic/types.js';
import type { ChatRequest } from '../../openai-chat/types.js';
import type { ProviderQuirks } from '../types.js';
import { convertRequest } from './request.js';
import { checkChatRequest } from './test-support/chat-request-check.js';
import { options } from './test-support/requests.js';

const CAPTURES = fileURLToPath(new URL('../../../../test/fixtures/claude-code/', import.meta.url));
const capture = (name: string): AnthropicRequest =>
  (JSON.parse(readFileSync(`${CAPTURES}${name}`, 'utf8')) as { body: AnthropicRequest }).body;

/** A strict provider (Groq-like): cleaned schemas, capped max_tokens. */
const STRICT: ProviderQuirks = { stripSchemaKeywords: ['$schema', 'propertyNames', 'exclusiveMinimum', 'const'] };

function convert(name: string, quirks: ProviderQuirks = STRICT, cap: number | 'none' = 8192) {
  const body = capture(name);
  const converted = convertRequest(body, options(quirks, cap === 'none' ? {} : { maxTokensCap: cap }));
  const chat = converted.body as ChatRequest;
  expect(checkChatRequest(chat)).toEqual([]);
  return { body, chat, converted };
}

describe('real Claude Code 2.1.197 requests', () => {
  it('claude-code-1-first-request.json → a valid Chat request', () => {
    const { body, chat, converted } = convert('claude-code-1-first-request.json');
    const [system, ...rest] = chat.messages;
    // system first, merged: top-level blocks (minus the billing header), then the mid-messages system message
    expect(system?.role).toBe('system');
    const systemText = String(system?.content);
    expect(systemText.startsWith("You are a Claude agent, built on Anthropic's Claude Agent SDK.\n")).toBe(true);
    expect(systemText).not.toContain('x-anthropic-billing-header');
    const midSystem = body.messages.find((m) => m.role === 'system')?.content;
    expect(typeof midSystem).toBe('string');
    expect(systemText.endsWith(`\n${String(midSystem)}`)).toBe(true);
    expect(rest.map((m) => m.role)).toEqual(['user']);
    expect(typeof rest[0]?.content).toBe('string'); // two text blocks collapsed

    const text = JSON.stringify(chat);
    expect(text).not.toContain('cache_control');
    expect(text).not.toContain('$schema');
    expect(chat.tools?.map((t) => t.function.name)).toEqual(body.tools?.map((t) => t.name));
    for (const tool of chat.tools ?? []) expect(tool.function.parameters).toMatchObject({ type: 'object' });

    expect(chat.max_tokens).toBe(8192);
    expect(chat).toMatchObject({ model: 'upstream-model', stream: true, stream_options: { include_usage: true } });
    for (const key of ['thinking', 'context_management', 'output_config', 'metadata', 'user', 'system']) {
      expect(chat).not.toHaveProperty(key);
    }
    expect(converted.context).toMatchObject({ clientModel: 'claude-opus-4-8', stream: true, toolNames: {} });
    expect(converted.warnings).toEqual([
      'not forwarded to the OpenAI Chat upstream: metadata, context_management, output_config',
    ]);
  });

  it('claude-code-2-tool-result-followup.json → tool message directly after the assistant tool_calls message', () => {
    const { chat } = convert('claude-code-2-tool-result-followup.json');
    expect(chat.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(chat.messages[2]).toEqual({
      role: 'assistant',
      content: 'Let me run that.',
      tool_calls: [
        {
          id: 'toolu_mockmwv497ih2',
          type: 'function',
          function: { name: 'Bash', arguments: '{"command":"echo hi","description":"Print hi"}' },
        },
      ],
    });
    expect(chat.messages[3]).toEqual({ role: 'tool', tool_call_id: 'toolu_mockmwv497ih2', content: 'hi' });
    expect(JSON.stringify(chat)).not.toContain('cache_control');
  });

  it('without a cap max_tokens passes; with a reasoning dialect adaptive thinking + effort high maps to reasoning_effort', () => {
    const { chat } = convert('claude-code-2-tool-result-followup.json', { reasoning: 'openai' }, 'none');
    expect(chat.max_tokens).toBe(64000);
    expect(chat.reasoning_effort).toBe('high');
  });

  it('claude-code-3-bare-tool-result.json and claude-code-4-no-tools-custom-model.json convert too', () => {
    expect(convert('claude-code-3-bare-tool-result.json').chat.messages.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
    ]);
    const noTools = convert('claude-code-4-no-tools-custom-model.json').chat;
    expect(noTools).not.toHaveProperty('tools');
    expect(noTools).not.toHaveProperty('tool_choice');
  });
});
