import { describe, expect, it } from 'vitest';
import { normalizedError } from './error-kinds.js';
import { openaiErrorBody } from './render-error.js';

describe('OpenAI-shaped error bodies', () => {
  it("a context overflow carries OpenAI's own code, which clients branch on", () => {
    const err = normalizedError('invalid_request', 'prompt is too long: 215345 tokens > 200000 maximum');
    expect(openaiErrorBody(err)).toEqual({
      error: {
        message: 'prompt is too long: 215345 tokens > 200000 maximum',
        type: 'invalid_request_error',
        param: null,
        code: 'context_length_exceeded',
      },
    });
  });

  it("another invalid request has no code; the upstream's own code wins", () => {
    expect(openaiErrorBody(normalizedError('invalid_request', 'max_tokens: must be positive')).error.code).toBeNull();
    expect(
      openaiErrorBody({ ...normalizedError('invalid_request', 'too long'), upstreamCode: 'custom_code' }).error.code,
    ).toBe('custom_code');
  });
});
