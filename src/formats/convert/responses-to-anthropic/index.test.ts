import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSignedReasoning } from '../../openai-responses/signed-reasoning.js';
import { SseDecoder } from '../../sse/decode.js';
import type { SseFrame } from '../../sse/types.js';
import { checkResponsesStream } from '../responses-to-chat/stream-checker.js';
import type { ConvertOptions } from '../types.js';
import { responsesToAnthropic } from './index.js';

const FIXTURES = join(import.meta.dirname, '../../../../test/fixtures');
const OPTIONS: ConvertOptions = {
  upstreamModel: 'claude-sonnet-4-5',
  quirks: { anthropicSignatures: true },
  now: 1_760_000_000,
};

const codexBody = () =>
  JSON.parse(readFileSync(join(FIXTURES, 'codex/codex-2-function-call-output-followup.json'), 'utf8')).body;

function run(sse: string): SseFrame[] {
  const { context } = responsesToAnthropic.request({ model: 'gpt-5', input: 'hi', stream: true }, OPTIONS);
  const stream = responsesToAnthropic.stream(context);
  const decoder = new SseDecoder();
  const frames: SseFrame[] = [];
  const bytes = Buffer.from(sse);
  const text = new TextDecoder();
  for (let i = 0; i < bytes.length; i += 13)
    for (const e of decoder.feed(text.decode(bytes.subarray(i, i + 13), { stream: true })))
      frames.push(...stream.push(e));
  for (const e of decoder.end()) frames.push(...stream.push(e));
  frames.push(...stream.end());
  return frames;
}

/** An Anthropic Message as the upstream answers it whole. */
const claudeMessage = (fields: { content: unknown[]; stop_reason: string; stop_sequence: null; usage: object }) => ({
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5',
  ...fields,
});

describe('Responses client → Anthropic upstream (composed through Chat)', () => {
  it('converts a real Codex follow-up request into an Anthropic Messages request', () => {
    const out = responsesToAnthropic.request(codexBody(), OPTIONS);
    expect(out.path).toBe('/v1/messages');
    const body = out.body as Record<string, any>;
    expect(body.model).toBe('claude-sonnet-4-5');
    expect(typeof body.max_tokens).toBe('number');
    expect(Array.isArray(body.system) || typeof body.system === 'string').toBe(true);
    const tools = body.tools as Array<{ name: string; input_schema: object }>;
    expect(tools.map((t) => t.name)).toContain('exec_command');
    expect(tools.every((t) => typeof t.input_schema === 'object')).toBe(true);
    const assistant = body.messages.find(
      (m: any) =>
        m.role === 'assistant' && Array.isArray(m.content) && m.content.some((b: any) => b.type === 'tool_use'),
    );
    const toolUse = assistant.content.find((b: any) => b.type === 'tool_use');
    expect(toolUse.name).toBe('exec_command');
    const result = body.messages
      .flatMap((m: any) => (Array.isArray(m.content) ? m.content : []))
      .find((b: any) => b.type === 'tool_result');
    expect(result.tool_use_id).toBe(toolUse.id);
    for (const key of ['store', 'include', 'prompt_cache_key', 'client_metadata', 'input', 'instructions'])
      expect(body).not.toHaveProperty(key);
    // Codex's instructions and history are the same on every turn: cached by Anthropic from the second on
    expect(body.system.at(-1).cache_control).toEqual({ type: 'ephemeral' });
    expect(body.messages.at(-1).content.at(-1).cache_control).toEqual({ type: 'ephemeral' });
  });

  it('reasoning.effort becomes thinking, and omitReasoning (refused by the model) leaves it out of both steps', () => {
    const request = { model: 'gpt-5', input: 'prove it', max_output_tokens: 20_000, reasoning: { effort: 'high' } };
    expect(responsesToAnthropic.request(request, OPTIONS).body).toHaveProperty('thinking');
    const omitted = responsesToAnthropic.request(request, { ...OPTIONS, omitReasoning: true }).body;
    expect(omitted).not.toHaveProperty('thinking');
    expect(omitted).toMatchObject({ max_tokens: 20_000 });
  });

  it('Codex effort xhigh reaches Claude Opus 4.7+ as xhigh (the Chat hop alone would narrow it to high); older Claude get the largest budget', () => {
    const request = { model: 'gpt-5', input: 'prove it', max_output_tokens: 64_000, reasoning: { effort: 'xhigh' } };
    const opus = responsesToAnthropic.request(request, { ...OPTIONS, upstreamModel: 'claude-opus-4-7' }).body;
    expect(opus).toMatchObject({ output_config: { effort: 'xhigh' }, thinking: { type: 'adaptive' } });
    const sonnet46 = responsesToAnthropic.request(request, { ...OPTIONS, upstreamModel: 'claude-sonnet-4-6' }).body;
    expect(sonnet46).toMatchObject({ output_config: { effort: 'high' }, thinking: { type: 'adaptive' } });
    const sonnet45 = responsesToAnthropic.request(request, OPTIONS).body;
    expect(sonnet45).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 32_768 } });
    const omitted = responsesToAnthropic.request(request, { ...OPTIONS, omitReasoning: true }).body;
    expect(omitted).not.toHaveProperty('thinking');
    expect(omitted).not.toHaveProperty('output_config');
  });

  it("Codex's follow-up after a tool call, with a reasoning effort: no thinking (Anthropic would refuse the unsigned turn)", () => {
    const body = { ...codexBody(), reasoning: { effort: 'high', summary: 'auto' } };
    const out = responsesToAnthropic.request(body, OPTIONS);
    expect(out.body).not.toHaveProperty('thinking');
    expect(out.warnings.join('\n')).toMatch(/last tool-calling turn/);
  });

  it('thinking + tool use stream → reasoning item then a function_call item, valid for Codex and the SDK', () => {
    const checked = checkResponsesStream(
      run(readFileSync(join(FIXTURES, 'anthropic-streams/thinking-tool-use.sse'), 'utf8')),
    );
    expect(checked.doneItems.map((i) => i.type)).toEqual(['reasoning', 'function_call']);
    expect(checked.doneItems[1]).toMatchObject({ name: 'get_weather', status: 'completed' });
    expect(JSON.parse(String(checked.doneItems[1]!.arguments))).toEqual(expect.objectContaining({}));
    expect(checked.response.status).toBe('completed');
    expect(checked.response.usage?.input_tokens).toBe(423);
    expect(checked.response.model).toBe('gpt-5');
  });

  it('text stream → one message item with the full text', () => {
    const checked = checkResponsesStream(run(readFileSync(join(FIXTURES, 'anthropic-streams/text.sse'), 'utf8')));
    expect(checked.doneItems.map((i) => i.type)).toEqual(['message']);
    expect(checked.response.status).toBe('completed');
  });

  it('an Anthropic error event mid-stream ends in response.failed', () => {
    const checked = checkResponsesStream(
      run(readFileSync(join(FIXTURES, 'anthropic-streams/error-after-start.sse'), 'utf8')),
    );
    expect(checked.types.at(-1)).toBe('response.failed');
    expect(checked.response.error?.code).toBeTruthy();
  });

  it('a cut stream ends in response.failed, never a bare end', () => {
    const checked = checkResponsesStream(run(readFileSync(join(FIXTURES, 'anthropic-streams/cut.sse'), 'utf8')));
    expect(checked.types.at(-1)).toBe('response.failed');
  });

  it('a Claude answer that opens with <think> is the answer, streamed or whole (thinking only comes in its own blocks)', () => {
    const answer = "<think> tags wrap a model's reasoning in some providers' output.";
    const sse = [
      'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}}\n\n',
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
      `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: answer } })}\n\n`,
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":12}}\n\n',
      'event: message_stop\ndata: {"type":"message_stop"}\n\n',
    ].join('');
    const checked = checkResponsesStream(run(sse));
    expect(checked.doneItems.map((i) => i.type)).toEqual(['message']);
    expect(JSON.stringify(checked.doneItems[0])).toContain('tags wrap a model');

    const { context } = responsesToAnthropic.request({ model: 'gpt-5', input: 'hi' }, OPTIONS);
    const whole = responsesToAnthropic.response(
      claudeMessage({
        content: [{ type: 'text', text: answer }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 5, output_tokens: 12 },
      }),
      context,
    );
    expect(whole.ok && (whole.body as any).output).toEqual([
      expect.objectContaining({ type: 'message', content: [expect.objectContaining({ text: answer })] }),
    ]);
  });

  it("Codex's --output-schema (text.format json_schema) becomes Anthropic's structured output", () => {
    const schema = { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] };
    const out = responsesToAnthropic.request(
      {
        model: 'gpt-5',
        input: 'hi',
        text: { format: { type: 'json_schema', name: 'codex_output_schema', schema, strict: true } },
      },
      OPTIONS,
    );
    expect((out.body as any).output_config).toEqual({ format: { type: 'json_schema', schema } });
  });

  it('an inline PDF (input_file with file_data) becomes a document block', () => {
    const pdf = 'data:application/pdf;base64,JVBERi0xLjQK';
    const out = responsesToAnthropic.request(
      {
        model: 'gpt-5',
        input: [
          {
            role: 'user',
            content: [
              { type: 'input_text', text: 'summarise' },
              { type: 'input_file', filename: 'a.pdf', file_data: pdf },
            ],
          },
        ],
      },
      OPTIONS,
    );
    const [message] = (out.body as any).messages;
    expect(message.content).toEqual([
      { type: 'text', text: 'summarise' },
      {
        type: 'document',
        source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK' },
        cache_control: { type: 'ephemeral' },
      },
    ]);
  });

  it("non-streaming: signed thinking becomes the reasoning item's encrypted_content, for this profile", () => {
    const { context } = responsesToAnthropic.request(
      { model: 'gpt-5', input: 'hi' },
      { ...OPTIONS, reasoningOwner: 'p1' },
    );
    const result = responsesToAnthropic.response(
      claudeMessage({
        content: [
          { type: 'thinking', thinking: 'Let me check.', signature: 'sig-1' },
          { type: 'tool_use', id: 'toolu_1', name: 'exec_command', input: { cmd: 'ls' } },
        ],
        stop_reason: 'tool_use',
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 5 },
      }),
      context,
    );
    const [reasoning] = (result.ok ? (result.body as any).output : []) as Array<Record<string, unknown>>;
    expect(reasoning).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Let me check.' }] });
    expect(decodeSignedReasoning(reasoning!.encrypted_content)).toEqual({
      owner: 'p1',
      blocks: [{ text: 'Let me check.', signature: 'sig-1' }],
    });
  });

  it('non-streaming: an Anthropic message becomes a Response with a function_call item and usage', () => {
    const { context } = responsesToAnthropic.request({ model: 'gpt-5', input: 'hi' }, OPTIONS);
    const result = responsesToAnthropic.response(
      claudeMessage({
        content: [
          { type: 'text', text: 'Running it.' },
          { type: 'tool_use', id: 'toolu_1', name: 'exec_command', input: { cmd: 'echo hi' } },
        ],
        stop_reason: 'tool_use',
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
      }),
      context,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const body = result.body as any;
    expect(body.object).toBe('response');
    expect(body.output.map((o: any) => o.type)).toEqual(['message', 'function_call']);
    expect(body.output[1]).toMatchObject({ call_id: 'toolu_1', name: 'exec_command', arguments: '{"cmd":"echo hi"}' });
    expect(body.usage).toMatchObject({ input_tokens: 10, output_tokens: 5, total_tokens: 15 });
  });
});
