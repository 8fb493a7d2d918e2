import { describe, expect, it } from 'vitest';
import type { ConversionContext } from '../types.js';
import { convertResponse } from './response.js';

const context: ConversionContext = { clientModel: 'gpt-4o', toolNames: {}, stream: false, created: 1_750_000_000 };

const message = (content: unknown[], stop_reason: string | null, usage: object = {}) => ({
  id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-20250514',
  content,
  stop_reason,
  stop_sequence: null,
  usage: { input_tokens: 12, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...usage },
});

describe('convertResponse (Anthropic Message → chat.completion)', () => {
  it('text blocks are joined into content; id, created and the client model are set', () => {
    const out = convertResponse(
      message(
        [
          { type: 'text', text: 'Hello', citations: null },
          { type: 'text', text: ' world' },
        ],
        'end_turn',
      ),
      context,
    );
    expect(out).toEqual({
      ok: true,
      body: {
        id: 'chatcmpl-msg_01XFDUDYJgAACzvnptvVoYEL',
        object: 'chat.completion',
        created: 1_750_000_000,
        model: 'gpt-4o',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Hello world', refusal: null },
            finish_reason: 'stop',
            logprobs: null,
          },
        ],
        usage: {
          prompt_tokens: 12,
          completion_tokens: 5,
          total_tokens: 17,
          prompt_tokens_details: { cached_tokens: 0 },
        },
      },
      usage: { input_tokens: 12, output_tokens: 5, cache_read_tokens: 0, cache_write_tokens: 0 },
    });
  });

  it('thinking → reasoning_content, tool_use → tool_calls (arguments = JSON.stringify(input)), content null without text', () => {
    const out = convertResponse(
      message(
        [
          { type: 'thinking', thinking: 'Need the weather.', signature: 'EqQB' },
          { type: 'redacted_thinking', data: 'opaque' },
          { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_02', name: 'now', input: {} },
        ],
        'tool_use',
      ),
      context,
    );
    expect(out.ok && out.body).toMatchObject({
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            refusal: null,
            reasoning_content: 'Need the weather.',
            tool_calls: [
              { id: 'toolu_01', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
              { id: 'toolu_02', type: 'function', function: { name: 'now', arguments: '{}' } },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
    });
  });

  it('case 138: stop_reason → finish_reason', () => {
    const finish = (reason: string | null) => {
      const out = convertResponse(message([{ type: 'text', text: 'x' }], reason), context);
      return out.ok ? (out.body as { choices: Array<{ finish_reason: string }> }).choices[0]?.finish_reason : undefined;
    };
    expect([
      finish('end_turn'),
      finish('max_tokens'),
      finish('stop_sequence'),
      finish('refusal'),
      finish(null),
    ]).toEqual(['stop', 'length', 'stop', 'content_filter', 'stop']);
  });

  it('case 139: usage with cache reads and writes', () => {
    const out = convertResponse(
      message([{ type: 'text', text: 'x' }], 'end_turn', {
        input_tokens: 20,
        cache_creation_input_tokens: 100,
        cache_read_input_tokens: 80,
        output_tokens: 7,
      }),
      context,
    );
    expect(out.ok && out.body).toMatchObject({
      usage: {
        prompt_tokens: 200,
        completion_tokens: 7,
        total_tokens: 207,
        prompt_tokens_details: { cached_tokens: 80 },
      },
    });
    expect(out.ok && out.usage).toEqual({
      input_tokens: 20,
      output_tokens: 7,
      cache_read_tokens: 80,
      cache_write_tokens: 100,
    });
  });

  it('empty content → content null, finish stop (still a valid completion)', () => {
    const out = convertResponse(message([], 'end_turn'), context);
    expect(out.ok && out.body).toMatchObject({
      choices: [{ message: { role: 'assistant', content: null }, finish_reason: 'stop' }],
    });
  });

  it('case 98: a 200 carrying {type:"error"} → {ok:false} with the Anthropic type kept', () => {
    const out = convertResponse({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, context);
    expect(out).toEqual({
      ok: false,
      error: { kind: 'overloaded', status: 529, message: 'Overloaded', upstreamType: 'overloaded_error' },
    });
  });

  it('a body that is not a Message → {ok:false} upstream_failed', () => {
    expect(convertResponse('<html>', context)).toEqual({
      ok: false,
      error: {
        kind: 'upstream_failed',
        status: 502,
        message: 'the upstream answered with a body that is not an Anthropic Message',
      },
    });
  });
});
