import { describe, expect, it } from 'vitest';
import type { SseFrame } from '../../sse/types.js';
import { checkChatStream } from './chat-stream-checker.js';

const head = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm' };
const c = (delta: object, finish_reason: string | null = null): SseFrame => ({
  data: { ...head, choices: [{ index: 0, delta, finish_reason }] },
});
const role = c({ role: 'assistant', content: '' });
const DONE: SseFrame = { data: '[DONE]' };
const call = (extra: object) => ({ tool_calls: [{ index: 0, ...extra }] });
const fullCall = call({ id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } });

describe('checkChatStream (what openai-node ChatCompletionStream + finalChatCompletion accept)', () => {
  it('accepts a well-formed stream and returns the final completion', () => {
    expect(
      checkChatStream([
        role,
        c({ content: 'a' }),
        c(fullCall),
        c(call({ function: { arguments: '{}' } })),
        c({}, 'tool_calls'),
        { data: { ...head, choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } } },
        DONE,
      ]),
    ).toEqual({
      outcome: 'completed',
      id: 'chatcmpl-1',
      model: 'm',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'a',
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    });
  });

  it.each([
    ['missing role', [c({ content: 'a' }), c({}, 'stop'), DONE], 'missing role for choice 0'],
    ['missing finish_reason', [role, c({ content: 'a' }), DONE], 'missing finish_reason for choice 0'],
    [
      'tool call without type',
      [role, c(call({ id: 'x', function: { name: 'f', arguments: '' } })), c({}, 'stop'), DONE],
      'no type',
    ],
    [
      'tool call without name',
      [role, c(call({ id: 'x', type: 'function', function: { arguments: '' } })), c({}, 'stop'), DONE],
      'no function.name',
    ],
    ['tool call changes id', [role, c(fullCall), c(call({ id: 'call_2' })), c({}, 'stop'), DONE], 'changed id'],
    [
      'tool index hole',
      [
        role,
        c({ tool_calls: [{ index: 1, id: 'a', type: 'function', function: { name: 'f', arguments: '' } }] }),
        c({}, 'stop'),
        DONE,
      ],
      'tool_calls[0]',
    ],
    ['named event', [{ event: 'message', data: role.data }, c({}, 'stop'), DONE], 'has an event name'],
    [
      'id changes',
      [role, { data: { ...head, id: 'other', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] } }, DONE],
      'changed',
    ],
    ['frames after [DONE]', [role, c({}, 'stop'), DONE, c({})], 'frames follow [DONE]'],
    ['no terminator', [role, c({}, 'stop')], 'without [DONE]'],
    [
      'usage before finish',
      [role, { data: { ...head, choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } } }],
      'before every choice finished',
    ],
    ['content after finish', [role, c({}, 'stop'), c({ content: 'late' }), DONE], 'after its finish_reason'],
    ['non-JSON data', [role, { data: '{oops' }, DONE], 'not JSON'],
  ] as const)('rejects %s', (_name, frames, message) => {
    expect(() => checkChatStream(frames)).toThrow(message);
  });

  it('an error chunk ends the stream (openai-node throws APIError there)', () => {
    const error = { message: 'Overloaded', type: 'overloaded_error', param: null, code: null };
    expect(checkChatStream([role, { data: { error } }])).toMatchObject({ outcome: 'error', error });
    expect(() => checkChatStream([role, { data: { error } }, DONE])).toThrow('frames follow the error chunk');
  });
});
