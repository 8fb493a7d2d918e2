import { createHash } from 'node:crypto';
import type { ClaudeGeneration } from '../../anthropic/claude-generations.js';
import { MIN_THINKING_BUDGET, THINKING_BUDGETS } from '../../anthropic/thinking-budgets.js';
import type { AnthropicRequest, AnthropicThinkingConfig } from '../../anthropic/types.js';
import { ConversionError } from '../types.js';
import { isRecord, numberOf } from './guards.js';

/**
 * Anthropic requires `max_tokens`; this is what a request without one gets (plus any thinking
 * budget). Codex never sends a limit, so this must leave room for long answers; a profile's
 * `maxTokens` clamps it for models with a smaller ceiling.
 */
export const DEFAULT_MAX_TOKENS = 16_384;
/**
 * A request without a limit but with thinking gets DEFAULT_MAX_TOKENS plus the budget, up to this:
 * the smallest output limit of the Claude 4 models (Opus 4 and 4.1: 32,000), so the default never
 * exceeds what the model takes. At least DEFAULT_ANSWER_ROOM of it (half, under a smaller profile
 * cap) stays for the answer.
 */
export const DEFAULT_MAX_TOKENS_CEILING = 32_000;
const DEFAULT_ANSWER_ROOM = 8192;

export interface OutputBudget {
  max_tokens: number;
  thinking: AnthropicThinkingConfig | undefined;
  /** With adaptive thinking: how hard the model works (`output_config.effort`). */
  effort?: AnthropicEffort | undefined;
  warnings: string[];
}

type AnthropicEffort = NonNullable<NonNullable<AnthropicRequest['output_config']>['effort']>;

/** `reasoning_effort` → `output_config.effort` (xhigh exists from Opus 4.7 on: `high` before it). */
function adaptiveEffort(effort: string, generation: ClaudeGeneration): AnthropicEffort {
  if (effort === 'xhigh') return generation === 'adaptive' ? 'xhigh' : 'high';
  return effort === 'minimal' ? 'low' : (effort as AnthropicEffort);
}

/**
 * `max_completion_tokens` / `max_tokens` (+ `reasoning_effort`) → Anthropic `max_tokens` and `thinking`.
 * Absent → DEFAULT_MAX_TOKENS, raised by the thinking budget so the answer keeps its room; always clamped to
 * `cap`. The budget stays below `max_tokens` (Anthropic rule) and is omitted when 1024 no longer fits.
 */
export function mapOutputBudget(
  maxCompletionTokens: unknown,
  maxTokens: unknown,
  reasoningEffort: unknown,
  cap: number | undefined,
  generation: ClaudeGeneration = 'budget',
): OutputBudget {
  const warnings: string[] = [];
  const requested =
    positiveInteger(maxCompletionTokens, 'max_completion_tokens') ?? positiveInteger(maxTokens, 'max_tokens');
  const budget = thinkingBudget(reasoningEffort, warnings);

  let max_tokens = requested ?? Math.min(DEFAULT_MAX_TOKENS + (budget ?? 0), DEFAULT_MAX_TOKENS_CEILING);
  if (cap !== undefined && cap > 0 && max_tokens > cap) {
    if (requested !== undefined) warnings.push(`max_tokens ${requested} was clamped to ${cap}`);
    max_tokens = cap;
  }
  if (budget === undefined) return { max_tokens, thinking: undefined, warnings };
  // Opus 4.6 and later: the model sizes its own thinking; the effort says how hard it works, and
  // the thinking text is asked for (Opus 4.7 and later leave it out by default)
  if (generation !== 'budget')
    return {
      max_tokens,
      thinking: { type: 'adaptive', display: 'summarized' },
      effort: adaptiveEffort(reasoningEffort as string, generation),
      warnings,
    };

  // the client's own limit is theirs to share out; the default keeps room for the answer
  const room = requested === undefined ? Math.min(DEFAULT_ANSWER_ROOM, Math.floor(max_tokens / 2)) : 1;
  const budget_tokens = Math.min(budget, max_tokens - room);
  if (budget_tokens < MIN_THINKING_BUDGET) {
    warnings.push(
      `reasoning_effort ${JSON.stringify(reasoningEffort)} was dropped: max_tokens ${max_tokens} leaves no room for Anthropic's minimum thinking budget (${MIN_THINKING_BUDGET})`,
    );
    return { max_tokens, thinking: undefined, warnings };
  }
  return { max_tokens, thinking: { type: 'enabled', budget_tokens }, warnings };
}

function thinkingBudget(effort: unknown, warnings: string[]): number | undefined {
  if (effort === undefined || effort === null || effort === 'none') return undefined;
  const budget = typeof effort === 'string' ? THINKING_BUDGETS[effort] : undefined;
  if (budget === undefined)
    warnings.push(`reasoning_effort ${JSON.stringify(effort)} is not recognised and was ignored`);
  return budget;
}

function positiveInteger(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConversionError(`${field} must be a positive integer`);
  }
  return value;
}

export interface Sampling {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  warnings: string[];
}

/**
 * temperature (clamped to Anthropic's 0–1), top_p, top_k. With thinking enabled Anthropic rejects all three,
 * and so do Claude Opus 4.7 and later models always: they are dropped then (with a warning when the
 * client set them).
 */
export function mapSampling(
  body: Record<string, unknown>,
  thinking: boolean,
  generation: ClaudeGeneration = 'budget',
): Sampling {
  const temperature = numberField(body.temperature, 'temperature');
  const top_p = numberField(body.top_p, 'top_p');
  const top_k = numberField(body.top_k, 'top_k');
  const warnings: string[] = [];
  if (thinking || generation === 'adaptive') {
    const dropped = Object.entries({ temperature, top_p, top_k }).filter(([, v]) => v !== undefined);
    if (dropped.length > 0) {
      const why = thinking ? 'with thinking' : 'for this model (Claude Opus 4.7 and later)';
      warnings.push(`${dropped.map(([k]) => k).join(', ')} dropped: Anthropic does not accept them ${why}`);
    }
    return { warnings };
  }
  const out: Sampling = { warnings };
  if (temperature !== undefined) {
    out.temperature = Math.min(1, Math.max(0, temperature));
    if (out.temperature !== temperature) warnings.push(`temperature ${temperature} was clamped to ${out.temperature}`);
  }
  // Current Claude models (Sonnet 4.5, Haiku 4.5, Opus 4.1 and later) take one of the two, never both
  if (top_p !== undefined && temperature !== undefined)
    warnings.push('top_p dropped: Claude models take temperature or top_p, not both');
  else if (top_p !== undefined) out.top_p = top_p;
  if (top_k !== undefined) out.top_k = top_k;
  return out;
}

function numberField(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = numberOf(value);
  if (n === undefined) throw new ConversionError(`${field} must be a number`);
  return n;
}

/** `stop` (string | string[]) → `stop_sequences`; whitespace-only entries are dropped (Anthropic rejects them). */
export function mapStop(stop: unknown): { stop_sequences: string[] | undefined; warnings: string[] } {
  if (stop === undefined || stop === null) return { stop_sequences: undefined, warnings: [] };
  const list: unknown[] = Array.isArray(stop) ? stop : [stop];
  if (!list.every((s): s is string => typeof s === 'string')) {
    throw new ConversionError('stop must be a string or an array of strings');
  }
  const kept = list.filter((s) => s.trim().length > 0);
  const warnings =
    kept.length < list.length ? ['whitespace-only stop sequences were dropped (Anthropic rejects them)'] : [];
  return { stop_sequences: kept.length > 0 ? kept : undefined, warnings };
}

const MAX_USER_ID = 64;

/**
 * `user` → `metadata.user_id`, which Anthropic restricts to `^[a-zA-Z0-9_-]+$`. Other characters become `_`;
 * an id longer than 64 keeps a prefix and gains a hash of the original, so distinct users stay distinct.
 */
export function sanitizeUserId(user: unknown): string | undefined {
  if (typeof user !== 'string' || user.length === 0) return undefined;
  const clean = user.replace(/[^a-zA-Z0-9_-]/g, '_');
  if (clean.length <= MAX_USER_ID) return clean;
  const hash = createHash('sha256').update(user).digest('hex').slice(0, 16);
  return `${clean.slice(0, MAX_USER_ID - hash.length - 1)}-${hash}`;
}

/** Fields this converter reads (everything else is never forwarded: the Anthropic body is built field by field). */
const HANDLED = new Set([
  'model',
  'messages',
  'max_tokens',
  'max_completion_tokens',
  'reasoning_effort',
  'temperature',
  'top_p',
  'top_k',
  'stop',
  'stream',
  'stream_options',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'user',
  'n',
  'response_format',
]);
/** OpenAI bookkeeping with no effect on the answer: dropped without a word. */
const SILENT = new Set([
  'store',
  'metadata',
  'service_tier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'safety_identifier',
]);

/**
 * `response_format` → Anthropic's structured output: a JSON schema becomes `output_config.format`
 * (`{type: "json_schema", schema}`; Codex's `--output-schema` arrives this way). `json_object` has
 * no Anthropic equivalent and is named in a warning; `text` is the default.
 */
export function mapResponseFormat(format: unknown): {
  format: { type: 'json_schema'; schema: object } | undefined;
  warnings: string[];
} {
  if (format === undefined || format === null || !isRecord(format) || format.type === 'text')
    return { format: undefined, warnings: [] };
  if (format.type === 'json_schema') {
    const spec = isRecord(format.json_schema) ? format.json_schema : {};
    if (isRecord(spec.schema)) return { format: { type: 'json_schema', schema: spec.schema }, warnings: [] };
    return { format: undefined, warnings: ['response_format json_schema without a schema object was not forwarded'] };
  }
  return {
    format: undefined,
    warnings: [`response_format ${JSON.stringify(format.type)} has no Anthropic equivalent and was not forwarded`],
  };
}

/**
 * Rejects what cannot be expressed (`n` > 1, legacy `functions`) and names every other field that is not
 * forwarded (`logprobs`, `seed`, penalties, vendor extras…). Unset values (null/false) pass quietly.
 */
export function checkUnsupportedFields(body: Record<string, unknown>): string[] {
  const n = body.n;
  if (n !== undefined && n !== null && n !== 1) {
    throw new ConversionError('n must be 1: Anthropic upstreams return a single choice');
  }
  if (body.functions !== undefined && body.functions !== null) {
    throw new ConversionError('legacy functions/function_call are not supported; send tools and tool_choice');
  }
  const warnings: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (HANDLED.has(key) || SILENT.has(key) || value === null || value === false || value === undefined) continue;
    warnings.push(`${key} is not supported by Anthropic upstreams and was not forwarded`);
  }
  return warnings;
}
