import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anthropicToChat } from '../formats/convert/anthropic-to-chat/index.js';
import { responsesToChat } from '../formats/convert/responses-to-chat/index.js';
import type { Converter, ConvertOptions, ProviderQuirks, ToolsStage } from '../formats/convert/types.js';
import { convertRequestBody } from './convert-request.js';
import { RequestFacts } from './request-body.js';
import { ToolsMemo } from './tools-memo.js';

// Converted tools kept between requests (tools-memo.ts): a request must get exactly what
// converting it alone would give, whether its tools were kept, converted now, or refused.

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const captured = JSON.parse(readFileSync(`${FIXTURES}claude-code/claude-code-1-first-request.json`, 'utf8')) as {
  body: { tools: unknown[] } & Record<string, unknown>;
};
const BASE = captured.body;

const options = (quirks: ProviderQuirks = {}): ConvertOptions => ({
  upstreamModel: 'upstream-model',
  quirks,
  now: 1_764_000_000,
  signatureTag: 'swx-test-tag',
});
const LIFT = { minBody: 0, minBytes: 256 };
const WHOLE = { minBody: Number.POSITIVE_INFINITY, minBytes: 0 };

/** `base` (anthropicToChat by default), counting the tool sets its stage converts. */
function counting(base: Converter = anthropicToChat): { converter: Converter; prepared: () => number } {
  const stage = base.tools!;
  let calls = 0;
  const counted: ToolsStage = {
    liftable: stage.liftable,
    ...(stage.liftableTools === undefined ? {} : { liftableTools: stage.liftableTools }),
    prepare: (tools, quirks) => {
      calls++;
      return stage.prepare(tools, quirks);
    },
  };
  return { converter: { ...base, tools: counted }, prepared: () => calls };
}

const bodyOf = (request: object): Buffer => Buffer.from(JSON.stringify(request));
const sent = (body: Buffer): Record<string, unknown> => JSON.parse(body.toString('utf8')) as Record<string, unknown>;

/** The request converted whole (no lifting, no memo): what every other path must give. */
function whole(request: object, quirks?: ProviderQuirks) {
  return convertRequestBody(
    anthropicToChat,
    new RequestFacts(bodyOf(request)),
    options(quirks),
    new ToolsMemo(),
    WHOLE,
  );
}

describe('tools kept between requests', () => {
  it('a follow-up turn with the same tools is sent the kept conversion, as converting it whole gives', () => {
    const { converter, prepared } = counting();
    const memo = new ToolsMemo();
    const turns = [
      BASE,
      { ...BASE, messages: [...(BASE.messages as unknown[]), { role: 'assistant', content: 'Done.' }] },
      { ...BASE, tool_choice: { type: 'tool', name: 'Bash', disable_parallel_tool_use: true } },
      { ...BASE, tool_choice: { type: 'tool', name: 'NoSuchTool' } },
    ];
    for (const turn of turns) {
      const result = convertRequestBody(converter, new RequestFacts(bodyOf(turn)), options(), memo, LIFT);
      const expected = whole(turn);
      expect(sent(result.body)).toEqual(sent(expected.body));
      expect(result.converted.warnings).toEqual(expected.converted.warnings);
      expect(result.converted.context).toEqual(expected.converted.context);
    }
    expect(prepared()).toBe(1);
    expect(memo.hits).toBe(3);
    const last = sent(convertRequestBody(converter, new RequestFacts(bodyOf(turns[2]!)), options(), memo, LIFT).body);
    expect(last.tool_choice).toEqual({ type: 'function', function: { name: 'Bash' } });
    expect(last.parallel_tool_calls).toBe(false);
  });

  it('other tool bytes or other quirks are converted anew, never served another set', () => {
    const { converter, prepared } = counting();
    const memo = new ToolsMemo();
    const strict: ProviderQuirks = { stripSchemaKeywords: ['$schema', 'additionalProperties'] };
    const renamed = { ...BASE, tools: [{ ...(BASE.tools[0] as object), name: 'Bash2' }, ...BASE.tools.slice(1)] };
    const cases: Array<[object, ProviderQuirks]> = [
      [BASE, {}],
      [renamed, {}],
      [BASE, strict],
      [renamed, strict],
    ];
    for (const [request, quirks] of cases) {
      const result = convertRequestBody(converter, new RequestFacts(bodyOf(request)), options(quirks), memo, LIFT);
      expect(sent(result.body)).toEqual(sent(whole(request, quirks).body));
    }
    expect(prepared()).toBe(4);
    expect(memo.hits).toBe(0);
    expect(JSON.stringify(sent(whole(BASE, strict).body).tools)).not.toContain('additionalProperties');
  });

  it('keeps the most recently used sets, up to its limits', () => {
    const { converter, prepared } = counting();
    const memo = new ToolsMemo({ entries: 2 });
    const sets = [0, 1, 2].map((n) => ({ ...BASE, tools: BASE.tools.slice(n) }));
    const convert = (request: object) =>
      convertRequestBody(converter, new RequestFacts(bodyOf(request)), options(), memo, LIFT);
    for (const request of [sets[0]!, sets[1]!, sets[0]!, sets[2]!, sets[0]!]) convert(request);
    expect(prepared()).toBe(3); // sets[1] made way for sets[2]; sets[0], used last, stayed
    expect(memo.size).toBe(2);
    convert(sets[1]!);
    expect(prepared()).toBe(4);

    const tiny = new ToolsMemo({ bytes: 1000 });
    convertRequestBody(converter, new RequestFacts(bodyOf(BASE)), options(), tiny, LIFT);
    expect(tiny.size).toBe(0); // larger than all it may keep: converted, not kept
  });

  it('small tool lists are converted on every request, not kept', () => {
    const memo = new ToolsMemo();
    const request = { ...BASE, tools: [{ name: 'Tiny', input_schema: { type: 'object' } }] };
    const result = convertRequestBody(anthropicToChat, new RequestFacts(bodyOf(request)), options(), memo, LIFT);
    expect(sent(result.body).tools).toEqual(sent(whole(request).body).tools);
    expect(memo.size).toBe(0);
  });

  it('tools that cannot be converted give the whole path`s error, and nothing is kept', () => {
    const memo = new ToolsMemo();
    const bad = { ...BASE, tools: [...BASE.tools, { description: 'a tool with no name' }] };
    const convert = () => convertRequestBody(anthropicToChat, new RequestFacts(bodyOf(bad)), options(), memo, LIFT);
    expect(convert).toThrow(`tools[${BASE.tools.length}].name`);
    expect(() => whole(bad)).toThrow(`tools[${BASE.tools.length}].name`);
    expect(memo.size).toBe(0);
  });

  it('server tools only, or none: no tools upstream, tool_choice omitted with its warning', () => {
    const memo = new ToolsMemo({ minBytes: 0 });
    for (const tools of [[{ type: 'web_search_20250305', name: 'web_search' }], []]) {
      const request = { ...BASE, tools, tool_choice: { type: 'any' } };
      for (let turn = 0; turn < 2; turn++) {
        const result = convertRequestBody(anthropicToChat, new RequestFacts(bodyOf(request)), options(), memo, LIFT);
        const expected = whole(request);
        expect(sent(result.body)).toEqual(sent(expected.body));
        expect(sent(result.body).tools).toBeUndefined();
        expect(result.converted.warnings).toEqual(expected.converted.warnings);
      }
    }
    expect(memo.hits).toBe(2);
  });

  it('a body with two "tools" keys is converted whole: the last one counts, as JSON.parse has it', () => {
    const memo = new ToolsMemo();
    const text = JSON.stringify(BASE).replace(/^\{/, '{"tools":[{"name":"Shadowed","input_schema":{}}],');
    const result = convertRequestBody(anthropicToChat, new RequestFacts(Buffer.from(text)), options(), memo, LIFT);
    expect(result.lifted).toBe(0);
    expect(sent(result.body)).toEqual(sent(whole(BASE).body));
    expect(memo.size).toBe(0);
  });

  it('a body whose last "tools" key is not the lifted array is converted whole, as JSON.parse reads it', () => {
    const tail = (text: string, extra: string) => Buffer.from(text.replace(/\}$/, `,${extra}}`));
    const claude = JSON.stringify(BASE);
    const codex = JSON.stringify(
      (JSON.parse(readFileSync(`${FIXTURES}codex/codex-1-first-request.json`, 'utf8')) as { body: object }).body,
    );
    const other = '[{"name":"Other","input_schema":{"type":"object"}}]';
    const cases: Array<[Converter, Buffer]> = [
      [anthropicToChat, tail(claude, `"tool\\u0073":${other}`)], // an escaped key the walk does not match
      [anthropicToChat, tail(claude, '"tools":null')],
      [responsesToChat, tail(codex, '"tools":null')],
      [responsesToChat, tail(codex, '"tools":"x"')],
    ];
    for (const [converter, body] of cases) {
      const memo = new ToolsMemo();
      const convert = (m: ToolsMemo, limits: typeof LIFT) =>
        convertRequestBody(converter, new RequestFacts(body), options(), m, limits);
      let expected: ReturnType<typeof convert> | Error;
      try {
        expected = convert(new ToolsMemo(), WHOLE);
      } catch (error) {
        expected = error as Error;
      }
      if (expected instanceof Error) {
        expect(() => convert(memo, LIFT)).toThrow(expected.message);
        continue;
      }
      const result = convert(memo, LIFT);
      expect(result.lifted).toBe(0);
      expect(sent(result.body)).toEqual(sent(expected.body));
      expect(result.converted.context).toEqual(expected.converted.context);
      expect(memo.size).toBe(0);
    }
  });

  it('renamed tools keep their mapping back in every request`s context', () => {
    const memo = new ToolsMemo();
    const request = { ...BASE, tools: [...BASE.tools, { name: 'mcp.server/tool', input_schema: { type: 'object' } }] };
    for (let turn = 0; turn < 2; turn++) {
      const result = convertRequestBody(anthropicToChat, new RequestFacts(bodyOf(request)), options(), memo, LIFT);
      expect(result.converted.context.toolNames).toEqual(whole(request).converted.context.toolNames);
      expect(Object.values(result.converted.context.toolNames)).toEqual([{ name: 'mcp.server/tool' }]);
    }
    expect(memo.hits).toBe(1);
  });

  it('Codex: the follow-up request is sent the first one`s tools, namespaced names mapped back alike', () => {
    const { converter, prepared } = counting(responsesToChat);
    const memo = new ToolsMemo();
    const codex = (name: string) =>
      JSON.parse(readFileSync(`${FIXTURES}codex/${name}`, 'utf8')) as { body: Record<string, unknown> };
    const first = codex('codex-1-first-request.json').body;
    const turns = [
      first,
      codex('codex-2-function-call-output-followup.json').body,
      { ...first, tool_choice: { type: 'function', name: 'exec_command' } },
    ];
    for (const turn of turns) {
      const body = bodyOf(turn);
      const result = convertRequestBody(converter, new RequestFacts(body), options(), memo, LIFT);
      const expected = convertRequestBody(responsesToChat, new RequestFacts(body), options(), new ToolsMemo(), WHOLE);
      expect(sent(result.body)).toEqual(sent(expected.body));
      expect(result.converted.warnings).toEqual(expected.converted.warnings);
      expect(result.converted.context).toEqual(expected.converted.context);
    }
    expect(prepared()).toBe(1);
    expect(memo.hits).toBe(2);
  });

  it('what a converter copies from the tools keeps the client`s spelling, converted now or kept', () => {
    const long = 'y'.repeat(300);
    const schema = `{"type":"object","properties":{"n":{"type":"integer","maximum":1e400,"minimum":-9007199254740993,"description":"${long}"}}}`;
    const description = `Runs \\/ a command, caf\\u00e9. ${'x'.repeat(300)}`;
    const codexTools = `[{"type":"function","name":"exec","description":"${description}","parameters":${schema}}]`;
    const claudeTools = `[{"name":"exec","description":"${description}","input_schema":{"type":"object"}}]`;
    const body = (json: string, key: 'input' | 'messages') =>
      Buffer.from(`{"model":"m","stream":true,"${key}":[{"role":"user","content":"hi"}],"tools":${json}}`);
    const cases: Array<[Converter, Buffer, ProviderQuirks, string[]]> = [
      [responsesToChat, body(codexTools, 'input'), {}, [description, schema]],
      [anthropicToChat, body(claudeTools, 'messages'), {}, [description]],
      // a provider that strips schema keywords gets the schema parsed and cleaned, the description as written
      [responsesToChat, body(codexTools, 'input'), { stripSchemaKeywords: ['format'] }, [description]],
    ];
    for (const [converter, request, quirks, spelled] of cases) {
      const memo = new ToolsMemo({ minBytes: 0 });
      for (let turn = 0; turn < 2; turn++) {
        const result = convertRequestBody(converter, new RequestFacts(request), options(quirks), memo, LIFT);
        const text = result.body.toString('utf8');
        for (const bytes of spelled) expect(text).toContain(bytes);
      }
      expect(memo.hits).toBe(1);
    }
  });

  it('knows where kept tools end in a new body (the same bytes), and only for the very same bytes', () => {
    const memo = new ToolsMemo();
    const body = bodyOf(BASE);
    convertRequestBody(anthropicToChat, new RequestFacts(body), options(), memo, LIFT);
    const tools = Buffer.from(JSON.stringify(BASE.tools));
    const at = body.indexOf(tools);
    expect(at).toBeGreaterThan(0);
    expect(memo.endOfKept(body, at)).toBe(at + tools.length);
    const shifted = Buffer.concat([Buffer.from('{"pad":1,'), body.subarray(1)]);
    expect(memo.endOfKept(shifted, at + 8)).toBe(at + 8 + tools.length);
    const changed = Buffer.from(body);
    changed[at + tools.length - 3] = changed[at + tools.length - 3]! ^ 1; // one byte near the end differs
    expect(memo.endOfKept(changed, at)).toBeUndefined();
    expect(memo.endOfKept(body, at + 1)).toBeUndefined();
    expect(memo.endOfKept(body.subarray(0, at + tools.length - 1), at)).toBeUndefined(); // cut short
  });
});
