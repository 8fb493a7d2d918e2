import { describe, expect, it } from 'vitest';
import { assembleMessage, checkAnthropicStream, eventTrace } from './test-support/anthropic-stream-grammar.js';
import { readFixture, replayBytes } from './test-support/replay.js';
import { toUpstreamToolId } from './tool-ids.js';

/** Byte piece sizes: every byte alone (splits UTF-8 and every SSE line), odd sizes, one TCP-ish read, all at once. */
const PIECES = [1, 3, 7, 64, 1 << 20];

/** Replays a recording at every piece size; the output must be grammatical and identical whatever the split. */
function replay(name: string) {
  const bytes = readFixture(name);
  const runs = PIECES.map((size) => replayBytes(bytes, size));
  const [first, ...others] = runs;
  if (!first) throw new Error('no run');
  for (const run of runs) expect(checkAnthropicStream(run.frames), `${name}`).toEqual([]);
  const shape = (r: typeof first) => ({
    trace: eventTrace(r.frames),
    message: { ...assembleMessage(r.frames), id: '' },
  });
  for (const other of others) expect(shape(other)).toEqual(shape(first));
  expect(first.converter.malformedChunks).toBe(0);
  return { ...first, trace: eventTrace(first.frames), message: assembleMessage(first.frames) };
}

describe('recorded upstream streams, byte-split through SseDecoder', () => {
  it('openai-text.sse (case 59, 73): text with multi-byte UTF-8, usage chunk with cached tokens', () => {
    const { message, trace, converter } = replay('openai-text.sse');
    expect(trace).toEqual([
      'message_start',
      'start:0:text',
      'delta:0:text_delta',
      'delta:0:text_delta',
      'delta:0:text_delta',
      'delta:0:text_delta',
      'stop:0',
      'message_delta:end_turn',
      'message_stop',
    ]);
    expect(message.content).toEqual([{ type: 'text', text: 'Hello wörld 🌍 — 你好!' }]);
    expect(message.usage).toEqual({
      input_tokens: 176,
      output_tokens: 9,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 1024,
    });
    expect(converter.finished).toBe(true);
  });

  it('openai-parallel-tools.sse (case 65): two calls in fragments, each streamed, usage chunk with choices:[]', () => {
    const { message, trace } = replay('openai-parallel-tools.sse');
    expect(trace).toEqual([
      'message_start',
      'start:0:tool_use',
      'delta:0:input_json_delta',
      'delta:0:input_json_delta',
      'delta:0:input_json_delta',
      'stop:0',
      'start:1:tool_use',
      'delta:1:input_json_delta',
      'delta:1:input_json_delta',
      'delta:1:input_json_delta',
      'stop:1',
      'message_delta:tool_use',
      'message_stop',
    ]);
    expect(message.content).toEqual([
      { type: 'tool_use', id: 'call_Xa1bC2dE3fG4hI5jK6lM7nO8', name: 'add', input: { a: 2, b: 3 } },
      { type: 'tool_use', id: 'call_Pq9rS8tU7vW6xY5zA4bC3dE2', name: 'multiply', input: { a: 4, b: 5 } },
    ]);
    expect(message.usage).toMatchObject({ input_tokens: 106, output_tokens: 50 });
  });

  it('groq-one-chunk-tool.sse (cases 67, 74): whole call in one chunk; usage on the finish chunk and repeated', () => {
    const { message, trace } = replay('groq-one-chunk-tool.sse');
    expect(trace).toEqual([
      'message_start',
      'start:0:tool_use',
      'delta:0:input_json_delta',
      'stop:0',
      'message_delta:tool_use',
      'message_stop',
    ]);
    expect(message.content).toEqual([
      { type: 'tool_use', id: 'call_7mnb', name: 'Read', input: { file_path: '/home/dev/work/README.md', limit: 200 } },
    ]);
    expect(message.usage).toMatchObject({ input_tokens: 812, output_tokens: 27 });
  });

  it('deepseek-reasoning.sse (cases 62, 64, 54): reasoning_content → thinking, then text, then a tool call', () => {
    const { message, trace } = replay('deepseek-reasoning.sse');
    expect(trace.filter((t) => t.startsWith('start') || t.startsWith('stop'))).toEqual([
      'start:0:thinking',
      'stop:0',
      'start:1:text',
      'stop:1',
      'start:2:tool_use',
      'stop:2',
    ]);
    expect(message.content).toEqual([
      { type: 'thinking', thinking: "The user wants the file listed. I'll call Bash.", signature: '' },
      { type: 'text', text: "I'll list the files." },
      { type: 'tool_use', id: 'call_00_Rb3kLm9Qx2Vt7Wz', name: 'Bash', input: { command: 'ls -la' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toEqual({
      input_tokens: 128,
      output_tokens: 64,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 1920,
    });
  });

  it('openrouter-reasoning-details.sse (cases 60, 62, 63, 75, 82): comments, repeated role, signature, finish twice', () => {
    const { message, trace } = replay('openrouter-reasoning-details.sse');
    expect(trace).toEqual([
      'message_start',
      'start:0:thinking',
      'delta:0:thinking_delta',
      'delta:0:thinking_delta',
      'delta:0:signature_delta',
      'stop:0',
      'start:1:text',
      'delta:1:text_delta',
      'delta:1:text_delta',
      'stop:1',
      'message_delta:end_turn',
      'message_stop',
    ]);
    expect(message.content).toEqual([
      {
        type: 'thinking',
        thinking: 'Let me work out 17 × 23.',
        signature:
          'EqQBCkgIBxABGAIqQJ3xk0aZ7Rt5Vn2Lm8Qw4Pz1Hc6Yb9Ks3Df7Gj0Xe2Tu5Ri8Ow1Ma4Nb7Vc0Zx3Sy6Lk9Jh2Gf5Dd8EgwzS1q2W3e4R5t6Y7u8',
      },
      { type: 'text', text: '17 × 23 = 391.' },
    ]);
    expect(message.usage).toEqual({
      input_tokens: 500,
      output_tokens: 120,
      cache_creation_input_tokens: 3000,
      cache_read_input_tokens: 0,
    });
  });

  it('ollama-reasoning.sse (cases 62, 86): reasoning field, finish "stop" after a tool call → tool_use', () => {
    const { message } = replay('ollama-reasoning.sse');
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Okay, the user wants the weather in Paris.', signature: '' },
      { type: 'tool_use', id: 'call_k3j2h1g0', name: 'get_weather', input: { city: 'Paris' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({ input_tokens: 301, output_tokens: 58 });
  });

  it('llamacpp-tool.sse (case 40): 32-char ids without call_ pass verbatim; usage beside timings', () => {
    const { message } = replay('llamacpp-tool.sse');
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Need weather for Tokyo.', signature: '' },
      { type: 'tool_use', id: 'x2Ftq7Lk9PbVw3Nm8RcJ4hYs6DgZa1Ue', name: 'get_weather', input: { location: 'Tokyo' } },
    ]);
    expect(message.usage).toMatchObject({ input_tokens: 157, output_tokens: 31 });
  });

  it('kimi-ids.sse (cases 40, 67): functions.add:0 ids become valid Anthropic ids that decode back', () => {
    const { message } = replay('kimi-ids.sse');
    const ids = message.content.map((block) => String(block.id));
    for (const id of ids) expect(id).toMatch(/^toolu_swx_[a-zA-Z0-9_-]+$/);
    expect(ids.map((id) => toUpstreamToolId(id))).toEqual(['functions.add:0', 'functions.multiply:1']);
    expect(message.content.map((b) => [b.name, b.input])).toEqual([
      ['add', { a: 2, b: 3 }],
      ['multiply', { a: 4, b: 5 }],
    ]);
    expect(message.usage).toMatchObject({ input_tokens: 240, output_tokens: 38 });
  });

  it('think-tags.sse (case 84): <think> split across chunks → thinking block, then text', () => {
    const { message, trace } = replay('think-tags.sse');
    expect(trace.filter((t) => t.startsWith('start'))).toEqual(['start:0:thinking', 'start:1:text']);
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'The user asks 2+2. Easy.', signature: '' },
      { type: 'text', text: '2 + 2 = 4.' },
    ]);
  });

  it('cut-mid-stream.sse (case 78): no finish, no [DONE] → open block closed, then error; not finished', () => {
    const { trace, converter } = replay('cut-mid-stream.sse');
    expect(trace).toEqual([
      'message_start',
      'start:0:text',
      'delta:0:text_delta',
      'delta:0:text_delta',
      'stop:0',
      'start:1:tool_use',
      'delta:1:input_json_delta',
      'stop:1',
      'error:api_error',
    ]);
    expect(converter.finished).toBe(false);
    expect(converter.sawContent).toBe(true);
    expect(converter.upstreamError).toBeUndefined();
  });

  it('error-chunk.sse (case 79): mid-stream {"error":…} → error event with the mapped type', () => {
    const { trace, message, converter } = replay('error-chunk.sse');
    expect(trace).toEqual([
      'message_start',
      'start:0:text',
      'delta:0:text_delta',
      'delta:0:text_delta',
      'stop:0',
      'error:rate_limit_error',
    ]);
    expect(message.error).toEqual({ type: 'rate_limit_error', message: 'Rate limit exceeded: free-models-per-min' });
    expect(converter.upstreamError).toMatchObject({ kind: 'rate_limited', status: 429 });
    expect(converter.finished).toBe(false);
  });
});
