import { describe, expect, it } from 'vitest';
import { type NormalizedError, normalizedError } from '../../errors/error-kinds.js';
import { parseUpstreamError } from '../../errors/parse-upstream-error.js';
import { responsesError } from './map-error.js';

describe('case 99: errors after the stream started → response.error {code, message}', () => {
  it.each<[string, NormalizedError, { code: string; message: string }]>([
    [
      'OpenAI rate limit (keeps its "try again in" text)',
      parseUpstreamError(200, {
        error: { message: 'Rate limit reached. Please try again in 1.5s.', code: 'rate_limit_exceeded' },
      }),
      { code: 'rate_limit_exceeded', message: 'Rate limit reached. Please try again in 1.5s.' },
    ],
    [
      'a 429 saying "retry in 37s" gets Codex\'s phrase appended',
      parseUpstreamError(429, {
        error: { message: 'Quota exceeded. Please retry in 37s.', status: 'RESOURCE_EXHAUSTED' },
      }),
      { code: 'rate_limit_exceeded', message: 'Quota exceeded. Please retry in 37s. Please try again in 37s.' },
    ],
    [
      'a 429 without a delay',
      normalizedError('rate_limited', 'slow down'),
      { code: 'rate_limit_exceeded', message: 'slow down' },
    ],
    [
      'context_length_exceeded by code',
      parseUpstreamError(400, { error: { message: 'too long', code: 'context_length_exceeded' } }),
      { code: 'context_length_exceeded', message: 'too long' },
    ],
    [
      'context length by message (vLLM)',
      parseUpstreamError(400, { object: 'error', message: "This model's maximum context length is 32768 tokens." }),
      { code: 'context_length_exceeded', message: "This model's maximum context length is 32768 tokens." },
    ],
    [
      'insufficient_quota',
      parseUpstreamError(429, { error: { message: 'You exceeded your quota', type: 'insufficient_quota' } }),
      { code: 'insufficient_quota', message: 'You exceeded your quota' },
    ],
    ['billing (402)', normalizedError('billing', 'no credits'), { code: 'insufficient_quota', message: 'no credits' }],
    ['anything else', normalizedError('overloaded', 'Overloaded'), { code: 'server_error', message: 'Overloaded' }],
  ])('%s', (_name, error, expected) => {
    expect(responsesError(error)).toEqual(expected);
  });
});
