import type { ChatTool, ChatToolChoice } from '../../openai-chat/types.js';
import type { ProviderQuirks } from '../types.js';
import { asArray, asString, isObject, type JsonObject, nonEmpty } from './json.js';
import { stripSchemaKeywords } from './strip-schema.js';
import { ToolNameTable } from './tool-names.js';

export interface ToolMapping {
  tools: ChatTool[];
  names: ToolNameTable;
  warnings: string[];
}

/**
 * What the tools decide besides the Chat tools themselves: the name table (read by the input
 * items and tool_choice), the warnings, how many tools go upstream. Frozen, so one can serve every
 * request that sends the same tools (PreparedTools.mapping).
 */
export class ResponsesToolDefs {
  readonly names: ToolNameTable;
  readonly warnings: readonly string[];
  readonly count: number;

  constructor(mapping: ToolMapping) {
    this.names = mapping.names;
    this.warnings = Object.freeze(mapping.warnings);
    this.count = mapping.tools.length;
    mapping.names.seal(); // nothing may add a name from now on
  }
}

/**
 * Responses tools → Chat function tools (cases 109, 110): flat `function` tools are nested,
 * `custom` tools become a function with one string argument `input`, `namespace` tools are
 * flattened, and built-ins the upstream cannot run (web_search, local_shell, …) are dropped.
 */
export function mapTools(tools: unknown, quirks: ProviderQuirks): ToolMapping {
  const mapping: ToolMapping = { tools: [], names: new ToolNameTable(), warnings: [] };
  const strip = new Set(quirks.stripSchemaKeywords ?? []);
  for (const tool of asArray(tools) ?? []) {
    if (!isObject(tool)) {
      mapping.warnings.push('ignored a tool entry that is not an object');
      continue;
    }
    if (tool.type === 'namespace') {
      const namespace = nonEmpty(tool.name);
      for (const inner of asArray(tool.tools) ?? []) {
        if (isObject(inner)) addTool(mapping, inner, strip, namespace);
      }
      if (namespace === undefined) mapping.warnings.push('namespace tool without a name: its tools are not namespaced');
      continue;
    }
    addTool(mapping, tool, strip, undefined);
  }
  return mapping;
}

function addTool(mapping: ToolMapping, tool: JsonObject, strip: ReadonlySet<string>, namespace: string | undefined) {
  const name = nonEmpty(tool.name);
  if ((tool.type === 'function' || tool.type === 'custom') && name === undefined) {
    mapping.warnings.push(`dropped a ${tool.type} tool without a name`);
    return;
  }
  if (tool.type === 'function' && name !== undefined) {
    const upstream = mapping.names.add(name, 'function', namespace);
    const parameters = isObject(tool.parameters) ? tool.parameters : { type: 'object', properties: {} };
    mapping.tools.push(
      chatTool(upstream, asString(tool.description), clean(parameters, strip), strictFlag(tool.strict)),
    );
    return;
  }
  if (tool.type === 'custom' && name !== undefined) {
    const upstream = mapping.names.add(name, 'custom', namespace);
    const description = customToolDescription(asString(tool.description), tool.format);
    mapping.tools.push(chatTool(upstream, description, clean(CUSTOM_TOOL_PARAMETERS, strip), undefined));
    return;
  }
  const label = nonEmpty(tool.name) ?? asString(tool.type) ?? 'unknown';
  mapping.warnings.push(`dropped tool "${label}" (type ${String(tool.type)}): the Chat upstream cannot run it`);
}

const CUSTOM_TOOL_PARAMETERS: JsonObject = {
  type: 'object',
  properties: { input: { type: 'string', description: "The tool's complete input text." } },
  required: ['input'],
  additionalProperties: false,
};

/** The grammar of a freeform tool goes into the description, the only place a Chat model sees it. */
function customToolDescription(description: string | undefined, format: unknown): string {
  const intro = description ?? '';
  if (!isObject(format) || format.type !== 'grammar') return intro;
  const syntax = asString(format.syntax) ?? 'grammar';
  const definition = asString(format.definition) ?? '';
  const rule = `Pass the whole input as the \`input\` string argument. It must follow this ${syntax} grammar:\n${definition}`;
  return intro.length > 0 ? `${intro}\n\n${rule}` : rule;
}

function chatTool(
  name: string,
  description: string | undefined,
  parameters: Record<string, unknown>,
  strict: boolean | undefined,
): ChatTool {
  return {
    type: 'function',
    function: {
      name,
      ...(description === undefined ? {} : { description }),
      parameters,
      ...(strict === undefined ? {} : { strict }),
    },
  };
}

const strictFlag = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);

const clean = (schema: JsonObject, strip: ReadonlySet<string>): JsonObject =>
  strip.size === 0 ? schema : stripSchemaKeywords(schema, strip);

/**
 * Responses `tool_choice` → Chat (case 111). Strings pass; a named tool becomes the nested Chat
 * form with its upstream name; a choice naming a dropped or unknown tool is relaxed to `auto`
 * (case 24); no tools at all → omitted (case 28).
 */
export function mapToolChoice(
  choice: unknown,
  mapping: Pick<ResponsesToolDefs, 'names' | 'count'>,
): { toolChoice: ChatToolChoice | undefined; warning?: string } {
  if (choice === undefined || choice === null || mapping.count === 0) return { toolChoice: undefined };
  if (choice === 'auto' || choice === 'none' || choice === 'required') return { toolChoice: choice };
  if (!isObject(choice))
    return { toolChoice: 'auto', warning: `unknown tool_choice ${JSON.stringify(choice)}: using auto` };
  const name = nonEmpty(choice.name);
  if ((choice.type === 'function' || choice.type === 'custom') && name !== undefined) {
    const namespace = nonEmpty(choice.namespace);
    if (!mapping.names.has(name, namespace)) {
      return {
        toolChoice: 'auto',
        warning: `tool_choice names tool "${name}", which is not sent upstream: using auto`,
      };
    }
    return { toolChoice: { type: 'function', function: { name: mapping.names.upstreamName(name, namespace) } } };
  }
  if (choice.type === 'allowed_tools') {
    return {
      toolChoice: choice.mode === 'required' ? 'required' : 'auto',
      warning: 'tool_choice allowed_tools: the tool subset cannot be expressed in Chat; all tools are allowed',
    };
  }
  return { toolChoice: 'auto', warning: `tool_choice ${String(choice.type)} names a built-in tool: using auto` };
}
