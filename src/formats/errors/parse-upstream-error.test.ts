import { describe, expect, it } from 'vitest';
import { parseUpstreamError } from './parse-upstream-error.js';

describe('parseUpstreamError: the upstream code a client can branch on', () => {
  it('keeps a named code and the type', () => {
    expect(
      parseUpstreamError(429, { error: { message: 'm', type: 'insufficient_quota', code: 'insufficient_quota' } }),
    ).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      upstreamType: 'insufficient_quota',
      upstreamCode: 'insufficient_quota',
    });
  });

  it.each([
    ['a numeric string (Zhipu "1302")', '1302'],
    ['a number', 429],
    ['text with spaces', 'rate limit'],
  ])('drops %s: it names nothing to a client, which gets its own code from the status', (_name, code) => {
    expect(parseUpstreamError(429, { error: { message: 'm', code } }).upstreamCode).toBeUndefined();
  });
});
