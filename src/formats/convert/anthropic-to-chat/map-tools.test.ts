import { describe, expect, it } from 'vitest';
import type { AnthropicTool } from '../../anthropic/types.js';
import { mapTools } from './map-tools.js';

const read: AnthropicTool = {
  name: 'Read',
  description: 'Read a file',
  input_schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: { path: { type: 'string', format: 'uri' } },
    required: ['path'],
    additionalProperties: false,
  },
};
const webSearch: AnthropicTool = { type: 'web_search_20250305', name: 'web_search' };

describe('mapTools (§5.1)', () => {
  it('case 22: {name, description, input_schema} → function tool, $schema and listed keywords removed', () => {
    expect(mapTools([read], undefined, { stripSchemaKeywords: ['format'] }).tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'Read',
          description: 'Read a file',
          parameters: {
            type: 'object',
            properties: { path: { type: 'string' } },
            required: ['path'],
            additionalProperties: false,
          },
        },
      },
    ]);
  });

  it('case 22: Anthropic-only keys never reach parameters', () => {
    const custom = {
      type: 'custom',
      name: 'f',
      input_schema: { type: 'object', properties: {} },
      cache_control: { type: 'ephemeral' as const },
      defer_loading: true,
      input_examples: [{}],
    } as AnthropicTool;
    expect(mapTools([custom], undefined, {}).tools).toEqual([
      { type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } },
    ]);
  });

  it('case 23: a tool without input_schema gets an empty object schema', () => {
    expect(mapTools([{ name: 'ping' }], undefined, {}).tools?.[0]?.function.parameters).toEqual({
      type: 'object',
      properties: {},
    });
  });

  it('case 24: server tools are dropped with a warning and a tool_choice naming them is relaxed to auto', () => {
    const mapped = mapTools(
      [read, webSearch, { type: 'bash_20250124', name: 'bash' }],
      { type: 'tool', name: 'web_search' },
      {},
    );
    expect(mapped.tools?.map((t) => t.function.name)).toEqual(['Read']);
    expect(mapped.tool_choice).toBe('auto');
    expect(mapped.warnings).toEqual([
      'server tool "web_search" (web_search_20250305) dropped: an OpenAI Chat upstream cannot run it',
      'server tool "bash" (bash_20250124) dropped: an OpenAI Chat upstream cannot run it',
      'tool_choice relaxed to "auto": tool "web_search" was dropped',
    ]);
  });

  it('case 25: a tool name over 64 chars is shortened and recorded for the way back', () => {
    const long = `mcp__github_enterprise_server__${'create_pull_request_review_comment_'.repeat(2)}`;
    const mapped = mapTools([{ name: long, input_schema: { type: 'object' } }], { type: 'tool', name: long }, {});
    const short = mapped.tools?.[0]?.function.name ?? '';
    expect(short).toHaveLength(64);
    expect(mapped.toolNames).toEqual({ [short]: { name: long } });
    expect(mapped.tool_choice).toEqual({ type: 'function', function: { name: short } });
  });

  it.each([
    [{ type: 'auto' as const }, 'auto'],
    [{ type: 'any' as const }, 'required'],
    [{ type: 'none' as const }, 'none'],
    [
      { type: 'tool' as const, name: 'Read' },
      { type: 'function', function: { name: 'Read' } },
    ],
  ])('case 26: tool_choice %j → %j', (choice, expected) => {
    expect(mapTools([read], choice, {}).tool_choice).toEqual(expected);
  });

  it('case 27: disable_parallel_tool_use → parallel_tool_calls:false, unless the provider rejects the field', () => {
    expect(mapTools([read], { type: 'auto', disable_parallel_tool_use: true }, {}).parallel_tool_calls).toBe(false);
    expect(mapTools([read], { type: 'auto', disable_parallel_tool_use: false }, {})).not.toHaveProperty(
      'parallel_tool_calls',
    );
    const rejected = mapTools([read], { type: 'any', disable_parallel_tool_use: true }, { parallelToolCalls: false });
    expect(rejected).not.toHaveProperty('parallel_tool_calls');
  });

  it('case 28: tool_choice (and parallel_tool_calls) omitted without tools or when every tool was dropped', () => {
    expect(mapTools(undefined, { type: 'any', disable_parallel_tool_use: true }, {})).toEqual({
      toolNames: {},
      warnings: [],
    });
    const allDropped = mapTools([webSearch], { type: 'any', disable_parallel_tool_use: true }, {});
    expect(allDropped).not.toHaveProperty('tools');
    expect(allDropped).not.toHaveProperty('tool_choice');
    expect(allDropped).not.toHaveProperty('parallel_tool_calls');
  });
});
