// The shared upstream recordings (test/fixtures/chat-streams/) through the converter and the checker.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from './test-support/chat-stream.js';

const recording = (name: string) =>
  readFileSync(new URL(`../../../../test/fixtures/chat-streams/${name}`, import.meta.url), 'utf8');

describe('recorded Chat streams → valid Responses streams', () => {
  it.each([
    ['openai-text.sse', 'response.completed', ['message']],
    ['openai-parallel-tools.sse', 'response.completed', ['function_call', 'function_call']],
    ['groq-one-chunk-tool.sse', 'response.completed', ['function_call']],
    ['kimi-ids.sse', 'response.completed', ['function_call', 'function_call']],
    ['llamacpp-tool.sse', 'response.completed', ['reasoning', 'function_call']],
    ['ollama-reasoning.sse', 'response.completed', ['reasoning', 'function_call']],
    ['deepseek-reasoning.sse', 'response.completed', ['reasoning', 'message', 'function_call']],
    ['openrouter-reasoning-details.sse', 'response.completed', ['reasoning', 'message']],
    ['think-tags.sse', 'response.completed', ['reasoning', 'message']],
    ['cut-mid-stream.sse', 'response.failed', ['message', 'function_call']],
    ['error-chunk.sse', 'response.failed', ['message']],
  ])('%s → %s with output %j', (name, terminal, types) => {
    const { stream } = run(recording(name));
    expect(stream.types.at(-1)).toBe(terminal);
    expect(stream.response.output.map((item) => item.type)).toEqual(types);
  });

  it('openai-text: multi-byte text intact, usage with cached tokens', () => {
    const { stream } = run(recording('openai-text.sse'));
    expect(stream.doneItems[0]).toMatchObject({ content: [{ text: 'Hello wörld 🌍 — 你好!' }] });
    expect(stream.response.usage).toMatchObject({ input_tokens: 1200, input_tokens_details: { cached_tokens: 1024 } });
  });

  it('think-tags (case 84): <think> split across chunks → a reasoning item, then the answer', () => {
    const { stream } = run(recording('think-tags.sse'));
    expect(stream.doneItems).toMatchObject([
      { type: 'reasoning', summary: [{ text: 'The user asks 2+2. Easy.' }] },
      { type: 'message', content: [{ text: '2 + 2 = 4.' }] },
    ]);
  });

  it('kimi-ids: two whole calls in one chunk keep their ids (functions.add:0) as call_id', () => {
    const { stream } = run(recording('kimi-ids.sse'));
    expect(stream.doneItems.map((item) => [item.call_id, item.name, item.arguments])).toEqual([
      ['functions.add:0', 'add', '{"a":2,"b":3}'],
      ['functions.multiply:1', 'multiply', '{"a":4,"b":5}'],
    ]);
  });

  it('ollama-reasoning: finish "stop" after a tool call still delivers the call', () => {
    const { stream } = run(recording('ollama-reasoning.sse'));
    expect(stream.doneItems[1]).toMatchObject({
      type: 'function_call',
      name: 'get_weather',
      arguments: '{"city":"Paris"}',
    });
  });

  it('openrouter-reasoning-details: reasoning read once (not doubled from reasoning_details)', () => {
    const { stream } = run(recording('openrouter-reasoning-details.sse'));
    expect(stream.doneItems[0]).toMatchObject({ summary: [{ text: 'Let me work out 17 × 23.' }] });
  });

  it('error-chunk: rate limit inside the 200 → response.failed rate_limit_exceeded, upstreamError set', () => {
    const { stream, converter } = run(recording('error-chunk.sse'));
    expect(stream.response.error).toEqual({
      code: 'rate_limit_exceeded',
      message: 'Rate limit exceeded: free-models-per-min',
    });
    expect(converter.upstreamError).toMatchObject({ kind: 'rate_limited', status: 429 });
  });

  it('cut-mid-stream: the half-received tool call is never marked done', () => {
    const { stream } = run(recording('cut-mid-stream.sse'));
    expect(stream.doneItems.map((item) => item.type)).toEqual(['message']);
    expect(stream.response.output[1]).toMatchObject({ type: 'function_call', status: 'incomplete' });
  });
});
