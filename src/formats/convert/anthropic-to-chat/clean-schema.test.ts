import { describe, expect, it } from 'vitest';
import { cleanSchema } from './clean-schema.js';

describe('cleanSchema (case 22)', () => {
  const schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    additionalProperties: false,
    properties: {
      format: { type: 'string', format: 'uri', default: 'x' },
      nested: {
        type: 'object',
        propertyNames: { pattern: '^[a-z]+$' },
        additionalProperties: { type: 'number', exclusiveMinimum: 0 },
      },
      list: { type: 'array', items: { anyOf: [{ type: 'string', format: 'date' }, { const: 'format' }] } },
    },
    $defs: { thing: { type: 'string', format: 'email' } },
    required: ['format'],
  };

  it('always removes $schema and nothing else when no keywords are listed', () => {
    const { $schema: _, ...rest } = schema;
    expect(cleanSchema(schema, new Set())).toEqual(rest);
  });

  it('removes listed keywords at every level but never property names or data', () => {
    expect(cleanSchema(schema, new Set(['format', 'propertyNames', 'exclusiveMinimum', 'default']))).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        format: { type: 'string' },
        nested: { type: 'object', additionalProperties: { type: 'number', minimum: 0 } }, // the bound kept as it can be
        list: { type: 'array', items: { anyOf: [{ type: 'string' }, { const: 'format' }] } },
      },
      $defs: { thing: { type: 'string' } },
      required: ['format'],
    });
  });

  it("a stripped const becomes a one-value enum, exclusive bounds inclusive ones (Gemini's refusals, Claude Code's tools)", () => {
    const taskUpdate = {
      type: 'object',
      properties: {
        status: {
          anyOf: [
            { type: 'string', enum: ['pending', 'done'] },
            { type: 'string', const: 'deleted' },
          ],
        },
        limit: { type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 100 },
        ratio: { type: 'number', exclusiveMaximum: 1, maximum: 0.5 },
      },
    };
    expect(cleanSchema(taskUpdate, new Set(['const', 'exclusiveMinimum', 'exclusiveMaximum']))).toEqual({
      type: 'object',
      properties: {
        status: {
          anyOf: [
            { type: 'string', enum: ['pending', 'done'] },
            { type: 'string', enum: ['deleted'] },
          ],
        },
        limit: { type: 'integer', minimum: 1, maximum: 99 },
        ratio: { type: 'number', maximum: 0.5 }, // an inclusive bound already there wins
      },
    });
  });

  it('does not modify its input', () => {
    const copy = structuredClone(schema);
    cleanSchema(schema, new Set(['format']));
    expect(schema).toEqual(copy);
  });
});
