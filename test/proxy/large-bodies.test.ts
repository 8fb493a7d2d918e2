import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_PRESETS } from '../../src/config/presets.js';
import { anthropicToChat } from '../../src/formats/convert/anthropic-to-chat/index.js';
import { responsesToChat } from '../../src/formats/convert/responses-to-chat/index.js';
import type { Converter } from '../../src/formats/convert/types.js';
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

// Requests over 16 KB reach converters with their long texts lifted out (formats/json-lift.ts)
// and are sent with the client's bytes spliced back: what the upstream receives must be what
// converting the whole parsed request gives.
describe('real coder requests, converted with their long texts lifted', () => {
  const fixture = (path: string) =>
    (
      JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url)), 'utf8')) as {
        body: Record<string, unknown>;
      }
    ).body;
  const quirks = BUILTIN_PRESETS.find((p) => p.id === 'custom')!.quirks;
  const expected = (converter: Converter, body: Record<string, unknown>) =>
    converter.request(body, { upstreamModel: String(body.model), quirks, now: 0 }).body;

  const cases: Array<[string, string, Converter]> = [
    ['claude-code/claude-code-2-tool-result-followup.json', '/v1/messages', anthropicToChat],
    ['codex/codex-2-function-call-output-followup.json', '/v1/responses', responsesToChat],
  ];
  for (const [path, endpoint, converter] of cases) {
    it(`${path} reaches the Chat upstream as converted whole`, async () => {
      const body = { ...fixture(path), stream: false };
      const res = await fetch(`${proxy.url}${endpoint}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify(body),
      });
      expect(res.status, (await res.text()).slice(0, 300)).toBe(200);
      const sent = upstream.requests.at(-1)!;
      expect(Number(sent.headers['content-length'])).toBe(Buffer.byteLength(sent.body));
      expect(sent.json).toEqual(expected(converter, body));
    });
  }

  it('the long texts travel as the client escaped them (the lifted path was taken)', async () => {
    // `\/` and `\u00e9` are escapes JSON.stringify never writes: only a copy of the client's bytes keeps them
    const text = `see https:\\/\\/example.com caf\\u00e9 ${'x'.repeat(20_000)}`;
    const raw = `{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"${text}"}]}`;
    const res = await fetch(`${proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: raw,
    });
    expect(res.status).toBe(200);
    const sent = upstream.requests.at(-1)!;
    expect(sent.body).toContain('see https:\\/\\/example.com caf\\u00e9 xxx');
    const user = (sent.json as { messages: Array<{ content: string }> }).messages.at(-1)!;
    expect(user.content).toBe(`see https://example.com café ${'x'.repeat(20_000)}`);
  });
});
