import type { ChatRequest } from '../../openai-chat/types.js';
import type { ConvertOptions, ProviderQuirks } from '../types.js';
import { asNumber, asString, isObject, type JsonObject, nonEmpty } from './json.js';

/** The Chat request fields that come from Responses parameters rather than from input or tools. */
export type ChatParams = Pick<
  ChatRequest,
  | 'max_tokens'
  | 'max_completion_tokens'
  | 'temperature'
  | 'top_p'
  | 'reasoning_effort'
  | 'response_format'
  | 'stream'
  | 'stream_options'
> & { reasoning?: { effort: string } };

/**
 * Sampling, length, reasoning, output-format and stream parameters (case 112). Everything not
 * read here (`store`, `include`, `prompt_cache_key`, `client_metadata`, `text.verbosity`,
 * `reasoning.summary`, …) is left out: strict providers answer 400 to fields they do not know.
 */
export function mapParams(body: JsonObject, options: ConvertOptions, warnings: string[]): ChatParams {
  const params: ChatParams = {};
  const maxTokens = asNumber(body.max_output_tokens);
  const field = options.quirks.maxTokensField ?? 'max_tokens';
  if (maxTokens !== undefined) params[field] = clampTokens(maxTokens, options.maxTokensCap);
  // Codex never sends a limit: a provider's own default can be far below its ceiling (DeepSeek
  // stops at 4K unless asked for more, and Codex retries an answer cut by the limit), so a
  // configured ceiling (the profile's maxTokens, else the preset's) is asked for
  else if (options.maxTokensCap !== undefined) params[field] = options.maxTokensCap;
  const temperature = asNumber(body.temperature);
  if (temperature !== undefined) params.temperature = temperature;
  const topP = asNumber(body.top_p);
  if (topP !== undefined) params.top_p = topP;
  if (options.omitReasoning !== true) Object.assign(params, mapReasoning(body.reasoning, options.quirks, warnings));
  const responseFormat = mapTextFormat(body.text, options.quirks, warnings);
  if (responseFormat !== undefined) params.response_format = responseFormat;
  if (body.stream === true) {
    params.stream = true;
    if (options.quirks.streamUsage !== false) params.stream_options = { include_usage: true };
  }
  return params;
}

function clampTokens(requested: number, cap: number | undefined): number {
  const whole = Math.max(1, Math.floor(requested));
  return cap === undefined ? whole : Math.min(whole, cap);
}

type Effort = 'minimal' | 'low' | 'medium' | 'high';

const OPENROUTER_EFFORTS: ReadonlySet<string> = new Set(['xhigh', 'high', 'medium', 'low', 'minimal', 'none']);

/** Codex efforts (none, minimal, low, medium, high, xhigh) → the four Chat providers accept. */
function normalEffort(effort: string): Effort | undefined {
  switch (effort) {
    case 'none':
    case 'minimal':
      return 'minimal';
    case 'low':
    case 'medium':
    case 'high':
      return effort;
    case 'xhigh':
    case 'max':
      return 'high';
    default:
      return undefined;
  }
}

function mapReasoning(
  reasoning: unknown,
  quirks: ProviderQuirks,
  warnings: string[],
): Pick<ChatParams, 'reasoning_effort' | 'reasoning'> {
  const requested = isObject(reasoning) ? nonEmpty(reasoning.effort) : undefined;
  if (requested === undefined) return {};
  const effort = normalEffort(requested);
  if (effort === undefined) {
    warnings.push(`reasoning.effort "${requested}" is unknown: not forwarded`);
    return {};
  }
  switch (quirks.reasoning) {
    case 'openai':
      // "none" is a value of its own there (gpt-5.1 and later, Ollama: thinking off); a model that
      // does not take it answers 400 and gets the request again without the parameter (the proxy)
      return { reasoning_effort: requested === 'none' ? 'none' : effort };
    case 'deepseek':
      // DeepSeek takes low/high (protocol-notes §2.5); "none" leaves its default thinking mode alone.
      if (requested === 'none') return {};
      return { reasoning_effort: effort === 'minimal' || effort === 'low' ? 'low' : 'high' };
    case 'openrouter':
      // OpenRouter takes Codex's whole scale (xhigh … minimal, and none: reasoning off)
      return {
        reasoning: { effort: OPENROUTER_EFFORTS.has(requested) ? requested : requested === 'max' ? 'xhigh' : effort },
      };
    case 'none':
      return {};
    default:
      warnings.push('reasoning.effort not forwarded: the provider has no reasoning setting configured');
      return {};
  }
}

/** `text.format` → `response_format` where Chat has the same thing (json_schema, json_object). */
function mapTextFormat(text: unknown, quirks: ProviderQuirks, warnings: string[]): unknown {
  const format = isObject(text) ? text.format : undefined;
  if (!isObject(format) || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  if (format.type === 'json_schema' && quirks.jsonSchemaFormat === false) {
    warnings.push('text.format json_schema: this provider does not take a JSON schema: not forwarded');
    return undefined;
  }
  if (format.type === 'json_schema') {
    const description = asString(format.description);
    const strict = typeof format.strict === 'boolean' ? format.strict : undefined;
    return {
      type: 'json_schema',
      json_schema: {
        name: nonEmpty(format.name) ?? 'response',
        ...(description === undefined ? {} : { description }),
        ...(isObject(format.schema) ? { schema: format.schema } : {}),
        ...(strict === undefined ? {} : { strict }),
      },
    };
  }
  warnings.push(`text.format ${String(format.type)} has no Chat equivalent: not forwarded`);
  return undefined;
}
