import { describe, expect, it } from 'vitest';
import type { ConversionContext } from '../types.js';
import { responsesToChat } from './index.js';
import { stableIds } from './stream-checker.js';

const context: ConversionContext = {
  clientModel: 'gpt-5-codex',
  toolNames: {
    apply_patch: { name: 'apply_patch', kind: 'custom' },
    multi_agent_v1__spawn_agent: { name: 'spawn_agent', kind: 'function', namespace: 'multi_agent_v1' },
  },
  stream: false,
  created: 1_760_000_000,
};
const completion = (message: object, finish = 'stop', usage: object | undefined = undefined) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'up-model',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish, logprobs: null }],
  ...(usage ? { usage } : {}),
});

describe('non-streaming Chat completion → Response object', () => {
  it('arguments sent as an object rather than its JSON text (HF TGI) become that JSON', () => {
    const result = responsesToChat.response(
      completion(
        {
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'exec_command', arguments: { cmd: 'ls' } } },
          ],
        },
        'tool_calls',
      ),
      context,
    );
    expect(result.ok && result.body).toMatchObject({
      output: [{ type: 'function_call', call_id: 'call_1', name: 'exec_command', arguments: '{"cmd":"ls"}' }],
    });
  });

  it('case 121: text + tool calls → message and function_call items, usage, status completed', () => {
    const result = responsesToChat.response(
      completion(
        {
          content: 'Running it.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'exec_command', arguments: '{"cmd":"ls"}' } },
          ],
        },
        'tool_calls',
        { prompt_tokens: 20, completion_tokens: 7, total_tokens: 27, prompt_tokens_details: { cached_tokens: 4 } },
      ),
      context,
    );
    expect(stableIds(result)).toEqual({
      ok: true,
      body: {
        id: 'resp_1',
        object: 'response',
        created_at: 1_760_000_000,
        status: 'completed',
        model: 'gpt-5-codex',
        output: [
          {
            type: 'message',
            id: 'msg_1',
            role: 'assistant',
            status: 'completed',
            content: [{ type: 'output_text', text: 'Running it.', annotations: [] }],
          },
          {
            type: 'function_call',
            id: 'fc_1',
            call_id: 'call_1',
            name: 'exec_command',
            arguments: '{"cmd":"ls"}',
            status: 'completed',
          },
        ],
        usage: {
          input_tokens: 20,
          input_tokens_details: { cached_tokens: 4 },
          output_tokens: 7,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: 27,
        },
        error: null,
        incomplete_details: null,
      },
      usage: { input_tokens: 16, output_tokens: 7, cache_read_tokens: 4, cache_write_tokens: 0 },
    });
  });

  it('case 84: a leading <think>…</think> in the content → a reasoning item, then the message', () => {
    const result = responsesToChat.response(
      completion({ content: '<think>\n2+2, easy.</think>\n\n2 + 2 = 4.' }),
      context,
    );
    expect(result.ok && stableIds(result.body)).toMatchObject({
      output: [
        { type: 'reasoning', summary: [{ type: 'summary_text', text: '2+2, easy.' }] },
        { type: 'message', content: [{ type: 'output_text', text: '2 + 2 = 4.' }] },
      ],
    });
    // the upstream's reasoning field wins over inline tags; a <think> later in the text is just text
    const both = responsesToChat.response(
      completion({ content: '<think>x</think>y', reasoning_content: 'r' }),
      context,
    );
    expect(both.ok && stableIds(both.body)).toMatchObject({
      output: [
        { type: 'reasoning', summary: [{ text: 'r' }] },
        { type: 'message', content: [{ text: 'y' }] },
      ],
    });
    const late = responsesToChat.response(completion({ content: 'a <think>b</think>' }), context);
    expect(late.ok && stableIds(late.body)).toMatchObject({
      output: [{ type: 'message', content: [{ text: 'a <think>b</think>' }] }],
    });
  });

  it('case 121: reasoning first; custom and namespaced tools restored', () => {
    const result = responsesToChat.response(
      completion(
        {
          content: null,
          reasoning_content: 'plan',
          tool_calls: [
            {
              id: 'call_p',
              type: 'function',
              function: { name: 'apply_patch', arguments: '{"input":"*** Begin Patch"}' },
            },
            { id: 'call_s', type: 'function', function: { name: 'multi_agent_v1__spawn_agent', arguments: '' } },
          ],
        },
        'tool_calls',
      ),
      context,
    );
    expect(result.ok && stableIds(result.body)).toMatchObject({
      output: [
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'plan' }] },
        {
          type: 'custom_tool_call',
          id: 'ctc_1',
          call_id: 'call_p',
          name: 'apply_patch',
          input: '*** Begin Patch',
          status: 'completed',
        },
        {
          type: 'function_call',
          id: 'fc_1',
          call_id: 'call_s',
          name: 'spawn_agent',
          namespace: 'multi_agent_v1',
          arguments: '{}',
          status: 'completed',
        },
      ],
      usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
    });
    expect(result.ok && result.usage).toBeUndefined(); // the upstream reported no usage
  });

  it.each([
    ['length', { reason: 'max_output_tokens' }],
    ['content_filter', { reason: 'content_filter' }],
  ])('case 118/121: finish %s → status incomplete with incomplete_details %j', (finish, details) => {
    const result = responsesToChat.response(completion({ content: 'cut' }, finish), context);
    expect(result.ok && result.body).toMatchObject({ status: 'incomplete', incomplete_details: details });
  });

  it('an empty answer → output [] (a valid Response)', () => {
    const result = responsesToChat.response(completion({ content: '' }), context);
    expect(result.ok && result.body).toMatchObject({ status: 'completed', output: [] });
  });

  it('a refusal is answered as text (Codex has no refusal content type)', () => {
    const result = responsesToChat.response(completion({ content: null, refusal: "I can't help with that." }), context);
    expect(result.ok && result.body).toMatchObject({ output: [{ content: [{ text: "I can't help with that." }] }] });
  });

  it('a 200 carrying {error} → ok:false with the normalised error', () => {
    const result = responsesToChat.response(
      { error: { message: 'context too long', type: 'invalid_request_error', code: 400 } },
      context,
    );
    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'invalid_request',
        status: 400,
        message: 'context too long',
        upstreamType: 'invalid_request_error',
      },
    });
  });

  it('a 200 without choices → ok:false (upstream_failed)', () => {
    expect(responsesToChat.response({ id: 'x', choices: [] }, context)).toMatchObject({
      ok: false,
      error: { kind: 'upstream_failed', status: 502 },
    });
  });
});
