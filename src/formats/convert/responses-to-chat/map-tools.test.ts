import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../openai-chat/types.js';
import type { ConvertOptions, ProviderQuirks } from '../types.js';
import { convertRequest } from './request.js';

const options = (quirks: ProviderQuirks = {}): ConvertOptions => ({ upstreamModel: 'up-model', quirks, now: 1 });
const convert = (body: object, quirks?: ProviderQuirks) => {
  const converted = convertRequest({ model: 'gpt-5-codex', input: 'hi', ...body }, options(quirks));
  return { ...converted, chat: converted.body as ChatRequest };
};

const execCommand = {
  type: 'function',
  name: 'exec_command',
  description: 'Runs a command.',
  strict: false,
  parameters: { type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'] },
};

describe('tools', () => {
  it('case 110: flat function tools → nested Chat function tools', () => {
    expect(convert({ tools: [execCommand] }).chat.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'exec_command',
          description: 'Runs a command.',
          parameters: { type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'] },
          strict: false,
        },
      },
    ]);
  });

  it('case 110: null or missing parameters → an empty object schema', () => {
    const { chat } = convert({
      tools: [
        { type: 'function', name: 'a', parameters: null },
        { type: 'function', name: 'b' },
      ],
    });
    expect(chat.tools?.map((tool) => tool.function.parameters)).toEqual([
      { type: 'object', properties: {} },
      { type: 'object', properties: {} },
    ]);
  });

  it('case 110: quirks.stripSchemaKeywords removes keywords at any depth, never property names', () => {
    const parameters = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      properties: {
        format: { type: 'string', format: 'date' }, // a property called "format" stays
        list: { type: 'array', items: { type: 'object', additionalProperties: false, properties: {} } },
      },
    };
    const { chat } = convert(
      { tools: [{ type: 'function', name: 'a', parameters }] },
      { stripSchemaKeywords: ['$schema', 'additionalProperties', 'format'] },
    );
    expect(chat.tools?.[0]?.function.parameters).toEqual({
      type: 'object',
      properties: {
        format: { type: 'string' },
        list: { type: 'array', items: { type: 'object', properties: {} } },
      },
    });
  });

  it('case 110: built-in tools (web_search, local_shell, file_search, image_generation) are dropped with warnings', () => {
    const tools = [
      { type: 'web_search', external_web_access: false },
      { type: 'local_shell' },
      { type: 'file_search', vector_store_ids: ['vs_1'] },
      { type: 'image_generation' },
      execCommand,
    ];
    const converted = convert({ tools });
    expect(converted.chat.tools?.map((tool) => tool.function.name)).toEqual(['exec_command']);
    expect(converted.warnings).toEqual([
      'dropped tool "web_search" (type web_search): the Chat upstream cannot run it',
      'dropped tool "local_shell" (type local_shell): the Chat upstream cannot run it',
      'dropped tool "file_search" (type file_search): the Chat upstream cannot run it',
      'dropped tool "image_generation" (type image_generation): the Chat upstream cannot run it',
    ]);
  });

  it('case 109: a custom tool with a lark grammar → a function with one required string `input`', () => {
    const applyPatch = {
      type: 'custom',
      name: 'apply_patch',
      description: 'Edit files.',
      format: { type: 'grammar', syntax: 'lark', definition: 'start: begin_patch hunk+ end_patch' },
    };
    const converted = convert({ tools: [applyPatch] });
    expect(converted.chat.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'apply_patch',
          description:
            'Edit files.\n\nPass the whole input as the `input` string argument. It must follow this lark grammar:\n' +
            'start: begin_patch hunk+ end_patch',
          parameters: {
            type: 'object',
            properties: { input: { type: 'string', description: "The tool's complete input text." } },
            required: ['input'],
            additionalProperties: false,
          },
        },
      },
    ]);
    expect(converted.context.toolNames).toEqual({ apply_patch: { name: 'apply_patch', kind: 'custom' } });
  });

  it('namespace tools are flattened to <namespace>__<name> and recorded for the way back', () => {
    const namespace = {
      type: 'namespace',
      name: 'multi_agent_v1',
      description: 'Sub-agents.',
      tools: [
        {
          type: 'function',
          name: 'spawn_agent',
          description: 'Spawn.',
          parameters: { type: 'object', properties: {} },
        },
        { type: 'custom', name: 'note' },
      ],
    };
    const converted = convert({ tools: [namespace] });
    expect(converted.chat.tools?.map((tool) => tool.function.name)).toEqual([
      'multi_agent_v1__spawn_agent',
      'multi_agent_v1__note',
    ]);
    expect(converted.context.toolNames).toEqual({
      multi_agent_v1__spawn_agent: { name: 'spawn_agent', kind: 'function', namespace: 'multi_agent_v1' },
      multi_agent_v1__note: { name: 'note', kind: 'custom', namespace: 'multi_agent_v1' },
    });
  });

  it('names Chat rejects (over 64 characters, other characters) are shortened reversibly', () => {
    const long = `mcp__${'very_long_server_name_'.repeat(3)}__read.file`;
    const converted = convert({ tools: [{ type: 'function', name: long }] });
    const upstream = converted.chat.tools?.[0]?.function.name ?? '';
    expect(upstream).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(converted.context.toolNames[upstream]).toEqual({ name: long, kind: 'function' });
  });
});

describe('tool_choice', () => {
  it.each([
    ['auto', 'auto'],
    ['none', 'none'],
    ['required', 'required'],
  ])('case 111: "%s" passes through', (choice, expected) => {
    expect(convert({ tools: [execCommand], tool_choice: choice }).chat.tool_choice).toBe(expected);
  });

  it('case 111: {type:"function",name} → {type:"function",function:{name}}', () => {
    const { chat } = convert({ tools: [execCommand], tool_choice: { type: 'function', name: 'exec_command' } });
    expect(chat.tool_choice).toEqual({ type: 'function', function: { name: 'exec_command' } });
  });

  it('case 111: a custom or namespaced tool is named by its upstream name', () => {
    const tools = [{ type: 'namespace', name: 'ns', tools: [{ type: 'custom', name: 'apply_patch' }] }];
    const { chat } = convert({ tools, tool_choice: { type: 'custom', name: 'apply_patch', namespace: 'ns' } });
    expect(chat.tool_choice).toEqual({ type: 'function', function: { name: 'ns__apply_patch' } });
  });

  it('case 111: naming a dropped tool relaxes to auto, with a warning', () => {
    const converted = convert({ tools: [execCommand, { type: 'web_search' }], tool_choice: { type: 'web_search' } });
    expect(converted.chat.tool_choice).toBe('auto');
    expect(converted.warnings).toContain('tool_choice web_search names a built-in tool: using auto');
    const byName = convert({ tools: [execCommand], tool_choice: { type: 'function', name: 'gone' } });
    expect(byName.chat.tool_choice).toBe('auto');
  });

  it('case 111: omitted when no tools are left', () => {
    const { chat } = convert({ tools: [{ type: 'web_search' }], tool_choice: 'required', parallel_tool_calls: true });
    expect(chat).not.toHaveProperty('tools');
    expect(chat).not.toHaveProperty('tool_choice');
    expect(chat).not.toHaveProperty('parallel_tool_calls');
  });
});
