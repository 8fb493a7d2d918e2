// Test support: compact builders for Chat Completions stream chunks.

import type { ChatChunk, ChatToolCallDelta, ChatUsage } from '../../../openai-chat/types.js';

type Delta = NonNullable<ChatChunk['choices']>[number]['delta'];

export const DONE = '[DONE]';

export function chunk(delta: Delta, finish: string | null = null, extra: Partial<ChatChunk> = {}): ChatChunk {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 1_764_000_000,
    model: 'upstream-model',
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...extra,
  };
}

export const role = (): ChatChunk => chunk({ role: 'assistant', content: '' });
export const text = (content: string, finish: string | null = null): ChatChunk => chunk({ content }, finish);
export const finish = (reason: string, extra: Partial<ChatChunk> = {}): ChatChunk => chunk({}, reason, extra);
export const tools = (...calls: ChatToolCallDelta[]): ChatChunk => chunk({ tool_calls: calls });

export function usage(prompt: number, completion: number, cached = 0): ChatUsage {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached },
  };
}

export const usageChunk = (u: ChatUsage): ChatChunk => ({ ...chunk({}), choices: [], usage: u });

export const call = (index: number, id: string, name: string, args = ''): ChatToolCallDelta => ({
  index,
  id,
  type: 'function',
  function: { name, arguments: args },
});
export const args = (index: number, fragment: string): ChatToolCallDelta => ({
  index,
  function: { arguments: fragment },
});
