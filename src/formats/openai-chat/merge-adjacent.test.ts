import { describe, expect, it } from 'vitest';
import { leadingSystem, mergeAdjacent } from './merge-adjacent.js';
import type { ChatMessage } from './types.js';

describe('mergeAdjacent (case 20)', () => {
  it('merges user text, user parts, and assistant turns with their calls, reasoning and signed details; tool messages stay apart', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'a' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }] },
      {
        role: 'assistant',
        content: 'x',
        reasoning_content: 'r1',
        reasoning_details: [{ type: 'reasoning.text', text: 't1', signature: 's1', format: 'anthropic-claude-v1' }],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        reasoning_details: [{ type: 'reasoning.text', text: 't2', signature: 's2', format: 'anthropic-claude-v1' }],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'one' },
      { role: 'tool', tool_call_id: 'c1', content: 'two' },
    ];
    expect(mergeAdjacent(messages)).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } },
        ],
      },
      {
        role: 'assistant',
        content: 'x',
        reasoning_content: 'r1',
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        reasoning_details: [
          { type: 'reasoning.text', text: 't1', signature: 's1', format: 'anthropic-claude-v1' },
          { type: 'reasoning.text', text: 't2', signature: 's2', format: 'anthropic-claude-v1' },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'one' },
      { role: 'tool', tool_call_id: 'c1', content: 'two' },
    ]);
  });
});

describe('leadingSystem', () => {
  it('joins every system and developer message, in order, into the first message; none: unchanged', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'A' },
      { role: 'user', content: 'q' },
      {
        role: 'developer',
        content: [
          { type: 'text', text: 'B1' },
          { type: 'text', text: 'B2' },
        ],
      },
      { role: 'assistant', content: 'r' },
      { role: 'system', content: '' },
    ];
    expect(leadingSystem(messages, '\n\n')).toEqual([
      { role: 'system', content: 'A\n\nB1\nB2' },
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'r' },
    ]);
    const plain: ChatMessage[] = [{ role: 'user', content: 'q' }];
    expect(leadingSystem(plain)).toEqual(plain);
  });
});
