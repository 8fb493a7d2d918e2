import { createHash } from 'node:crypto';
import type { AnthropicRequest } from '../../anthropic/types.js';
import { dropImageParts } from '../../openai-chat/text-only.js';
import { addThoughtSignaturePlaceholders } from '../../openai-chat/thought-signatures.js';
import type { ChatMessage, ChatRequest } from '../../openai-chat/types.js';
import { withFields } from '../../with-fields.js';
import { usePreparedTools } from '../prepared-tools.js';
import { cacheControlFor, noteDroppedImages } from '../quirk-rules.js';
import {
  ConversionError,
  type ConvertedRequest,
  type ConvertOptions,
  type PreparedTools,
  type ProviderQuirks,
} from '../types.js';
import { cleanSchema } from './clean-schema.js';
import { mapMessages } from './map-messages.js';
import { mapReasoning } from './map-reasoning.js';
import { systemTexts } from './map-system.js';
import { AnthropicToolDefs, chooseTool, type MappedTools, mapToolDefs, mapTools } from './map-tools.js';

export const CHAT_COMPLETIONS_PATH = '/v1/chat/completions';

/** OpenAI accepts at most 4 stop sequences (case 29). */
const MAX_STOP = 4;

/** Fields this converter reads; everything else (context_management, container, mcp_servers, …) stays behind (case 38). */
const CONSUMED = new Set([
  'model',
  'messages',
  'system',
  'max_tokens',
  'stop_sequences',
  'temperature',
  'top_p',
  'stream',
  'tools',
  'tool_choice',
  'thinking',
]);

/**
 * Anthropic Messages request → OpenAI Chat Completions request (protocol-notes §5.1). The Chat
 * body is built from scratch, so nothing the provider did not ask for (`cache_control`, beta
 * fields, `top_k`, `metadata`) can leak through.
 */
export function convertRequest(body: unknown, options: ConvertOptions): ConvertedRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ConversionError('request body must be a JSON object');
  }
  const req = body as AnthropicRequest;
  if (typeof req.model !== 'string' || req.model === '') throw new ConversionError('model is required');
  const { quirks } = options;
  const warnings: string[] = [];

  const mapped = mapMessages(req.messages, quirks);
  warnings.push(...mapped.warnings);
  const system = [...systemTexts(req.system), ...mapped.systemTexts];
  const messages: ChatMessage[] =
    system.length > 0 ? [{ role: 'system', content: system.join('\n') }, ...mapped.messages] : mapped.messages;

  if (quirks.thoughtSignaturePlaceholder === true) addThoughtSignaturePlaceholders(messages, options.upstreamModel);
  if (quirks.imageParts === false) noteDroppedImages(dropImageParts(messages), warnings);
  const chat: ChatRequest = {
    model: options.upstreamModel,
    messages,
    ...cacheControlFor(quirks, options.upstreamModel),
  };
  const stream = req.stream === true;
  if (stream) {
    chat.stream = true;
    if (quirks.streamUsage !== false) chat.stream_options = { include_usage: true };
  }
  if (typeof req.max_tokens === 'number') {
    const cap = options.maxTokensCap;
    chat[quirks.maxTokensField ?? 'max_tokens'] = cap !== undefined && req.max_tokens > cap ? cap : req.max_tokens;
  }
  if (typeof req.temperature === 'number') chat.temperature = req.temperature;
  if (typeof req.top_p === 'number') chat.top_p = req.top_p;
  if (typeof req.top_k === 'number' && quirks.topK === true) chat.top_k = req.top_k;
  const format = responseFormat(req.output_config?.format ?? req.output_format, quirks);
  if (format !== undefined) chat.response_format = format;
  if (Array.isArray(req.stop_sequences) && req.stop_sequences.length > 0) {
    if (req.stop_sequences.length > MAX_STOP) {
      warnings.push(`stop_sequences: only the first ${MAX_STOP} of ${req.stop_sequences.length} sent (OpenAI limit)`);
    }
    chat.stop = req.stop_sequences.slice(0, MAX_STOP);
  }

  const tools = mapRequestTools(req, options);
  warnings.push(...tools.warnings);
  if (tools.tools) chat.tools = tools.tools;
  if (tools.tool_choice !== undefined) chat.tool_choice = tools.tool_choice;
  if (tools.parallel_tool_calls !== undefined) chat.parallel_tool_calls = tools.parallel_tool_calls;

  const dialect = options.omitReasoning === true ? 'none' : quirks.reasoning;
  Object.assign(chat, mapReasoning(req.thinking, req.output_config?.effort, dialect));

  const userId = req.metadata?.user_id;
  if (quirks.forwardUser === true && typeof userId === 'string' && userId !== '') {
    chat.user = createHash('sha256').update(userId).digest('hex'); // 64 chars: OpenAI's limit (case 30)
  }

  const forwarded = (key: string): boolean =>
    (key === 'metadata' && chat.user !== undefined) ||
    (key === 'top_k' && chat.top_k !== undefined) ||
    (key === 'output_format' && chat.response_format !== undefined) ||
    (key === 'output_config' &&
      outputConfigUsed(req.output_config, {
        effort: chat.reasoning_effort !== undefined || chat.reasoning !== undefined,
        format: chat.response_format !== undefined,
      }));
  const dropped = Object.keys(req).filter((key) => !CONSUMED.has(key) && req[key] !== undefined && !forwarded(key));
  if (dropped.length > 0) warnings.push(`not forwarded to the OpenAI Chat upstream: ${dropped.join(', ')}`);

  return {
    path: CHAT_COMPLETIONS_PATH,
    body: chat,
    context: {
      clientModel: req.model,
      toolNames: tools.toolNames,
      stream,
      created: options.now,
      signatureTag: options.signatureTag,
    },
    warnings,
  };
}

/**
 * The request's tools, as mapTools converts them, or from ConvertOptions.preparedTools: then
 * `req.tools` is the proxy's stand-in, which goes where the tools go, to be replaced by the
 * prepared tools' JSON.
 */
function mapRequestTools(req: AnthropicRequest, options: ConvertOptions): MappedTools {
  const prepared = options.preparedTools;
  if (prepared === undefined) return mapTools(req.tools, req.tool_choice, options.quirks);
  const { mapping: defs, tools } = usePreparedTools(prepared, AnthropicToolDefs, req.tools);
  const mapped: MappedTools = withFields(chooseTool(defs, req.tool_choice, options.quirks), {
    toolNames: defs.toolNames,
  });
  if (tools !== undefined) mapped.tools = tools;
  return mapped;
}

/** Anthropic `tools` converted alone (Converter.tools), for the proxy to reuse while a client resends them. */
export function prepareTools(tools: unknown, quirks: ProviderQuirks): PreparedTools {
  const { chatTools, defs } = mapToolDefs(tools as AnthropicRequest['tools'], quirks);
  return { json: chatTools.length > 0 ? JSON.stringify(chatTools) : undefined, warnings: defs.warnings, mapping: defs };
}

/**
 * Anthropic structured output (`output_config.format` / `output_format`: `{type: "json_schema",
 * schema}`) → Chat `response_format` (case 38). Not marked `strict`: OpenAI's strict mode adds
 * schema rules of its own, and a schema Anthropic took should not become a 400.
 */
function responseFormat(format: unknown, quirks: ProviderQuirks): ChatRequest['response_format'] {
  if (typeof format !== 'object' || format === null || quirks.jsonSchemaFormat === false) return undefined;
  const { type, schema } = format as { type?: unknown; schema?: unknown };
  if (type !== 'json_schema' || typeof schema !== 'object' || schema === null || Array.isArray(schema))
    return undefined;
  const cleaned = cleanSchema(schema as Record<string, unknown>, new Set(quirks.stripSchemaKeywords ?? []));
  return { type: 'json_schema', json_schema: { name: 'output', schema: cleaned } };
}

/** Whether everything in output_config reached the upstream: `effort` as its reasoning knob, `format` as response_format. */
function outputConfigUsed(
  config: AnthropicRequest['output_config'],
  used: { effort: boolean; format: boolean },
): boolean {
  if (typeof config !== 'object' || config === null) return false;
  return Object.keys(config).every((key) => (key === 'effort' && used.effort) || (key === 'format' && used.format));
}
