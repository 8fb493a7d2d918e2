import type { AnthropicTool, AnthropicToolChoice } from '../../anthropic/types.js';
import type { ChatTool, ChatToolChoice } from '../../openai-chat/types.js';
import { ConversionError, type ProviderQuirks, type ToolNameMapping } from '../types.js';
import { cleanSchema } from './clean-schema.js';
import { requireObject, requireString } from './guards.js';
import { upstreamToolName } from './tool-names.js';

export interface MappedTools {
  /** Absent when the client sent no tools or every tool was dropped (then no tool_choice either, case 28). */
  tools?: ChatTool[];
  tool_choice?: ChatToolChoice;
  parallel_tool_calls?: false;
  /** Upstream name → client name, for every tool whose name had to change (case 25). */
  toolNames: Record<string, ToolNameMapping>;
  warnings: string[];
}

const EMPTY_PARAMETERS = { type: 'object', properties: {} };

/**
 * What the tools alone decide, apart from the converted tools themselves: all that tool_choice
 * and the request's context need. Read-only (the record and warnings frozen, the sets typed so),
 * so one can serve every request that sends the same tools (PreparedTools.mapping).
 */
export class AnthropicToolDefs {
  constructor(
    /** The upstream names of the tools sent. */
    readonly names: ReadonlySet<string>,
    /** The client names of the server tools dropped. */
    readonly dropped: ReadonlySet<string>,
    /** How many tools the client sent, dropped ones included. */
    readonly sent: number,
    /** Upstream name → client name, for every tool whose name had to change (case 25). */
    readonly toolNames: Readonly<Record<string, ToolNameMapping>>,
    readonly warnings: readonly string[],
  ) {
    Object.freeze(toolNames);
    Object.freeze(warnings);
  }
}

/**
 * Anthropic `tools` / `tool_choice` → Chat `tools` / `tool_choice` / `parallel_tool_calls`
 * (cases 22–28): mapToolDefs, then chooseTool.
 */
export function mapTools(
  tools: readonly AnthropicTool[] | undefined,
  choice: AnthropicToolChoice | undefined,
  quirks: ProviderQuirks,
): MappedTools {
  const { chatTools, defs } = mapToolDefs(tools, quirks);
  const chosen = chooseTool(defs, choice, quirks);
  const mapped: MappedTools = { toolNames: defs.toolNames, warnings: chosen.warnings };
  if (chatTools.length > 0) mapped.tools = chatTools;
  if (chosen.tool_choice !== undefined) mapped.tool_choice = chosen.tool_choice;
  if (chosen.parallel_tool_calls !== undefined) mapped.parallel_tool_calls = chosen.parallel_tool_calls;
  return mapped;
}

/**
 * Anthropic `tools` → Chat `tools` (cases 22, 23, 25, 27). Only name, description and the cleaned
 * schema cross; Anthropic-only keys (`cache_control`, `type: "custom"`, `defer_loading`,
 * `input_examples`) never reach `parameters`. Server tools (`web_search_…`, `bash_…`,
 * `text_editor_…`) have no schema and are dropped.
 */
export function mapToolDefs(
  tools: readonly AnthropicTool[] | undefined,
  quirks: ProviderQuirks,
): { chatTools: ChatTool[]; defs: AnthropicToolDefs } {
  const warnings: string[] = [];
  const toolNames: Record<string, ToolNameMapping> = {};
  const strip = new Set(quirks.stripSchemaKeywords ?? []);
  const chatTools: ChatTool[] = [];
  const dropped = new Set<string>();

  if (tools !== undefined && !Array.isArray(tools)) throw new ConversionError('tools must be an array');
  for (const [i, tool] of (tools ?? []).entries()) {
    requireObject(tool, `tools[${i}]`);
    requireString(tool.name, `tools[${i}].name`);
    if (tool.type !== undefined && tool.type !== 'custom') {
      dropped.add(tool.name);
      warnings.push(`server tool "${tool.name}" (${tool.type}) dropped: an OpenAI Chat upstream cannot run it`);
      continue;
    }
    const name = upstreamToolName(tool.name);
    if (name !== tool.name) {
      toolNames[name] = { name: tool.name };
      warnings.push(`tool name "${tool.name}" sent upstream as "${name}"`);
    }
    const schema = tool.input_schema;
    if (schema !== undefined && schema !== null) requireObject(schema, `tools[${i}].input_schema`);
    const parameters = schema ? cleanSchema(schema, strip) : EMPTY_PARAMETERS;
    chatTools.push({
      type: 'function',
      function: {
        name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        parameters,
      },
    });
  }
  const names = new Set(chatTools.map((t) => t.function.name));
  return { chatTools, defs: new AnthropicToolDefs(names, dropped, tools?.length ?? 0, toolNames, warnings) };
}

/**
 * Anthropic `tool_choice` → Chat `tool_choice` / `parallel_tool_calls` for the tools in `defs`
 * (cases 24, 26, 28), with the tools' own warnings first. No tool left: no tool_choice either.
 */
export function chooseTool(
  defs: AnthropicToolDefs,
  choice: AnthropicToolChoice | undefined,
  quirks: ProviderQuirks,
): Pick<MappedTools, 'tool_choice' | 'parallel_tool_calls' | 'warnings'> {
  const warnings = [...defs.warnings];
  if (defs.names.size === 0) {
    if (choice !== undefined && defs.sent > 0) warnings.push('tool_choice omitted: no tool left to choose');
    return { warnings };
  }
  const chosen: Pick<MappedTools, 'tool_choice' | 'parallel_tool_calls' | 'warnings'> = { warnings };
  const toolChoice = mapToolChoice(choice, defs.names, defs.dropped, warnings);
  if (toolChoice !== undefined) chosen.tool_choice = toolChoice;
  if (choice && choice.type !== 'none' && choice.disable_parallel_tool_use === true) {
    if (quirks.parallelToolCalls === false) warnings.push('disable_parallel_tool_use not sent: provider rejects it');
    else chosen.parallel_tool_calls = false;
  }
  return chosen;
}

function mapToolChoice(
  choice: AnthropicToolChoice | undefined,
  available: ReadonlySet<string>,
  dropped: ReadonlySet<string>,
  warnings: string[],
): ChatToolChoice | undefined {
  switch (choice?.type) {
    case undefined:
      return undefined;
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool': {
      const name = upstreamToolName(requireString(choice.name, 'tool_choice.name'));
      if (available.has(name)) return { type: 'function', function: { name } };
      const why = dropped.has(choice.name) ? 'was dropped' : 'is not among the tools';
      warnings.push(`tool_choice relaxed to "auto": tool "${choice.name}" ${why}`);
      return 'auto';
    }
    default: {
      const unknown: never = choice;
      warnings.push(`unknown tool_choice ${JSON.stringify(unknown)} sent as "auto"`);
      return 'auto';
    }
  }
}
