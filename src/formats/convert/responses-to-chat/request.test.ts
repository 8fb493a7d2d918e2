import { describe, expect, it } from 'vitest';
import { ConversionError, type ConvertOptions } from '../types.js';
import { responsesToChat } from './index.js';

const options: ConvertOptions = { upstreamModel: 'llama-3.3-70b', quirks: { reasoning: 'openai' }, now: 1_760_000_000 };

describe('request conversion', () => {
  it('a Codex-shaped request → exactly the Chat request, path and context', () => {
    const converted = responsesToChat.request(
      {
        model: 'gpt-5-codex',
        instructions: 'You are Codex.',
        input: [{ type: 'message', id: 'msg_1', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
        tools: [{ type: 'function', name: 'ls', parameters: { type: 'object', properties: {} } }],
        tool_choice: 'auto',
        parallel_tool_calls: true,
        reasoning: { effort: 'medium', summary: 'auto' },
        store: false,
        stream: true,
        include: ['reasoning.encrypted_content'],
        prompt_cache_key: 'session-1',
        prompt_cache_retention: '24h',
        client_metadata: { 'x-codex-turn-metadata': '{}' },
        text: { verbosity: 'low' },
        metadata: { a: 'b' },
        service_tier: 'auto',
        truncation: 'auto',
      },
      options,
    );
    expect(converted).toEqual({
      path: '/v1/chat/completions',
      body: {
        model: 'llama-3.3-70b',
        messages: [
          { role: 'system', content: 'You are Codex.' },
          { role: 'user', content: 'hi' },
        ],
        tools: [{ type: 'function', function: { name: 'ls', parameters: { type: 'object', properties: {} } } }],
        tool_choice: 'auto',
        parallel_tool_calls: true,
        reasoning_effort: 'medium',
        stream: true,
        stream_options: { include_usage: true },
      },
      context: { clientModel: 'gpt-5-codex', toolNames: {}, stream: true, created: 1_760_000_000 },
      warnings: [],
    });
  });

  it('parallel_tool_calls is left out when quirks.parallelToolCalls is false', () => {
    const body = { model: 'm', input: 'x', tools: [{ type: 'function', name: 'ls' }], parallel_tool_calls: false };
    const converted = responsesToChat.request(body, { ...options, quirks: { parallelToolCalls: false } });
    expect(converted.body).not.toHaveProperty('parallel_tool_calls');
    expect(responsesToChat.request(body, options).body).toMatchObject({ parallel_tool_calls: false });
  });

  it('case 113: previous_response_id → ConversionError explaining that the proxy keeps no state', () => {
    const request = () =>
      responsesToChat.request({ model: 'm', input: 'x', previous_response_id: 'resp_abc' }, options);
    expect(request).toThrow(ConversionError);
    expect(request).toThrow(/previous_response_id is not supported.*keeps no server-side state/);
    expect(() => responsesToChat.request({ model: 'm', input: 'x', conversation: 'conv_1' }, options)).toThrow(
      ConversionError,
    );
    expect(() =>
      responsesToChat.request({ model: 'm', input: 'x', previous_response_id: null }, options),
    ).not.toThrow();
  });

  it.each([
    ['a non-object body', 'hello'],
    ['no input', { model: 'm' }],
    ['an input that is neither string nor array', { model: 'm', input: 42 }],
    ['nothing to send', { model: 'm', input: [] }],
  ])('rejects %s with a ConversionError', (_name, body) => {
    expect(() => responsesToChat.request(body, options)).toThrow(ConversionError);
  });

  it('context.clientModel keeps the client model; the upstream gets options.upstreamModel', () => {
    const converted = responsesToChat.request({ model: 'o4-mini', input: 'x' }, options);
    expect(converted.context.clientModel).toBe('o4-mini');
    expect(converted.body).toMatchObject({ model: 'llama-3.3-70b' });
    expect(converted.context.stream).toBe(false);
  });
});
