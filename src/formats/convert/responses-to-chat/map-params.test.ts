import { describe, expect, it } from 'vitest';
import type { ConvertOptions, ProviderQuirks } from '../types.js';
import { mapParams } from './map-params.js';

const options = (quirks: ProviderQuirks = {}, maxTokensCap?: number): ConvertOptions => ({
  upstreamModel: 'up',
  maxTokensCap,
  quirks,
  now: 1,
});
const params = (body: Record<string, unknown>, quirks?: ProviderQuirks, cap?: number) => {
  const warnings: string[] = [];
  return { params: mapParams(body, options(quirks, cap), warnings), warnings };
};

describe('case 112: parameters', () => {
  it('max_output_tokens → max_tokens, clamped to maxTokensCap', () => {
    expect(params({ max_output_tokens: 32000 }, {}, 8192).params).toEqual({ max_tokens: 8192 });
    expect(params({ max_output_tokens: 1000 }, {}, 8192).params).toEqual({ max_tokens: 1000 });
    expect(params({ max_output_tokens: 1000 }).params).toEqual({ max_tokens: 1000 });
    expect(params({ max_output_tokens: null }).params).toEqual({});
  });

  it('no max_output_tokens (Codex sends none): the configured ceiling is asked for, else nothing', () => {
    // DeepSeek stops at 4K output unless asked for more (its preset's ceiling is 8192)
    expect(params({}, {}, 8192).params).toEqual({ max_tokens: 8192 });
    expect(params({}, { maxTokensField: 'max_completion_tokens' }, 8192).params).toEqual({
      max_completion_tokens: 8192,
    });
    expect(params({}).params).toEqual({});
  });

  it('max_output_tokens → max_completion_tokens for OpenAI (case 35), clamped the same way', () => {
    expect(params({ max_output_tokens: 32000 }, { maxTokensField: 'max_completion_tokens' }, 8192).params).toEqual({
      max_completion_tokens: 8192,
    });
  });

  it('a json_schema text format stays behind, with a warning, for a provider that takes no schema (DeepSeek)', () => {
    const text = { format: { type: 'json_schema', name: 'r', schema: { type: 'object' } } };
    const { params: p, warnings } = params({ text }, { jsonSchemaFormat: false });
    expect(p).not.toHaveProperty('response_format');
    expect(warnings.join('\n')).toMatch(/json_schema/);
    expect(params({ text }).params).toHaveProperty('response_format.type', 'json_schema');
  });

  it('temperature and top_p are copied', () => {
    expect(params({ temperature: 0.2, top_p: 0.9 }).params).toEqual({ temperature: 0.2, top_p: 0.9 });
  });

  it.each([
    ['openai', 'minimal', { reasoning_effort: 'minimal' }],
    ['openai', 'high', { reasoning_effort: 'high' }],
    ['openai', 'xhigh', { reasoning_effort: 'high' }],
    ['openai', 'none', { reasoning_effort: 'none' }],
    ['deepseek', 'minimal', { reasoning_effort: 'low' }],
    ['deepseek', 'low', { reasoning_effort: 'low' }],
    ['deepseek', 'medium', { reasoning_effort: 'high' }],
    ['deepseek', 'none', {}],
    ['openrouter', 'medium', { reasoning: { effort: 'medium' } }],
    ['openrouter', 'xhigh', { reasoning: { effort: 'xhigh' } }], // OpenRouter takes the whole scale
    ['openrouter', 'none', { reasoning: { effort: 'none' } }], // reasoning off, not "minimal"
    ['openrouter', 'max', { reasoning: { effort: 'xhigh' } }],
    ['none', 'high', {}],
  ] as const)('reasoning.effort for quirks.reasoning %s: %s → %j', (style, effort, expected) => {
    expect(params({ reasoning: { effort, summary: 'auto' } }, { reasoning: style }).params).toEqual(expected);
  });

  it('omitReasoning (the upstream refused the knob for this model): reasoning.effort is not forwarded', () => {
    const warnings: string[] = [];
    const out = mapParams(
      { reasoning: { effort: 'high' } },
      { ...options({ reasoning: 'openai' }), omitReasoning: true },
      warnings,
    );
    expect(out).toEqual({});
    expect(warnings).toEqual([]);
  });

  it('reasoning.effort is not forwarded when the provider reasoning style is unknown', () => {
    expect(params({ reasoning: { effort: 'high' } })).toEqual({
      params: {},
      warnings: ['reasoning.effort not forwarded: the provider has no reasoning setting configured'],
    });
  });

  it('reasoning.summary alone (Codex default) sends nothing', () => {
    expect(params({ reasoning: { summary: 'auto' } }, { reasoning: 'openai' }).params).toEqual({});
  });

  it('text.format json_schema → response_format; json_object passes; text and verbosity send nothing', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(params({ text: { format: { type: 'json_schema', name: 'out', schema, strict: true } } }).params).toEqual({
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema, strict: true } },
    });
    expect(params({ text: { format: { type: 'json_object' } } }).params).toEqual({
      response_format: { type: 'json_object' },
    });
    expect(params({ text: { format: { type: 'text' }, verbosity: 'low' } }).params).toEqual({});
  });

  it('stream:true → stream_options.include_usage unless quirks.streamUsage is false', () => {
    expect(params({ stream: true }).params).toEqual({ stream: true, stream_options: { include_usage: true } });
    expect(params({ stream: true }, { streamUsage: false }).params).toEqual({ stream: true });
    expect(params({ stream: false }).params).toEqual({});
  });
});
