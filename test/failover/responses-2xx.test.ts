import { afterEach, describe, expect, it } from 'vitest';
import { json, type MockUpstream, mockUpstream } from '../helpers/mock-upstream.js';
import { configWith, startTestProxy, type TestProxy } from '../helpers/proxy.js';

// With more profiles to fall back on, a 2xx whose body holds an error object is a failure. A
// Responses answer always carries `"error": null`; that must not count as one.

let proxy: TestProxy;
const mocks: MockUpstream[] = [];
afterEach(async () => {
  await proxy?.close();
  for (const m of mocks.splice(0)) await m.close();
});

const response = (from: string, error: object | null) => ({
  id: `resp_${from}`,
  object: 'response',
  status: error ? 'failed' : 'completed',
  error,
  output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `from ${from}` }] }],
  usage: { input_tokens: 3, output_tokens: 2, total_tokens: 5 },
});

async function group(aError: object | null, aBody?: { type: string; text: string }) {
  const a = await mockUpstream((_req, res) => {
    if (aBody === undefined) return json(res, 200, response('A', aError));
    res.writeHead(200, { 'content-type': aBody.type });
    res.end(aBody.text);
  });
  const b = await mockUpstream((_req, res) => json(res, 200, response('B', null)));
  mocks.push(a, b);
  proxy = await startTestProxy(
    configWith(
      {
        a: { providerId: 'openai', apiKey: 'k-aaaaaaaaaa', baseURL: `${a.url}/v1`, apiFormat: 'openai_responses' },
        b: { providerId: 'openai', apiKey: 'k-bbbbbbbbbb', baseURL: `${b.url}/v1`, apiFormat: 'openai_responses' },
      },
      { groups: { g: { id: 'g', name: 'pair', profiles: ['a', 'b'] } } },
    ),
    { kind: 'group', group: 'pair' },
  );
  const res = await fetch(`${proxy.url}/v1/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer client' },
    body: JSON.stringify({ model: 'gpt-x', input: 'hi' }),
  });
  return { status: res.status, body: (await res.json()) as { id: string }, a, b };
}

describe('a Responses answer in a group (failover possible)', () => {
  it('"error": null is a good answer: served by the first profile', async () => {
    const { status, body, b } = await group(null);
    expect(status).toBe(200);
    expect(body.id).toBe('resp_A');
    expect(b.requests).toHaveLength(0);
  });

  it('an error object inside the 200 moves on to the next profile', async () => {
    const { status, body } = await group({ code: 'server_error', message: 'boom' });
    expect(status).toBe(200);
    expect(body.id).toBe('resp_B');
  });

  it.each([
    ['an empty body', { type: 'application/json', text: '' }],
    [
      'an HTML page (a CDN in front of the provider)',
      { type: 'text/html', text: '<html><body>Just a moment…</body></html>' },
    ],
  ])('a 200 with %s is no API answer: the next profile answers', async (_name, body) => {
    const { status, body: answer, a } = await group(null, body);
    expect(a.requests).toHaveLength(1);
    expect(status).toBe(200);
    expect(answer.id).toBe('resp_B');
  });
});
