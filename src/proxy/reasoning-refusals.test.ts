import { describe, expect, it } from 'vitest';
import { ReasoningRefusals, reasoningRefusal, reasoningValue } from './reasoning-refusals.js';

describe('reasoningRefusal: what an upstream error says of the reasoning parameter', () => {
  it.each([
    // OpenAI, a model without reasoning
    "Unsupported parameter: 'reasoning_effort' is not supported with this model.",
    "Unsupported parameter: 'reasoning.effort' is not supported with this model.",
    // Ollama, a model without thinking; one that thinks only on or off
    '"qwen3-coder" does not support thinking',
    'registry.ollama.ai/library/gemma3n:e4b-it-q8_0 does not support thinking',
    'think value "high" is not supported for this model',
    'Thinking is not supported for this model.',
    // Anthropic, Claude Opus 4.7 and later under a name Swixter does not know as one (an alias)
    '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.',
  ])('400 "%s": the model refuses the parameter', (message) => {
    expect(reasoningRefusal(400, message)).toBe('model');
    expect(reasoningRefusal(422, message)).toBe('model');
  });

  it.each([
    // OpenAI, a value the model does not take (gpt-5.1 and later refuse "minimal")
    "Unsupported value: 'reasoning_effort' does not support 'minimal' with this model. Supported values are: 'none', 'low', 'medium', and 'high'.",
    "Function tools with reasoning_effort are not supported for gpt-5.2 in /v1/chat/completions. Please use /v1/responses instead, or set reasoning_effort to 'none'.",
    // Ollama, a value it does not take
    `invalid reasoning value: 'minimal' (must be "high", "medium", "low", or "none")`,
  ])('400 "%s": only this request\'s value is refused', (message) => {
    expect(reasoningRefusal(400, message)).toBe('request');
  });

  it.each([
    [400, 'The `reasoning_content` in the thinking mode must be passed back to the API.'],
    [400, 'Missing `reasoning_content` field in the assistant message at message index 2'],
    [400, 'max_tokens is too large: 100000. This model supports at most 32768 completion tokens'],
    [400, "Invalid value for 'tool_choice'"],
    [500, "Unsupported parameter: 'reasoning_effort' is not supported with this model."],
    [429, 'does not support thinking'],
    [null, 'does not support thinking'],
  ])('%s "%s" is not about it', (status, message) => {
    expect(reasoningRefusal(status, message)).toBeUndefined();
  });
});

describe('reasoningValue', () => {
  it('reads the parameter of the upstream format, as text', () => {
    expect(reasoningValue({ model: 'm', reasoning_effort: 'high' }, 'openai_chat')).toBe('high');
    expect(reasoningValue({ model: 'm', reasoning: { effort: 'high' } }, 'openai_chat')).toBe('{"effort":"high"}');
    expect(reasoningValue({ model: 'm', messages: [] }, 'openai_chat')).toBeUndefined();
    expect(reasoningValue({ thinking: { type: 'enabled', budget_tokens: 1024 } }, 'anthropic_messages')).toBe(
      '{"type":"enabled","budget_tokens":1024}',
    );
    expect(reasoningValue({ model: 'm', reasoning_effort: 'high' }, 'anthropic_messages')).toBeUndefined();
    expect(reasoningValue(undefined, 'openai_chat')).toBeUndefined();
  });
});

describe('ReasoningRefusals', () => {
  it('remembers refusals per profile and model, and forgets the oldest past its limit', () => {
    const refusals = new ReasoningRefusals();
    expect(refusals.has('p', 'gpt-4.1')).toBe(false);
    refusals.add('p', 'gpt-4.1');
    expect(refusals.has('p', 'gpt-4.1')).toBe(true);
    expect(refusals.has('q', 'gpt-4.1')).toBe(false);
    expect(refusals.has('p', 'gpt-5')).toBe(false);
    for (let i = 0; i < 1024; i++) refusals.add('p', `m${i}`);
    expect(refusals.has('p', 'gpt-4.1')).toBe(false);
    expect(refusals.has('p', 'm1023')).toBe(true);
    refusals.addValue('p', 'gpt-5', 'none');
    expect(refusals.hasValue('p', 'gpt-5', 'none')).toBe(true);
    expect(refusals.hasValue('p', 'gpt-5', 'high')).toBe(false);
    expect(refusals.has('p', 'gpt-5')).toBe(false);
    refusals.clear();
    expect(refusals.has('p', 'm1023')).toBe(false);
    expect(refusals.hasValue('p', 'gpt-5', 'none')).toBe(false);
  });
});
