import { describe, expect, it } from 'vitest';
import type { AnthropicMessage } from '../../anthropic/types.js';
import type { ProviderQuirks } from '../types.js';
import { ConversionError } from '../types.js';
import { mapMessages } from './map-messages.js';

const map = (messages: AnthropicMessage[], quirks: ProviderQuirks = {}) => mapMessages(messages, quirks).messages;
const png = { type: 'base64' as const, media_type: 'image/png', data: 'iVBORw0KGgo=' };
const pdf = { type: 'base64' as const, media_type: 'application/pdf', data: 'JVBERi0xLjQ=' };
const toolUse = (id: string, name = 'Read', input: Record<string, unknown> = { path: 'a' }) =>
  ({ type: 'tool_use', id, name, input }) as const;

describe('Anthropic messages → Chat messages (§5.1)', () => {
  it('case 5: user string stays a string', () => {
    expect(map([{ role: 'user', content: 'hi' }])).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('case 6: a single text block collapses to a string; text-only blocks join into one string', () => {
    expect(map([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }])).toEqual([{ role: 'user', content: 'hi' }]);
    expect(
      map([
        {
          role: 'user',
          content: [
            { type: 'text', text: '<system-reminder>x</system-reminder>' },
            { type: 'text', text: 'go' },
          ],
        },
      ]),
    ).toEqual([{ role: 'user', content: '<system-reminder>x</system-reminder>\ngo' }]);
  });

  it('case 7: text + base64 image → parts in order', () => {
    expect(
      map([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look' },
            { type: 'image', source: png },
          ],
        },
      ]),
    ).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
    ]);
  });

  it('case 8: image by URL', () => {
    expect(
      map([{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://x/a.png' } }] }]),
    ).toEqual([{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/a.png' } }] }]);
  });

  it('case 9: PDF → file part where accepted', () => {
    expect(map([{ role: 'user', content: [{ type: 'document', source: pdf }] }], { fileParts: true })).toEqual([
      {
        role: 'user',
        content: [
          { type: 'file', file: { filename: 'document.pdf', file_data: 'data:application/pdf;base64,JVBERi0xLjQ=' } },
        ],
      },
    ]);
  });

  it('case 9: PDF where file parts are not accepted → ConversionError naming the block, never dropped', () => {
    const messages: AnthropicMessage[] = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'x' },
          { type: 'document', source: pdf },
        ],
      },
    ];
    expect(() => map(messages)).toThrow(ConversionError);
    expect(() => map(messages)).toThrow('messages[0].content[1]: document block (application/pdf)');
    const byUrl: AnthropicMessage[] = [
      { role: 'user', content: [{ type: 'document', source: { type: 'url', url: 'https://x/a.pdf' } }] },
    ];
    expect(() => map(byUrl, { fileParts: true })).toThrow(/messages\[0\]\.content\[0\]: document block by URL/);
  });

  it('case 9: text documents become text', () => {
    expect(
      map([
        {
          role: 'user',
          content: [
            { type: 'document', title: 'notes.txt', source: { type: 'text', media_type: 'text/plain', data: 'hello' } },
          ],
        },
      ]),
    ).toEqual([{ role: 'user', content: 'notes.txt\n\nhello' }]);
  });

  it('case 10: assistant text + tool_use → content + tool_calls', () => {
    expect(map([{ role: 'assistant', content: [{ type: 'text', text: 'Let me look' }, toolUse('toolu_1')] }])).toEqual([
      {
        role: 'assistant',
        content: 'Let me look',
        tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'Read', arguments: '{"path":"a"}' } }],
      },
    ]);
  });

  it('case 11: assistant tool_use only → content null', () => {
    expect(map([{ role: 'assistant', content: [toolUse('toolu_1')] }])[0]).toMatchObject({
      role: 'assistant',
      content: null,
    });
  });

  it('case 12: empty input → arguments "{}"', () => {
    expect(map([{ role: 'assistant', content: [toolUse('toolu_1', 'ls', {})] }])[0]).toMatchObject({
      tool_calls: [{ function: { arguments: '{}' } }],
    });
  });

  it('case 13: thinking dropped for generic targets; replayed as reasoning_content for DeepSeek; redacted always dropped', () => {
    const content = [
      { type: 'thinking' as const, thinking: 'plan', signature: 'sig' },
      { type: 'redacted_thinking' as const, data: 'opaque' },
      toolUse('toolu_1'),
    ];
    expect(map([{ role: 'assistant', content }])[0]).not.toHaveProperty('reasoning_content');
    const deepseek = map([{ role: 'assistant', content }], { reasoning: 'deepseek' })[0];
    expect(deepseek).toMatchObject({ role: 'assistant', content: null, reasoning_content: 'plan' });
    expect(JSON.stringify(deepseek)).not.toContain('opaque');
    // Kimi's thinking models refuse a tool-call turn without it: the moonshot preset's quirk
    const kimi = map([{ role: 'assistant', content }], { reasoning: 'none', replayReasoning: true })[0];
    expect(kimi).toMatchObject({ role: 'assistant', content: null, reasoning_content: 'plan' });
  });

  it('case 14: single tool_result → tool message', () => {
    expect(map([{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] }])).toEqual([
      { role: 'tool', tool_call_id: 'toolu_1', content: 'ok' },
    ]);
  });

  it('case 15: parallel tool_results + trailing text → tool messages first, in order, right after the assistant', () => {
    expect(
      map([
        { role: 'assistant', content: [toolUse('t1'), toolUse('t2')] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'before' },
            { type: 'tool_result', tool_use_id: 't1', content: 'one' },
            { type: 'tool_result', tool_use_id: 't2', content: 'two' },
            { type: 'text', text: 'continue' },
          ],
        },
      ]).map((m) => m.role),
    ).toEqual(['assistant', 'tool', 'tool', 'user']);
  });

  it('case 16: tool_result text-block array → one string', () => {
    expect(
      map([
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't1',
              content: [
                { type: 'text', text: 'a' },
                { type: 'text', text: 'b' },
              ],
            },
          ],
        },
      ]),
    ).toEqual([{ role: 'tool', tool_call_id: 't1', content: 'a\nb' }]);
  });

  it('case 17: an image in a tool result → tool text (or "[image]") plus a following user message with the image', () => {
    const image = { type: 'image' as const, source: png };
    expect(
      map([
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't1', content: [image] },
            { type: 'text', text: 'and?' },
          ],
        },
      ]),
    ).toEqual([
      { role: 'tool', tool_call_id: 't1', content: '[image]' },
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'text', text: 'and?' },
        ],
      },
    ]);
    expect(
      map([
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'see' }, image] }],
        },
      ])[0],
    ).toEqual({ role: 'tool', tool_call_id: 't1', content: 'see' });
  });

  it('case 18: is_error → "Error: " prefix', () => {
    expect(
      map([{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ENOENT', is_error: true }] }]),
    ).toEqual([{ role: 'tool', tool_call_id: 't1', content: 'Error: ENOENT' }]);
  });

  it('case 19: tool_result without content → content "" (never dropped)', () => {
    expect(map([{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1' }] }])).toEqual([
      { role: 'tool', tool_call_id: 't1', content: '' },
    ]);
  });

  it('case 20: consecutive same-role messages merge, order kept', () => {
    expect(
      map([
        { role: 'user', content: 'a' },
        { role: 'user', content: [{ type: 'image', source: png }] },
        { role: 'assistant', content: 'x' },
        { role: 'assistant', content: [toolUse('t1')] },
      ]),
    ).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
      {
        role: 'assistant',
        content: 'x',
        tool_calls: [{ id: 't1', type: 'function', function: { name: 'Read', arguments: '{"path":"a"}' } }],
      },
    ]);
  });

  it('case 20: a user turn split by a tool_result turn still puts the tool message first', () => {
    expect(
      map([
        { role: 'assistant', content: [toolUse('t1')] },
        { role: 'user', content: 'note' },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }] },
      ]).map((m) => m.role),
    ).toEqual(['assistant', 'tool', 'user']);
  });

  it('case 21: empty text parts dropped; a message left empty is dropped and its neighbours merge', () => {
    expect(
      map([
        {
          role: 'user',
          content: [
            { type: 'text', text: '' },
            { type: 'text', text: 'hi' },
          ],
        },
        { role: 'assistant', content: [{ type: 'text', text: '' }] },
        { role: 'user', content: 'again' },
      ]),
    ).toEqual([{ role: 'user', content: 'hi\nagain' }]);
  });

  it('case 39: a trailing assistant message (prefill) is forwarded as the last message', () => {
    expect(
      map([
        { role: 'user', content: 'Give JSON' },
        { role: 'assistant', content: '{' },
      ]).at(-1),
    ).toEqual({ role: 'assistant', content: '{' });
  });

  it('case 40: toolu_ ids pass verbatim; ids encoded on the way down are decoded back to the provider id', () => {
    const encoded = 'toolu_swx_ZnVuY3Rpb25zLmFkZDow'; // functions.add:0
    expect(
      map([
        { role: 'assistant', content: [toolUse('toolu_01abc'), toolUse(encoded, 'add')] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_01abc', content: 'a' },
            { type: 'tool_result', tool_use_id: encoded, content: '5' },
          ],
        },
      ]),
    ).toMatchObject([
      { tool_calls: [{ id: 'toolu_01abc' }, { id: 'functions.add:0' }] },
      { role: 'tool', tool_call_id: 'toolu_01abc' },
      { role: 'tool', tool_call_id: 'functions.add:0' },
    ]);
  });

  it('case 25: long tool names in history use the same shortened name as the tool definition', () => {
    const long = `mcp__server__${'y'.repeat(60)}`;
    const [message] = map([{ role: 'assistant', content: [toolUse('t1', long)] }]);
    expect(message).toMatchObject({
      tool_calls: [{ function: { name: expect.stringMatching(/^mcp__server__y+_[0-9a-f]{8}$/) } }],
    });
  });

  it('unknown block types are dropped with a warning naming them', () => {
    const result = mapMessages(
      [
        {
          role: 'assistant',
          content: [
            { type: 'server_tool_use', id: 's', name: 'web_search', input: {} } as never,
            { type: 'text', text: 'ok' },
          ],
        },
      ],
      {},
    );
    expect(result.messages).toEqual([{ role: 'assistant', content: 'ok' }]);
    expect(result.warnings).toEqual(['messages[0].content[0]: unsupported block type "server_tool_use" dropped']);
  });
});
