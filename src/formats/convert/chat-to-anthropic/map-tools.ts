import type { AnthropicTool, AnthropicToolChoice } from '../../anthropic/types.js';
import { withFields } from '../../with-fields.js';
import { ConversionError } from '../types.js';
import { isRecord } from './guards.js';

const EMPTY_SCHEMA = { type: 'object', properties: {} };

/** `{type:"function", function:{name, description, parameters}}` → `{name, description, input_schema}`. */
export function mapTools(tools: unknown): AnthropicTool[] | undefined {
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) throw new ConversionError('tools must be an array');
  if (tools.length === 0) return undefined;
  return tools.map((tool: unknown, i) => mapTool(tool, `tools[${i}]`));
}

function mapTool(tool: unknown, where: string): AnthropicTool {
  if (!isRecord(tool)) throw new ConversionError(`${where} must be an object`);
  if (tool.type !== 'function' || !isRecord(tool.function)) {
    throw new ConversionError(
      `${where}: tool type ${JSON.stringify(tool.type)} is not supported by Anthropic upstreams (only function tools are)`,
    );
  }
  const { name, description, parameters } = tool.function;
  if (typeof name !== 'string' || name.length === 0) throw new ConversionError(`${where}: function.name is required`);
  const mapped: AnthropicTool = { name };
  if (typeof description === 'string' && description.length > 0) mapped.description = description;
  mapped.input_schema = inputSchema(parameters);
  return mapped;
}

/** Anthropic requires `input_schema.type: "object"`; OpenAI allows the schema to be absent or typeless. */
function inputSchema(parameters: unknown): Record<string, unknown> {
  if (!isRecord(parameters)) return { ...EMPTY_SCHEMA };
  return parameters.type === undefined ? { type: 'object', ...parameters } : parameters;
}

export interface MappedToolChoice {
  toolChoice: AnthropicToolChoice | undefined;
  warnings: string[];
}

/**
 * `tool_choice` + `parallel_tool_calls` → Anthropic `tool_choice` (case 136): required→any, auto→auto,
 * none→none, `{function:{name}}`→`{type:"tool",name}`; `parallel_tool_calls:false` sets
 * `disable_parallel_tool_use` (on `auto` when no choice was given). Without tools there is no choice to make.
 */
export function mapToolChoice(choice: unknown, parallelToolCalls: unknown, hasTools: boolean): MappedToolChoice {
  const given = choice !== undefined && choice !== null;
  if (!hasTools) {
    return { toolChoice: undefined, warnings: given ? ['tool_choice was dropped: the request has no tools'] : [] };
  }
  const base: AnthropicToolChoice | undefined = given ? toAnthropicChoice(choice) : undefined;
  if (parallelToolCalls !== false) return { toolChoice: base, warnings: [] };
  const effective = base ?? { type: 'auto' };
  if (effective.type === 'none') return { toolChoice: effective, warnings: [] };
  return { toolChoice: withFields(effective, { disable_parallel_tool_use: true }), warnings: [] };
}

function toAnthropicChoice(choice: unknown): AnthropicToolChoice {
  switch (choice) {
    case 'auto':
      return { type: 'auto' };
    case 'required':
      return { type: 'any' };
    case 'none':
      return { type: 'none' };
  }
  if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === 'string') {
    return { type: 'tool', name: choice.function.name };
  }
  throw new ConversionError(
    `tool_choice ${JSON.stringify(choice)} is not supported (use "auto", "required", "none" or {type:"function",function:{name}})`,
  );
}
