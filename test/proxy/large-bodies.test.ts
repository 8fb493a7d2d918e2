import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type MockUpstream, mockUpstream } from '../helpers/mock-upstream.js';
import { configWith, startTestProxy, type TestProxy } from '../helpers/proxy.js';

// Large bodies take another UTF-8 path than small ones (src/proxy/utf8.ts). A converted request
// and a converted answer of a few hundred kilobytes, with text beyond ASCII in every form
// (accents, box drawing, CJK, surrogate pairs), must arrive character for character, with a
// content-length that counts bytes.

const PIECE = 'const café = "naïve"; // │ ─ 漢字 😀 𝔘\n';
const LONG_TEXT = PIECE.repeat(8000); // ~350 KB of UTF-8
const ANSWER = `Done: ${PIECE.repeat(4000)}`;

let upstream: MockUpstream;
let proxy: TestProxy;

beforeAll(async () => {
  upstream = await mockUpstream((_req, res) =>
    json(res, 200, {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1764000000,
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: ANSWER }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 90000, completion_tokens: 40000, total_tokens: 130000 },
    }),
  );
  proxy = await startTestProxy(
    configWith({
      chat: { providerId: 'custom', apiKey: 'sk-up-123456', baseURL: `${upstream.url}/v1`, apiFormat: 'openai_chat' },
    }),
    { kind: 'profile', profile: 'chat' },
  );
});
afterAll(async () => {
  await proxy.close();
  await upstream.close();
});

describe('large converted bodies', () => {
  it('a 350 KB request and a 175 KB answer keep every character, with byte-exact content-lengths', async () => {
    const res = await fetch(`${proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        system: 'You are a coder.',
        messages: [{ role: 'user', content: [{ type: 'text', text: LONG_TEXT }] }],
      }),
    });
    const raw = Buffer.from(await res.arrayBuffer());
    expect(res.status, raw.toString('utf8').slice(0, 300)).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBe(raw.length);
    const message = JSON.parse(raw.toString('utf8')) as { content: Array<{ type: string; text: string }> };
    expect(message.content).toEqual([{ type: 'text', text: ANSWER }]);

    const sent = upstream.requests.at(-1)!;
    expect(Number(sent.headers['content-length'])).toBe(Buffer.byteLength(sent.body));
    const user = (sent.json as { messages: Array<{ role: string; content: unknown }> }).messages.at(-1)!;
    const text = typeof user.content === 'string' ? user.content : (user.content as Array<{ text: string }>)[0]!.text;
    expect(text).toBe(LONG_TEXT);
  });
});
