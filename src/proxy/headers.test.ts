import { describe, expect, it } from 'vitest';
import { clientResponseHeaders, NamePrefixes, upstreamHeaders } from './headers.js';
import { ResponseHeaders } from './response-headers.js';

describe('NamePrefixes', () => {
  it('matches names that start with any prefix, and only at the start', () => {
    const p = new NamePrefixes(['x-stainless-', 'x-app', 'anthropic-']);
    expect(p.test('x-stainless-lang')).toBe(true);
    expect(p.test('x-app')).toBe(true);
    expect(p.test('x-application')).toBe(true); // a prefix, as startsWith would say
    expect(p.test('anthropic-beta')).toBe(true);
    expect(p.test('my-x-app')).toBe(false);
    expect(p.test('x-stainless')).toBe(false);
  });

  it('takes the prefixes literally (regular-expression characters are escaped)', () => {
    const p = new NamePrefixes(['a.b', 'c+', 'x[1]']);
    expect(p.test('a.b-1')).toBe(true);
    expect(p.test('axb')).toBe(false);
    expect(p.test('c+d')).toBe(true);
    expect(p.test('ccc')).toBe(false);
    expect(p.test('x[1]y')).toBe(true);
    expect(p.test('x1')).toBe(false);
  });
});

describe('upstreamHeaders with dropPrefixes', () => {
  it('drops the client SDK headers and keeps the others', () => {
    const out = upstreamHeaders(
      { 'x-stainless-lang': 'js', 'anthropic-beta': 'b', 'x-title': 'app', 'user-agent': 'ua', host: 'h' },
      {
        auth: { kind: 'replace', style: 'bearer', key: 'k' },
        inject: {},
        identityEncoding: false,
        dropPrefixes: new NamePrefixes(['x-stainless-', 'anthropic-']),
      },
    );
    expect(out).toEqual({ 'x-title': 'app', 'user-agent': 'ua', authorization: 'Bearer k' });
  });
});

describe('upstreamHeaders with injected headers', () => {
  const send = (client: Record<string, string>, inject: Record<string, string>) =>
    upstreamHeaders(client, {
      auth: { kind: 'replace', style: 'x-api-key', key: 'k' },
      inject,
      identityEncoding: false,
    });

  it("an injected anthropic-beta joins the client's betas (each once); other names replace", () => {
    const out = send(
      { 'anthropic-beta': 'context-1m-2025-08-07, interleaved-thinking-2025-05-14', 'x-title': 'client' },
      { 'Anthropic-Beta': 'interleaved-thinking-2025-05-14,extra-beta', 'X-Title': 'injected' },
    );
    expect(out['anthropic-beta']).toBe('context-1m-2025-08-07,interleaved-thinking-2025-05-14,extra-beta');
    expect(out['x-title']).toBe('injected');
  });

  it('without a client beta list the injected one is sent as it is', () => {
    expect(send({}, { 'anthropic-beta': 'extra-beta' })['anthropic-beta']).toBe('extra-beta');
  });
});

describe('clientResponseHeaders', () => {
  const raw = (pairs: [string, string][]) => pairs.flatMap(([n, v]) => [Buffer.from(n), Buffer.from(v)]);

  it('removes hop-by-hop headers and the ones Connection lists, keeps repeats on their own lines', () => {
    const headers = new ResponseHeaders(
      raw([
        ['Content-Type', 'application/json'],
        ['Connection', 'keep-alive, X-Hop'],
        ['Keep-Alive', 'timeout=5'],
        ['Transfer-Encoding', 'chunked'],
        ['X-Hop', '1'],
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
        ['Content-Length', '12'],
      ]),
    );
    expect(clientResponseHeaders(headers, false)).toEqual([
      'content-type',
      'application/json',
      'set-cookie',
      'a=1',
      'set-cookie',
      'b=2',
      'content-length',
      '12',
    ]);
  });

  it('drops the body framing when the body is re-sent in another form', () => {
    const headers = new ResponseHeaders(
      raw([
        ['Content-Length', '12'],
        ['Content-Encoding', 'gzip'],
        ['X-Request-Id', 'r'],
      ]),
    );
    expect(clientResponseHeaders(headers, true)).toEqual(['x-request-id', 'r']);
  });
});
