import { describe, expect, it } from 'vitest';
import { ConversionError } from '../types.js';
import { convertRequest } from './request.js';
import { convert, options } from './test-support/requests.js';

const hi = [{ role: 'user' as const, content: 'hi' }];

describe('Anthropic request → Chat request: system and parameters (§5.1)', () => {
  it('case 1: system string → first message', () => {
    expect(convert({ system: 'You are X', messages: hi }).chat.messages).toEqual([
      { role: 'system', content: 'You are X' },
      { role: 'user', content: 'hi' },
    ]);
  });

  it('case 2: system block array → one system message joined in order, no cache_control', () => {
    const { chat } = convert({
      system: [
        { type: 'text', text: 'A', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'B' },
      ],
      messages: hi,
    });
    expect(chat.messages[0]).toEqual({ role: 'system', content: 'A\nB' });
  });

  it('case 3: empty/whitespace system blocks dropped; all-empty → no system message', () => {
    expect(
      convert({
        system: [
          { type: 'text', text: '' },
          { type: 'text', text: 'B' },
        ],
        messages: hi,
      }).chat.messages[0],
    ).toEqual({
      role: 'system',
      content: 'B',
    });
    expect(convert({ system: [{ type: 'text', text: '  ' }], messages: hi }).chat.messages).toEqual(hi);
    expect(convert({ system: '', messages: hi }).chat.messages).toEqual(hi);
  });

  it('case 3 (Claude Code): the billing-header block is not sent (its cch= changes per request and defeats prefix caching)', () => {
    const { chat } = convert({
      system: [
        { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.197.daa; cc_entrypoint=sdk-cli; cch=36ee5;' },
        { type: 'text', text: 'You are a Claude agent.' },
      ],
      messages: hi,
    });
    expect(chat.messages[0]).toEqual({ role: 'system', content: 'You are a Claude agent.' });
  });

  it('a role:"system" message inside messages[] joins the system prompt, in order', () => {
    const { chat } = convert({
      system: 'Top',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'system', content: 'Mid' },
        { role: 'user', content: 'again' },
      ],
    });
    expect(chat.messages).toEqual([
      { role: 'system', content: 'Top\nMid' },
      { role: 'user', content: 'hi\nagain' },
    ]);
  });

  it('case 4: cache_control is removed everywhere', () => {
    const cc = { type: 'ephemeral' as const };
    const { chat } = convert({
      system: [{ type: 'text', text: 'S', cache_control: cc }],
      tools: [{ name: 'f', input_schema: { type: 'object' }, cache_control: cc }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'a', cache_control: cc }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: {}, cache_control: cc }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't1', content: 'ok', cache_control: cc },
            { type: 'image', source: { type: 'url', url: 'https://x/y.png' }, cache_control: cc },
          ],
        },
      ],
    });
    expect(JSON.stringify(chat)).not.toContain('cache_control');
  });

  it('case 29: stop_sequences → stop; more than 4 → the first 4 with a warning', () => {
    expect(convert({ messages: hi, stop_sequences: ['\n\nHuman:'] }).chat.stop).toEqual(['\n\nHuman:']);
    const many = convert({ messages: hi, stop_sequences: ['a', 'b', 'c', 'd', 'e'] });
    expect(many.chat.stop).toEqual(['a', 'b', 'c', 'd']);
    expect(many.warnings.join('\n')).toMatch(/first 4 of 5/);
    expect(convert({ messages: hi, stop_sequences: [] }).chat).not.toHaveProperty('stop');
  });

  it('case 30: metadata.user_id is not forwarded unless the provider allows it, then hashed to 64 chars', () => {
    const userId = '{"device_id":"f1e96fd8","account_uuid":"","session_id":"900c1a54"}'.repeat(3);
    expect(convert({ messages: hi, metadata: { user_id: userId } }).chat).not.toHaveProperty('user');
    const forwarded = convert({ messages: hi, metadata: { user_id: userId } }, { forwardUser: true });
    expect(forwarded.chat.user).toMatch(/^[0-9a-f]{64}$/);
    expect(convert({ messages: hi, metadata: { user_id: userId } }, { forwardUser: true }).chat.user).toBe(
      forwarded.chat.user,
    );
    expect(forwarded.warnings.join('\n')).not.toMatch(/metadata/);
  });

  it('case 31–33: thinking goes through the provider reasoning knob only', () => {
    const thinking = { type: 'enabled' as const, budget_tokens: 10000 };
    expect(convert({ messages: hi, thinking }, { reasoning: 'openai' }).chat.reasoning_effort).toBe('medium');
    expect(convert({ messages: hi, thinking }, { reasoning: 'openrouter' }).chat.reasoning).toEqual({
      max_tokens: 10000,
    });
    expect(
      convert(
        { messages: hi, thinking: { type: 'adaptive' }, output_config: { effort: 'max' } },
        { reasoning: 'deepseek' },
      ).chat.reasoning_effort,
    ).toBe('max');
    const none = convert({ messages: hi, thinking }).chat;
    expect(none).not.toHaveProperty('reasoning_effort');
    expect(none).not.toHaveProperty('reasoning');
    expect(none).not.toHaveProperty('thinking');
  });

  it('omitReasoning (the upstream refused the knob for this model): no knob, whatever the client asked', () => {
    const request = {
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: hi,
      thinking: { type: 'adaptive' },
      output_config: { effort: 'high' },
    };
    for (const reasoning of ['openai', 'deepseek', 'openrouter'] as const) {
      const asked = convertRequest(request, { upstreamModel: 'up', quirks: { reasoning }, now: 1 });
      expect(Object.keys(asked.body)).toContain(reasoning === 'openrouter' ? 'reasoning' : 'reasoning_effort');
      const omitted = convertRequest(request, {
        upstreamModel: 'up',
        quirks: { reasoning },
        now: 1,
        omitReasoning: true,
      }).body;
      expect(omitted).not.toHaveProperty('reasoning_effort');
      expect(omitted).not.toHaveProperty('reasoning');
    }
  });

  it('case 34: temperature and top_p copied, top_k dropped (with a warning) unless the provider takes it', () => {
    const { chat, warnings } = convert({ messages: hi, temperature: 0.2, top_p: 0.9, top_k: 40 });
    expect(chat).toMatchObject({ temperature: 0.2, top_p: 0.9 });
    expect(chat).not.toHaveProperty('top_k');
    expect(warnings.join('\n')).toMatch(/top_k/);
    const taken = convert({ messages: hi, top_k: 40 }, { topK: true });
    expect(taken.chat.top_k).toBe(40);
    expect(taken.warnings.join('\n')).not.toMatch(/top_k/);
  });

  it('case 35: max_tokens clamped to the cap, kept when below it', () => {
    expect(convert({ messages: hi, max_tokens: 64000 }, {}, { maxTokensCap: 8192 }).chat.max_tokens).toBe(8192);
    expect(convert({ messages: hi, max_tokens: 4000 }, {}, { maxTokensCap: 8192 }).chat.max_tokens).toBe(4000);
    expect(convert({ messages: hi, max_tokens: 64000 }).chat.max_tokens).toBe(64000);
  });

  it('case 35: OpenAI gets max_completion_tokens (its reasoning models reject max_tokens), clamped the same way', () => {
    const { chat } = convert(
      { messages: hi, max_tokens: 64000 },
      { maxTokensField: 'max_completion_tokens' },
      { maxTokensCap: 32768 },
    );
    expect(chat.max_completion_tokens).toBe(32768);
    expect(chat).not.toHaveProperty('max_tokens');
  });

  it('case 36: stream:true adds stream_options.include_usage unless the provider rejects it', () => {
    expect(convert({ messages: hi, stream: true }).chat).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    const noUsage = convert({ messages: hi, stream: true }, { streamUsage: false }).chat;
    expect(noUsage.stream).toBe(true);
    expect(noUsage).not.toHaveProperty('stream_options');
    expect(convert({ messages: hi, stream: false }).chat).not.toHaveProperty('stream');
  });

  it('case 37: model → the upstream model; the context keeps the client model', () => {
    const { chat, context } = convert({ model: 'claude-haiku-4-5', messages: hi });
    expect(chat.model).toBe('upstream-model');
    expect(context).toEqual({ clientModel: 'claude-haiku-4-5', toolNames: {}, stream: false, created: 1_764_000_000 });
  });

  it('case 38: unknown/beta Anthropic fields are not forwarded', () => {
    const { chat, warnings } = convert({
      messages: hi,
      context_management: { edits: [] },
      container: 'c',
      mcp_servers: [],
      service_tier: 'auto',
      output_config: { effort: 'high', format: { type: 'json_schema' } },
      thinking: { type: 'adaptive' },
      metadata: { user_id: 'u' },
    });
    expect(Object.keys(chat).sort()).toEqual(['max_tokens', 'messages', 'model']);
    expect(warnings.join('\n')).toMatch(
      /context_management, container, mcp_servers, service_tier, output_config, metadata/,
    );
  });

  it('case 38: output_config.format (or the beta output_format) json_schema → response_format', () => {
    const schema = {
      type: 'object',
      properties: { name: { type: 'string' } },
      required: ['name'],
      additionalProperties: false,
    };
    const expected = { type: 'json_schema', json_schema: { name: 'output', schema } };
    const viaConfig = convert({ messages: hi, output_config: { format: { type: 'json_schema', schema } } });
    expect(viaConfig.chat.response_format).toEqual(expected);
    expect(viaConfig.warnings.join('\n')).not.toMatch(/output_config/);
    const viaBeta = convert({ messages: hi, output_format: { type: 'json_schema', schema } });
    expect(viaBeta.chat.response_format).toEqual(expected);
    expect(viaBeta.warnings.join('\n')).not.toMatch(/output_format/);
    // effort used as the reasoning knob, format mapped: nothing of output_config is reported as dropped
    const both = convert(
      {
        messages: hi,
        thinking: { type: 'adaptive' },
        output_config: { effort: 'low', format: { type: 'json_schema', schema } },
      },
      { reasoning: 'openai' },
    );
    expect(both.chat).toMatchObject({ reasoning_effort: 'low', response_format: expected });
    expect(both.warnings.join('\n')).not.toMatch(/output_config/);
    // the schema is cleaned as tool schemas are; a provider that takes no schema (DeepSeek) gets none
    const strict = convert(
      { messages: hi, output_config: { format: { type: 'json_schema', schema: { $schema: 'x', ...schema } } } },
      { stripSchemaKeywords: ['additionalProperties'] },
    );
    expect(strict.chat.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'output', schema: { type: 'object', properties: schema.properties, required: ['name'] } },
    });
    const deepseek = convert(
      { messages: hi, output_config: { format: { type: 'json_schema', schema } } },
      { jsonSchemaFormat: false },
    );
    expect(deepseek.chat).not.toHaveProperty('response_format');
    expect(deepseek.warnings.join('\n')).toMatch(/output_config/);
    // a format that is not a JSON schema stays behind, and says so
    const other = convert({ messages: hi, output_config: { format: { type: 'xml' } } });
    expect(other.chat).not.toHaveProperty('response_format');
    expect(other.warnings.join('\n')).toMatch(/output_config/);
  });

  it('cases 41–42 (converter side): the upstream path is the bare Chat Completions endpoint, no query string', () => {
    expect(convert({ messages: hi }).path).toBe('/v1/chat/completions');
  });

  it.each([
    [null, /JSON object/],
    [[], /JSON object/],
    [{ messages: [] }, /model is required/],
    [{ model: 'm' }, /messages must be an array/],
    [{ model: 'm', messages: [{ role: 'tool', content: 'x' }] }, /messages\[0\]\.role/],
    [{ model: 'm', messages: [{ role: 'user', content: 5 }] }, /messages\[0\]\.content/],
    [{ model: 'm', messages: [{ role: 'user', content: [null] }] }, /messages\[0\]\.content\[0\]/],
    [{ model: 'm', messages: hi, system: 5 }, /system/],
    [
      { model: 'm', messages: [{ role: 'user', content: [{ type: 'text' }] }] },
      /messages\[0\]\.content\[0\]\.text must be a string/,
    ],
    [
      { model: 'm', messages: [{ role: 'user', content: [{ type: 'image' }] }] },
      /messages\[0\]\.content\[0\]\.source must be an object/,
    ],
    [
      { model: 'm', messages: [{ role: 'assistant', content: [{ type: 'tool_use', name: 'f', input: {} }] }] },
      /messages\[0\]\.content\[0\]\.id must be a string/,
    ],
    [
      { model: 'm', messages: [{ role: 'user', content: [{ type: 'tool_result', content: 'x' }] }] },
      /messages\[0\]\.content\[0\]\.tool_use_id must be a string/,
    ],
    [{ model: 'm', messages: hi, tools: [null] }, /tools\[0\] must be an object/],
    [{ model: 'm', messages: hi, tools: [{ input_schema: {} }] }, /tools\[0\]\.name must be a string/],
    [{ model: 'm', messages: hi, tools: [{ name: 'f' }], tool_choice: { type: 'tool' } }, /tool_choice\.name/],
  ])('rejects a malformed body %j with a ConversionError naming the place', (body, message) => {
    expect(() => convertRequest(body, options())).toThrow(ConversionError);
    expect(() => convertRequest(body, options())).toThrow(message);
  });
});
