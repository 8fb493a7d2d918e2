import { describe, expect, it } from 'vitest';
import { ConversionError } from '../types.js';
import {
  checkUnsupportedFields,
  DEFAULT_MAX_TOKENS,
  DEFAULT_MAX_TOKENS_CEILING,
  mapOutputBudget,
  mapResponseFormat,
  mapSampling,
  mapStop,
  sanitizeUserId,
} from './map-params.js';

describe('mapOutputBudget', () => {
  it('case 136: max_completion_tokens wins over max_tokens; absent → default', () => {
    expect(mapOutputBudget(900, 500, undefined, undefined)).toEqual({
      max_tokens: 900,
      thinking: undefined,
      warnings: [],
    });
    expect(mapOutputBudget(undefined, 500, undefined, undefined).max_tokens).toBe(500);
    expect(mapOutputBudget(null, null, undefined, undefined).max_tokens).toBe(DEFAULT_MAX_TOKENS);
  });

  it('clamps to the cap, with a warning only when the client asked for more', () => {
    expect(mapOutputBudget(undefined, 32000, undefined, 8192)).toEqual({
      max_tokens: 8192,
      thinking: undefined,
      warnings: ['max_tokens 32000 was clamped to 8192'],
    });
    expect(mapOutputBudget(undefined, undefined, undefined, 1000)).toEqual({
      max_tokens: 1000,
      thinking: undefined,
      warnings: [],
    });
  });

  it.each([
    ['low', 1024],
    ['minimal', 1024],
    ['medium', 4096],
    ['high', 16384],
  ])(
    'reasoning_effort %s → thinking budget %i; default max_tokens grows by the budget, to 32,000 at most',
    (effort, budget) => {
      expect(mapOutputBudget(undefined, undefined, effort, undefined)).toEqual({
        max_tokens: Math.min(DEFAULT_MAX_TOKENS + budget, DEFAULT_MAX_TOKENS_CEILING),
        thinking: { type: 'enabled', budget_tokens: budget },
        warnings: [],
      });
    },
  );

  it('the budget always stays below max_tokens; omitted (with a warning) when 1024 cannot fit', () => {
    expect(mapOutputBudget(undefined, 10000, 'high', undefined).thinking).toEqual({
      type: 'enabled',
      budget_tokens: 9999,
    });
    expect(mapOutputBudget(undefined, 1025, 'low', undefined).thinking).toEqual({
      type: 'enabled',
      budget_tokens: 1024,
    });
    expect(mapOutputBudget(undefined, 1024, 'low', undefined)).toEqual({
      max_tokens: 1024,
      thinking: undefined,
      warnings: [
        `reasoning_effort "low" was dropped: max_tokens 1024 leaves no room for Anthropic's minimum thinking budget (1024)`,
      ],
    });
    // a profile cap below the default: half of it stays for the answer
    expect(mapOutputBudget(undefined, undefined, 'high', 8000).thinking).toEqual({
      type: 'enabled',
      budget_tokens: 4000,
    });
  });

  it("the default never exceeds Opus 4.1's 32,000 output tokens, and keeps 8,192 of them for the answer", () => {
    expect(DEFAULT_MAX_TOKENS_CEILING).toBe(32_000);
    expect(mapOutputBudget(undefined, undefined, 'xhigh', undefined)).toEqual({
      max_tokens: 32_000,
      thinking: { type: 'enabled', budget_tokens: 32_000 - 8192 },
      warnings: [],
    });
    // a limit the client chose is shared out as it asked
    expect(mapOutputBudget(40_000, undefined, 'xhigh', undefined).thinking).toEqual({
      type: 'enabled',
      budget_tokens: 32_768,
    });
  });

  it('none / unknown effort → no thinking (unknown warns)', () => {
    expect(mapOutputBudget(undefined, undefined, 'none', undefined).thinking).toBeUndefined();
    expect(mapOutputBudget(undefined, undefined, 'turbo', undefined)).toEqual({
      max_tokens: DEFAULT_MAX_TOKENS,
      thinking: undefined,
      warnings: ['reasoning_effort "turbo" is not recognised and was ignored'],
    });
  });

  it.each([0, -1, 1.5, '100'])('rejects max_tokens %j', (value) => {
    expect(() => mapOutputBudget(undefined, value, undefined, undefined)).toThrow(
      'max_tokens must be a positive integer',
    );
  });
});

describe('mapSampling', () => {
  it('case 136: temperature clamped to 0–1; top_p and top_k copied', () => {
    expect(mapSampling({ temperature: 1.7, top_k: 40 }, false)).toEqual({
      temperature: 1,
      top_k: 40,
      warnings: ['temperature 1.7 was clamped to 1'],
    });
    expect(mapSampling({ top_p: 0.9, top_k: 40 }, false)).toEqual({ top_p: 0.9, top_k: 40, warnings: [] });
    expect(mapSampling({ temperature: 0.2 }, false)).toEqual({ temperature: 0.2, warnings: [] });
    expect(mapSampling({ temperature: null }, false)).toEqual({ warnings: [] });
  });

  it('temperature and top_p together: top_p is dropped (Claude 4.5 models refuse the pair)', () => {
    expect(mapSampling({ temperature: 0.7, top_p: 1 }, false)).toEqual({
      temperature: 0.7,
      warnings: ['top_p dropped: Claude models take temperature or top_p, not both'],
    });
  });

  it('with thinking, temperature/top_p/top_k are dropped (Anthropic rejects them)', () => {
    expect(mapSampling({ temperature: 0.5, top_p: 0.9 }, true)).toEqual({
      warnings: ['temperature, top_p dropped: Anthropic does not accept them with thinking'],
    });
    expect(mapSampling({}, true)).toEqual({ warnings: [] });
  });

  it('rejects a non-number', () => {
    expect(() => mapSampling({ top_p: 'high' }, false)).toThrow('top_p must be a number');
  });
});

describe('mapStop', () => {
  it.each([
    ['END', ['END']],
    [
      ['a', 'b'],
      ['a', 'b'],
    ],
    [[], undefined],
    [null, undefined],
  ])('case 136: stop %j → stop_sequences %j', (stop, expected) => {
    expect(mapStop(stop).stop_sequences).toEqual(expected);
  });

  it('whitespace-only sequences are dropped with a warning', () => {
    expect(mapStop(['\n', 'END'])).toEqual({
      stop_sequences: ['END'],
      warnings: ['whitespace-only stop sequences were dropped (Anthropic rejects them)'],
    });
  });
});

describe('sanitizeUserId', () => {
  it('case 136: user → ^[a-zA-Z0-9_-]+$, at most 64 chars, distinct users stay distinct', () => {
    expect(sanitizeUserId('user-42_ok')).toBe('user-42_ok');
    expect(sanitizeUserId('alice@example.com')).toBe('alice_example_com');
    const long = '{"device_id":"f1e96fd8795f56d8479fea16859691cb16cf011213f58306aac904e331789b5e","session_id":"900c"}';
    const a = sanitizeUserId(long);
    const b = sanitizeUserId(long.replace('900c', '900d'));
    expect(a).toMatch(/^[a-zA-Z0-9_-]{64}$/);
    expect(b).toMatch(/^[a-zA-Z0-9_-]{64}$/);
    expect(a).not.toBe(b);
    expect(sanitizeUserId('')).toBeUndefined();
  });
});

describe('mapResponseFormat', () => {
  it('a JSON schema becomes output_config.format; text is the default; json_object has no equivalent', () => {
    const schema = {
      type: 'object',
      properties: { ok: { type: 'boolean' } },
      required: ['ok'],
      additionalProperties: false,
    };
    expect(mapResponseFormat({ type: 'json_schema', json_schema: { name: 'out', schema, strict: true } })).toEqual({
      format: { type: 'json_schema', schema },
      warnings: [],
    });
    expect(mapResponseFormat({ type: 'text' })).toEqual({ format: undefined, warnings: [] });
    expect(mapResponseFormat(undefined)).toEqual({ format: undefined, warnings: [] });
    expect(mapResponseFormat({ type: 'json_object' }).warnings).toEqual([
      'response_format "json_object" has no Anthropic equivalent and was not forwarded',
    ]);
    expect(mapResponseFormat({ type: 'json_schema', json_schema: { name: 'x' } }).format).toBeUndefined();
  });
});

describe('checkUnsupportedFields', () => {
  it('names OpenAI-only fields that are not forwarded; bookkeeping and unset values are silent', () => {
    expect(
      checkUnsupportedFields({
        model: 'm',
        messages: [],
        response_format: { type: 'json_object' },
        seed: 7,
        logprobs: false,
        presence_penalty: 0.5,
        store: true,
        metadata: { a: 'b' },
        frequency_penalty: null,
      }),
    ).toEqual([
      'seed is not supported by Anthropic upstreams and was not forwarded',
      'presence_penalty is not supported by Anthropic upstreams and was not forwarded',
    ]);
  });

  it('n > 1 and legacy functions are ConversionErrors', () => {
    expect(() => checkUnsupportedFields({ n: 2 })).toThrow(ConversionError);
    expect(() => checkUnsupportedFields({ n: 2 })).toThrow('n must be 1');
    expect(checkUnsupportedFields({ n: 1 })).toEqual([]);
    expect(() => checkUnsupportedFields({ functions: [] })).toThrow('legacy functions/function_call');
  });
});
