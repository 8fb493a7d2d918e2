import type { ApiFormat } from './api-format.js';
import type { UsageSummary } from './convert/types.js';
import type { NormalizedError } from './errors/error-kinds.js';
import { parseUpstreamError } from './errors/parse-upstream-error.js';
import type { SseEvent } from './sse/types.js';
import { anthropicUsage, chatUsage, tokenCount as num, responsesUsage } from './usage-summary.js';

// What an event of a same-format (passthrough) stream means to the proxy: content that commits
// the response, an error reported inside a 200, the normal end, or nothing in particular; and
// the token usage it reports. Pure functions: the proxy's failover gate and access log use them.

export type StreamSignal =
  | { kind: 'content'; ends?: true }
  | { kind: 'error'; error: NormalizedError }
  | { kind: 'end' }
  | { kind: 'other' };

const OTHER: StreamSignal = { kind: 'other' };
const CONTENT: StreamSignal = { kind: 'content' };
const END: StreamSignal = { kind: 'end' };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function parse(data: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function anthropicSignal(event: SseEvent): StreamSignal {
  const name = event.event;
  if (name === 'content_block_delta') return CONTENT;
  if (name === 'content_block_start')
    return event.data.includes('"tool_use"') || event.data.includes('"redacted_thinking"') ? CONTENT : OTHER;
  if (name === 'message_stop') return END;
  if (name === 'error') return { kind: 'error', error: parseUpstreamError(200, event.data) };
  return OTHER;
}

function chatSignal(event: SseEvent): StreamSignal {
  if (event.data === '[DONE]') return END;
  if (event.event === 'error') return { kind: 'error', error: parseUpstreamError(200, event.data) };
  const chunk = parse(event.data);
  if (!chunk) return OTHER;
  if (chunk.error !== undefined) return { kind: 'error', error: parseUpstreamError(200, chunk) };
  const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
  // Some servers end after the finish chunk without [DONE]; a finish reason is the end.
  const ends = choices.some((c) => isObject(c) && typeof c.finish_reason === 'string');
  for (const choice of choices) {
    const delta = isObject(choice) && isObject(choice.delta) ? choice.delta : undefined;
    if (!delta) continue;
    const has = (v: unknown) => (typeof v === 'string' && v.length > 0) || (Array.isArray(v) && v.length > 0);
    if (
      has(delta.content) ||
      has(delta.tool_calls) ||
      has(delta.reasoning_content) ||
      has(delta.reasoning) ||
      has(delta.reasoning_details) ||
      has(delta.refusal)
    ) {
      return ends ? { kind: 'content', ends: true } : CONTENT;
    }
  }
  return ends ? END : OTHER;
}

function responsesSignal(event: SseEvent): StreamSignal {
  const type = event.event ?? parse(event.data)?.type;
  if (typeof type !== 'string') return OTHER;
  if (type === 'response.failed' || type === 'error') {
    const data = parse(event.data);
    const inner = isObject(data?.response) ? data.response.error : data;
    return { kind: 'error', error: parseUpstreamError(200, { error: inner ?? data }) };
  }
  if (type === 'response.completed' || type === 'response.incomplete') return END;
  if (type.endsWith('.delta') || type === 'response.output_item.added') return CONTENT;
  return OTHER;
}

/** Classifies one event of a stream in `format` (the client's and the upstream's, in passthrough). */
export function streamSignal(format: ApiFormat, event: SseEvent): StreamSignal {
  switch (format) {
    case 'anthropic_messages':
      return anthropicSignal(event);
    case 'openai_chat':
      return chatSignal(event);
    case 'openai_responses':
      return responsesSignal(event);
    case 'gemini':
      return event.data.includes('"text"') || event.data.includes('"functionCall"') ? CONTENT : OTHER;
  }
}

/**
 * Folds the usage an event reports into what is known so far. Only events that can carry usage
 * are parsed (their data mentions "usage"); later counts replace earlier ones, never summed.
 */
export function foldStreamUsage(
  format: ApiFormat,
  event: SseEvent,
  known: UsageSummary | undefined,
): UsageSummary | undefined {
  if (!event.data.includes('"usage"')) return known;
  const data = parse(event.data);
  if (!data) return known;
  switch (format) {
    case 'anthropic_messages': {
      const source = event.event === 'message_start' && isObject(data.message) ? data.message.usage : data.usage;
      if (!isObject(source)) return known;
      const next = anthropicUsage(source);
      if (!known) return next;
      // message_delta repeats counters only sometimes: keep what it omits.
      return {
        input_tokens:
          source.input_tokens !== undefined && num(source.input_tokens) > 0 ? next.input_tokens : known.input_tokens,
        output_tokens: next.output_tokens || known.output_tokens,
        cache_read_tokens:
          source.cache_read_input_tokens !== undefined ? next.cache_read_tokens : known.cache_read_tokens,
        cache_write_tokens:
          source.cache_creation_input_tokens !== undefined ? next.cache_write_tokens : known.cache_write_tokens,
      };
    }
    case 'openai_chat':
      return isObject(data.usage) ? chatUsage(data.usage) : known;
    case 'openai_responses': {
      const response = isObject(data.response) ? data.response : undefined;
      return response && isObject(response.usage) ? responsesUsage(response.usage) : known;
    }
    case 'gemini':
      return known;
  }
}

/** Usage from a whole non-streaming response body in `format`. */
export function bodyUsage(format: ApiFormat, body: unknown): UsageSummary | undefined {
  if (!isObject(body) || !isObject(body.usage)) return undefined;
  if (format === 'anthropic_messages') return anthropicUsage(body.usage);
  if (format === 'openai_chat') return chatUsage(body.usage);
  if (format === 'openai_responses') return responsesUsage(body.usage);
  return undefined;
}
