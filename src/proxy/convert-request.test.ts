import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anthropicToChat } from '../formats/convert/anthropic-to-chat/index.js';
import { chatToAnthropic } from '../formats/convert/chat-to-anthropic/index.js';
import { responsesToAnthropic } from '../formats/convert/responses-to-anthropic/index.js';
import { responsesToChat } from '../formats/convert/responses-to-chat/index.js';
import type { Converter, ConvertOptions, ProviderQuirks } from '../formats/convert/types.js';
import { type ConvertedBody, convertRequestBody } from './convert-request.js';
import { RequestFacts } from './request-body.js';
import { ToolsMemo } from './tools-memo.js';

// The lifted path (formats/json-lift.ts) must convert every request exactly as the whole-body
// path does: same upstream JSON, same warnings, same context, same errors. Compared here on the
// real Claude Code and Codex captures and on requests built to hit every rule and its limits,
// with strings lifted from 1 byte up (the proxy lifts from 256).

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const capture = (path: string): Buffer =>
  Buffer.from(JSON.stringify((JSON.parse(readFileSync(`${FIXTURES}${path}`, 'utf8')) as { body: unknown }).body));

const options = (quirks: ProviderQuirks): ConvertOptions => ({
  upstreamModel: 'upstream-model',
  quirks,
  now: 1_764_000_000,
  signatureTag: 'swx-test-tag',
});

const WHOLE = { minBody: Number.POSITIVE_INFINITY, minBytes: 0 };

/** Converts `body` both ways and checks they agree; returns the lifted result. */
function agree(converter: Converter, body: Buffer, quirks: ProviderQuirks, minBytes: number): ConvertedBody {
  const whole = convertRequestBody(converter, new RequestFacts(body), options(quirks), new ToolsMemo(), WHOLE);
  expect(whole.lifted).toBe(0);
  // twice with one memo: the second request is sent the tools the first one's conversion kept
  const memo = new ToolsMemo({ minBytes: 0 });
  const lift = () =>
    convertRequestBody(converter, new RequestFacts(body), options(quirks), memo, { minBody: 0, minBytes });
  const [lifted, again] = [lift(), lift()];
  for (const result of [lifted, again]) {
    expect(JSON.parse(result.body.toString('utf8'))).toEqual(JSON.parse(whole.body.toString('utf8')));
    expect(result.converted.warnings).toEqual(whole.converted.warnings);
    expect(result.converted.context).toEqual(whole.converted.context);
    expect(result.converted.path).toBe(whole.converted.path);
  }
  expect(again.body).toEqual(lifted.body);
  return lifted;
}

const long = (text: string): string => `${text} ${'lorem ipsum dolor sit amet '.repeat(12)}end.`;
const STRICT: ProviderQuirks = { stripSchemaKeywords: ['$schema', 'format', 'propertyNames'] };

const ANTHROPIC_QUIRKS: ProviderQuirks[] = [{}, STRICT, { reasoning: 'deepseek', forwardUser: true }];
const RESPONSES_QUIRKS: ProviderQuirks[] = [{}, STRICT, { reasoning: 'deepseek', fileParts: true }];
const SIZES = [1, 64, 256];

describe('Anthropic → Chat: lifted and whole conversions agree', () => {
  for (const name of ['claude-code-1-first-request.json', 'claude-code-2-tool-result-followup.json']) {
    it(`${name}, every quirk set, strings lifted from 1, 64 and 256 bytes`, () => {
      const body = capture(`claude-code/${name}`);
      for (const quirks of ANTHROPIC_QUIRKS) {
        for (const size of SIZES) expect(agree(anthropicToChat, body, quirks, size).lifted).toBeGreaterThan(0);
      }
    });
  }

  const request = {
    model: 'claude-sonnet-4-5',
    max_tokens: 100,
    stream: true,
    metadata: { user_id: long('user') },
    system: [
      { type: 'text', text: long('x-anthropic-billing-header: cc_version=2.1; cch=1;') },
      { type: 'text', text: ' \n\t'.repeat(100) },
      { type: 'text', text: long('You are Claude Code.') },
    ],
    messages: [
      { role: 'user', content: long('a plain string turn') },
      { role: 'system', content: '\n'.repeat(300) },
      { role: 'system', content: [{ type: 'text', text: long('    a mid-conversation system text') }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: long('thinking'), signature: long('sig') },
          { type: 'text', text: long('assistant "text"\n') },
          { type: 'tool_use', id: 'toolu_1', name: 'Write', input: { content: long('file "body"\n\\') } },
          { type: 'tool_use', id: 'toolu_2', name: 'Read', input: long('{"poisoned": "history"}') },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: long('     1\tresult line') },
          {
            type: 'tool_result',
            tool_use_id: 'toolu_2',
            is_error: true,
            content: [
              { type: 'text', text: long('error é 漢字 😀') },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR'.repeat(100) } },
            ],
          },
          {
            type: 'document',
            title: long('notes'),
            source: { type: 'base64', media_type: 'text/plain', data: Buffer.from(long('doc')).toString('base64') },
          },
          { type: 'text', text: long('after the results') },
          {
            type: 'tool_result',
            tool_use_id: 'toolu_3',
            // a block with no string type: the warning names it, never quotes its (lifted) text
            content: [{ type: 0, pad: 'p'.repeat(20), text: long('Hello world.') }],
          },
        ],
      },
    ],
    tools: [
      {
        name: 'Write',
        description: long('Writes a file.'),
        input_schema: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          type: 'object',
          properties: { content: { type: 'string', format: 'text', description: long('The content.') } },
        },
      },
      { name: 'Read', description: long('Reads a file.'), input_schema: { type: 'object', properties: {} } },
    ],
  };

  it('a request with every liftable path and every exception to it', () => {
    const body = Buffer.from(JSON.stringify(request));
    for (const quirks of ANTHROPIC_QUIRKS) for (const size of SIZES) agree(anthropicToChat, body, quirks, size);
    // system 1 (not the billing header, not the blank one), message texts 7 (not the blank
    // system message), the tools whole (converted apart: tools-memo.ts); never thinking, tool_use input, image or document data
    expect(agree(anthropicToChat, body, {}, 64).lifted).toBe(9);
  });

  it('the same request pretty-printed (whitespace between tokens)', () => {
    const body = Buffer.from(JSON.stringify(request, null, 2));
    expect(agree(anthropicToChat, body, {}, 64).lifted).toBe(9);
  });

  it('an error names the client text, as converted whole', () => {
    const bad = {
      ...request,
      messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'url', url: long('https://x/') } }] }],
    };
    const body = Buffer.from(JSON.stringify(bad));
    const whole = () =>
      convertRequestBody(anthropicToChat, new RequestFacts(body), options({}), new ToolsMemo(), WHOLE);
    const lifted = () =>
      convertRequestBody(anthropicToChat, new RequestFacts(body), options({}), new ToolsMemo(), {
        minBody: 0,
        minBytes: 1,
      });
    expect(whole).toThrow(/document block by URL/);
    expect(lifted).toThrow(/document block by URL/);
  });

  it('a body that is not valid UTF-8 is converted whole (its bad bytes replaced, not copied)', () => {
    const text = Buffer.from(JSON.stringify({ ...request, system: long('bad \u0001 byte') }));
    text[text.indexOf('\\u0001')] = 0xff; // a lone 0xFF inside the system text
    const lifted = agree(anthropicToChat, text, {}, 1);
    expect(lifted.lifted).toBe(0);
    expect(lifted.body.includes(Buffer.from('\ufffd'))).toBe(true);
  });
});

const schema = {
  type: 'object',
  properties: { cmd: { type: 'string', format: 'shell', description: long('The command.') } },
  required: ['cmd'],
};
const responsesRequest = {
  model: 'gpt-5-codex',
  stream: true,
  instructions: long('You are Codex.'),
  input: [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: long('developer') }] },
    {
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: long('user') },
        { type: 'input_image', image_url: `data:image/png;base64,${'A'.repeat(400)}` },
      ],
    },
    {
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: long('summary') }],
      content: [{ type: 'reasoning_text', text: long('reasoning') }],
    },
    { type: 'function_call', call_id: 'c1', name: 'exec', arguments: JSON.stringify({ cmd: long('ls "a b"') }) },
    { type: 'function_call_output', call_id: 'c1', output: long('total 0\n') },
    { type: 'custom_tool_call', call_id: 'c2', name: 'apply_patch', input: long('*** Begin Patch\n') },
    {
      type: 'custom_tool_call_output',
      call_id: 'c2',
      output: [
        { type: 'input_text', text: long('patched') },
        { type: 'input_image', image_url: `data:image/png;base64,${'B'.repeat(400)}` },
      ],
    },
    { type: 'function_call', call_id: 'c3', name: 'inner', namespace: 'ns', arguments: long('{}') },
    { type: 'function_call_output', call_id: 'c3', output: { content: long('an object output') } },
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: long('answer') }] },
  ],
  tools: [
    { type: 'function', name: 'exec', description: long('Runs a command.'), parameters: schema },
    {
      type: 'custom',
      name: 'apply_patch',
      description: long('Applies a patch.'),
      format: { type: 'grammar', syntax: 'lark', definition: long('start: begin_patch') },
    },
    {
      type: 'namespace',
      name: 'ns',
      description: long('A namespace.'),
      tools: [{ type: 'function', name: 'inner', description: long('Inner.'), parameters: schema }],
    },
    { type: 'web_search' },
  ],
  tool_choice: 'auto',
};

describe('Responses → Chat: lifted and whole conversions agree', () => {
  const request = responsesRequest;

  for (const name of ['codex-1-first-request.json', 'codex-2-function-call-output-followup.json']) {
    it(`${name}, every quirk set, strings lifted from 1, 64 and 256 bytes`, () => {
      const body = capture(`codex/${name}`);
      for (const quirks of RESPONSES_QUIRKS) {
        for (const size of SIZES) expect(agree(responsesToChat, body, quirks, size).lifted).toBeGreaterThan(0);
      }
    });
  }

  it('a request with every liftable path and every exception to it', () => {
    const body = Buffer.from(JSON.stringify(request));
    for (const quirks of RESPONSES_QUIRKS) for (const size of SIZES) agree(responsesToChat, body, quirks, size);
  });

  it('the tools are lifted whole and converted apart (tools-memo.ts)', () => {
    const body = Buffer.from(JSON.stringify(request));
    // input: 11 strings, as below; the tools array as one value, with or without stripped keywords
    expect(agree(responsesToChat, body, {}, 64).lifted).toBe(12);
    expect(agree(responsesToChat, body, STRICT, 64).lifted).toBe(12);
  });

  it('without the tools stage, tool parameters are lifted whole only when no schema keyword is stripped', () => {
    const body = Buffer.from(JSON.stringify(request));
    const converter: Converter = { ...responsesToChat, tools: undefined };
    const plain = agree(converter, body, {}, 64);
    const strict = agree(converter, body, STRICT, 64);
    // input: 11 strings (instructions, texts, images, arguments, string outputs; not a custom
    // call's input, not an object output's content); tools: 4 descriptions, 2 parameter objects
    expect(plain.lifted).toBe(17);
    expect(strict.lifted).toBe(15);
    const sent = JSON.parse(strict.body.toString()) as { tools: Array<{ function: { parameters: unknown } }> };
    expect(JSON.stringify(sent.tools[0]!.function.parameters)).not.toContain('format');
  });

  it('a string `input` (not a list of items) is lifted too', () => {
    const body = Buffer.from(JSON.stringify({ ...request, input: long('just a prompt') }));
    expect(agree(responsesToChat, body, {}, 64).lifted).toBeGreaterThan(0);
  });
});

describe('the lifted path gives way to the whole one', () => {
  const body = Buffer.from(
    JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 10,
      messages: [{ role: 'user', content: long('a user text') }],
    }),
  );
  const tagOf = (text: string) => /swx[0-9a-f]{12}/.exec(text)?.[0];

  it('when a converter serialises a lifted string into another JSON text', () => {
    const echoing: Converter = {
      ...anthropicToChat,
      request: (json, o) => {
        const converted = anthropicToChat.request(json, o);
        return { ...converted, body: { ...converted.body, user: JSON.stringify(json) } };
      },
    };
    const result = convertRequestBody(echoing, new RequestFacts(body), options({}), new ToolsMemo(), {
      minBody: 0,
      minBytes: 1,
    });
    expect(result.lifted).toBe(0);
    const sent = JSON.parse(result.body.toString()) as { user: string };
    expect(JSON.parse(sent.user)).toEqual(JSON.parse(body.toString()));
  });

  it('when a warning quotes a lifted string', () => {
    const quoting: Converter = {
      ...anthropicToChat,
      request: (json, o) => {
        const converted = anthropicToChat.request(json, o);
        const text = (json as { messages: Array<{ content: string }> }).messages[0]!.content;
        return { ...converted, warnings: [`saw ${text}`] };
      },
    };
    const result = convertRequestBody(quoting, new RequestFacts(body), options({}), new ToolsMemo(), {
      minBody: 0,
      minBytes: 1,
    });
    expect(result.lifted).toBe(0);
    expect(result.converted.warnings).toEqual([`saw ${long('a user text')}`]);
    expect(tagOf(result.converted.warnings[0]!)).toBeUndefined();
  });

  it('for bodies under the size limit, and for converters without a rule', () => {
    expect(
      convertRequestBody(anthropicToChat, new RequestFacts(body), options({}), new ToolsMemo(), {
        minBody: 1e6,
        minBytes: 1,
      }).lifted,
    ).toBe(0);
    const ruleless: Converter = { ...anthropicToChat, liftable: undefined, tools: undefined };
    expect(
      convertRequestBody(ruleless, new RequestFacts(body), options({}), new ToolsMemo(), { minBody: 0, minBytes: 1 })
        .lifted,
    ).toBe(0);
  });
});

describe('Chat → Anthropic: lifted and whole conversions agree', () => {
  const request = {
    model: 'gpt-4o',
    max_tokens: 100,
    user: long('user'),
    messages: [
      { role: 'system', content: long('You are helpful.') },
      { role: 'user', content: `${long('a question, then a newline')}\n` },
      {
        role: 'user',
        content: [
          { type: 'text', text: long('a text part') },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${'A'.repeat(400)}` } },
        ],
      },
      {
        role: 'assistant',
        content: long('calling a tool'),
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'exec', arguments: JSON.stringify({ cmd: long('ls') }) },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: long('total 0') },
      { role: 'developer', content: [{ type: 'text', text: long('mid developer text') }] },
      { role: 'user', content: ' '.repeat(300) },
      { role: 'assistant', content: `${long('a prefill that ends in blanks')}  \n\t` },
    ],
    tools: [
      {
        type: 'function',
        function: { name: 'exec', description: long('Runs.'), parameters: { properties: { cmd: { type: 'string' } } } },
      },
    ],
  };
  const ENDINGS = ['  \n\t', '\u3000', '\u00a0', ' ', 'visible', '\\', '"', '\u0041', '\\n'];

  it('a request with every liftable path, and final assistant texts with every kind of ending', () => {
    for (const ending of ENDINGS) {
      const messages = [
        ...request.messages.slice(0, -1),
        { role: 'assistant', content: `${long('a prefill')}${ending}` },
      ];
      const body = Buffer.from(JSON.stringify({ ...request, messages }));
      for (const size of SIZES) agree(chatToAnthropic, body, {}, size);
    }
  });

  it('lifts texts, a final text only when it certainly ends visibly', () => {
    const withEnding = (ending: string) =>
      Buffer.from(
        JSON.stringify({
          ...request,
          messages: [...request.messages.slice(0, -1), { role: 'assistant', content: `${long('x')}${ending}` }],
        }),
      );
    // system, the text part (not the user text ending in \n, not the blank one), assistant text,
    // tool result, developer text: 5; the tool description: 1; never arguments or the image
    expect(agree(chatToAnthropic, withEnding(' '), {}, 64).lifted).toBe(6);
    expect(agree(chatToAnthropic, withEnding('visible'), {}, 64).lifted).toBe(7);
  });
});

describe('Responses → Anthropic: lifted and whole conversions agree', () => {
  for (const name of ['codex-1-first-request.json', 'codex-2-function-call-output-followup.json']) {
    it(`${name}, strings lifted from 1, 64 and 256 bytes`, () => {
      const body = capture(`codex/${name}`);
      for (const size of SIZES) expect(agree(responsesToAnthropic, body, {}, size).lifted).toBeGreaterThan(0);
    });
  }

  it('a request with every Responses path: images, arguments and schemas are never lifted', () => {
    // arguments that parse: Chat → Anthropic turns them into `input`
    const input = responsesRequest.input.map((item) =>
      item.type === 'function_call' ? { ...item, arguments: JSON.stringify({ a: long('x') }) } : item,
    );
    const body = Buffer.from(JSON.stringify({ ...responsesRequest, input }));
    for (const quirks of [{}, STRICT]) for (const size of SIZES) agree(responsesToAnthropic, body, quirks, size);
    // 17 for Responses → Chat, less 2 images, 2 arguments and 2 parameter objects
    expect(agree(responsesToAnthropic, body, {}, 64).lifted).toBe(11);
  });

  it('tool outputs ending in blanks are lifted (they never become the trimmed assistant text); messages are not', () => {
    const blankEnded = responsesRequest.input.map((item) =>
      item.type === 'function_call'
        ? { ...item, arguments: '{}' }
        : item.type === 'function_call_output' && typeof item.output === 'string'
          ? { ...item, output: `${item.output}\n` }
          : item.type === 'message'
            ? { ...item, content: [{ type: 'input_text', text: `${long('a message')}\n` }] }
            : item,
    );
    const body = Buffer.from(JSON.stringify({ ...responsesRequest, instructions: undefined, input: blankEnded }));
    for (const size of SIZES) agree(responsesToAnthropic, body, {}, size);
    // the string output, the array output's text (not its image), the reasoning text (it ends
    // visibly), 4 tool descriptions; no message text
    expect(agree(responsesToAnthropic, body, {}, 64).lifted).toBe(7);
  });
});
