import { describe, expect, it } from 'vitest';
import type { AnthropicRequest } from '../../anthropic/types.js';
import { withCacheBreakpoints } from './cache-breakpoints.js';

const EPHEMERAL = { type: 'ephemeral' };

describe('withCacheBreakpoints', () => {
  it('marks the end of the system prompt and the last markable block of the last message', () => {
    const body: AnthropicRequest = {
      model: 'm',
      system: [
        { type: 'text', text: 'rules' },
        { type: 'text', text: 'more rules' },
      ],
      messages: [
        { role: 'user', content: 'first' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hm', signature: 's' },
            { type: 'tool_use', id: 't1', name: 'shell', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't1', content: 'ok' },
            { type: 'text', text: '' },
          ],
        },
      ],
    };
    const out = withCacheBreakpoints(body);
    expect(out.system).toEqual([
      { type: 'text', text: 'rules' },
      { type: 'text', text: 'more rules', cache_control: EPHEMERAL },
    ]);
    expect(out.messages.slice(0, 2)).toEqual(body.messages.slice(0, 2));
    expect(out.messages[2]!.content).toEqual([
      { type: 'tool_result', tool_use_id: 't1', content: 'ok', cache_control: EPHEMERAL }, // an empty text may not be marked
      { type: 'text', text: '' },
    ]);
    expect(body.system).toEqual([
      { type: 'text', text: 'rules' },
      { type: 'text', text: 'more rules' },
    ]); // the input is left as it was
  });

  it('a string system prompt and a string message become marked text blocks', () => {
    const out = withCacheBreakpoints({ model: 'm', system: 'rules', messages: [{ role: 'user', content: 'hi' }] });
    expect(out.system).toEqual([{ type: 'text', text: 'rules', cache_control: EPHEMERAL }]);
    expect(out.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hi', cache_control: EPHEMERAL }] }]);
  });

  it('a request that marks anything itself is left exactly as it is', () => {
    const body: AnthropicRequest = {
      model: 'm',
      system: 'rules',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral', ttl: '1h' } }] },
      ],
    };
    expect(withCacheBreakpoints(body)).toBe(body);
  });

  it('nothing to mark: no system, a last message of thinking only', () => {
    const body: AnthropicRequest = {
      model: 'm',
      messages: [{ role: 'assistant', content: [{ type: 'thinking', thinking: 'x', signature: 's' }] }],
    };
    expect(withCacheBreakpoints(body)).toEqual(body);
  });
});
