import { describe, expect, it } from 'vitest';
import type { ApiFormat } from '../api-format.js';
import { findConverter, supportedPairs } from './registry.js';

/** A small request in each client format a converter takes. */
const REQUESTS: Partial<Record<ApiFormat, Record<string, unknown>>> = {
  anthropic_messages: { model: 'm', max_tokens: 16, stream: true, messages: [{ role: 'user', content: 'hi' }] },
  openai_chat: { model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] },
  openai_responses: { model: 'm', stream: true, input: 'hi' },
};

describe('stream converters keep their methods and getters on a shared prototype', () => {
  // An object literal with getters (or methods closing over the stream) gets a hidden class of
  // its own in V8, held in the old generation: it kept each stream's state alive through every
  // young collection until a full one (docs/performance.md, "Session 16").
  it.each(supportedPairs())('%s → %s', (client, upstream) => {
    const converter = findConverter(client, upstream)!;
    const request = REQUESTS[client];
    if (request === undefined) throw new Error(`no sample request for ${client} clients`);
    const { context } = converter.request(request, { upstreamModel: 'm', quirks: {}, now: 1 });
    const [first, second] = [converter.stream(context), converter.stream(context)];
    expect(Object.getPrototypeOf(first)).toBe(Object.getPrototypeOf(second));
    expect(Object.getPrototypeOf(first)).not.toBe(Object.prototype);
    for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(first))) {
      expect({ name, accessor: descriptor.get !== undefined || descriptor.set !== undefined }).toEqual({
        name,
        accessor: false,
      });
      expect({ name, type: typeof descriptor.value }).not.toEqual({ name, type: 'function' });
    }
    expect(typeof first.push).toBe('function');
    expect(first.sawContent).toBe(false);
  });
});
