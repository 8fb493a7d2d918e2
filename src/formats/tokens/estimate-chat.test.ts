import { describe, expect, it } from 'vitest';
import type { ChatRequest, ChatTool } from '../openai-chat/types.js';
import { IMAGE_TOKENS, LOW_DETAIL_IMAGE_TOKENS } from './costs.js';
import { estimateChatInputTokens as estimate } from './estimate-chat.js';

const base: ChatRequest = {
  model: 'gpt-4o',
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Hello there' },
  ],
};
const tool: ChatTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  },
};

describe('estimateChatInputTokens', () => {
  it('non-zero, and counts system text and per-message overhead', () => {
    expect(estimate(base)).toBeGreaterThan(8);
    expect(estimate({ model: 'm', messages: [] })).toBe(3);
  });

  it('is monotone in messages, tool calls, tool results and tools', () => {
    const withCall: ChatRequest = {
      ...base,
      messages: [
        ...base.messages,
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          ],
        },
      ],
    };
    const withResult: ChatRequest = {
      ...withCall,
      messages: [...withCall.messages, { role: 'tool', tool_call_id: 'call_1', content: '18 C, sunny' }],
    };
    const withTools: ChatRequest = { ...withResult, tools: [tool] };
    const withMoreTools: ChatRequest = {
      ...withResult,
      tools: [tool, { ...tool, function: { ...tool.function, name: 'get_time' } }],
    };
    const sequence = [base, withCall, withResult, withTools, withMoreTools].map(estimate);
    expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
    expect(new Set(sequence).size).toBe(sequence.length);
  });

  it('images cost a fixed amount (low detail less); reasoning_content counts', () => {
    const image = (detail?: 'low' | 'high'): ChatRequest => ({
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', ...(detail ? { detail } : {}) } },
          ],
        },
      ],
    });
    const none = estimate({ model: 'm', messages: [{ role: 'user', content: [] }] });
    expect(estimate(image()) - none).toBeGreaterThanOrEqual(IMAGE_TOKENS);
    expect(estimate(image('low')) - none).toBeGreaterThanOrEqual(LOW_DETAIL_IMAGE_TOKENS);
    expect(estimate(image('low'))).toBeLessThan(estimate(image('high')));
    const reasoning = estimate({
      model: 'm',
      messages: [{ role: 'assistant', content: 'ok', reasoning_content: 'think '.repeat(100) }],
    });
    expect(reasoning).toBeGreaterThan(150);
  });
});
