import { describe, expect, it } from 'vitest';
import { mapToolChoice, mapTools } from './map-tools.js';

describe('mapTools', () => {
  it('{type:function,function:{name,description,parameters}} → {name,description,input_schema}', () => {
    const parameters = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };
    expect(
      mapTools([
        { type: 'function', function: { name: 'Read', description: 'Read a file', parameters, strict: true } },
        { type: 'function', function: { name: 'Now' } },
        { type: 'function', function: { name: 'Loose', parameters: { properties: { a: {} } } } },
      ]),
    ).toEqual([
      { name: 'Read', description: 'Read a file', input_schema: parameters },
      { name: 'Now', input_schema: { type: 'object', properties: {} } },
      { name: 'Loose', input_schema: { type: 'object', properties: { a: {} } } },
    ]);
  });

  it('no tools or an empty list → undefined (nothing sent)', () => {
    expect(mapTools(undefined)).toBeUndefined();
    expect(mapTools([])).toBeUndefined();
  });

  it('non-function tools are a clear 400, never silently dropped', () => {
    expect(() => mapTools([{ type: 'custom', custom: { name: 'apply_patch' } }])).toThrow(
      'tools[0]: tool type "custom" is not supported by Anthropic upstreams',
    );
    expect(() => mapTools([{ type: 'function', function: { description: 'x' } }])).toThrow(
      'tools[0]: function.name is required',
    );
  });
});

describe('mapToolChoice', () => {
  it.each([
    ['auto', undefined, { type: 'auto' }],
    ['required', undefined, { type: 'any' }],
    ['none', undefined, { type: 'none' }],
    [{ type: 'function', function: { name: 'Read' } }, undefined, { type: 'tool', name: 'Read' }],
    [undefined, undefined, undefined],
    [undefined, true, undefined],
    [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
    ['required', false, { type: 'any', disable_parallel_tool_use: true }],
    [
      { type: 'function', function: { name: 'Read' } },
      false,
      { type: 'tool', name: 'Read', disable_parallel_tool_use: true },
    ],
    ['none', false, { type: 'none' }],
  ])('case 136: tool_choice %j, parallel_tool_calls %j → %j', (choice, parallel, expected) => {
    expect(mapToolChoice(choice, parallel, true)).toEqual({ toolChoice: expected, warnings: [] });
  });

  it('a choice without tools is dropped with a warning; parallel_tool_calls alone is silent', () => {
    expect(mapToolChoice('required', false, false)).toEqual({
      toolChoice: undefined,
      warnings: ['tool_choice was dropped: the request has no tools'],
    });
    expect(mapToolChoice(undefined, false, false)).toEqual({ toolChoice: undefined, warnings: [] });
  });

  it('rejects an unknown tool_choice', () => {
    expect(() => mapToolChoice({ type: 'allowed_tools' }, undefined, true)).toThrow(
      'tool_choice {"type":"allowed_tools"} is not supported',
    );
  });
});
