import type { AnthropicErrorBody } from '../anthropic/types.js';
import type { ApiFormat } from '../api-format.js';
import type { ChatErrorBody } from '../openai-chat/types.js';
import type { SseFrame } from '../sse/types.js';
import { ERROR_KINDS, type NormalizedError } from './error-kinds.js';

export function anthropicErrorBody(err: NormalizedError): AnthropicErrorBody {
  return { type: 'error', error: { type: ERROR_KINDS[err.kind].type, message: err.message } };
}

/** How providers say a request is longer than the model's context (Anthropic: "prompt is too long"). */
export const CONTEXT_MESSAGE =
  /context[_ ]length|context window|maximum context|prompt is too long|too many (input )?tokens|reduce the length|exceeds? (?:the )?context limit/i;

/** Codex understands a few codes specially (protocol-notes §3); others are retried. */
export function openaiErrorCode(err: NormalizedError): string | null {
  if (err.upstreamCode) return err.upstreamCode;
  switch (err.kind) {
    case 'invalid_request':
      // OpenAI's own code for it, which clients branch on (trim the history and retry)
      return CONTEXT_MESSAGE.test(err.message) ? 'context_length_exceeded' : null;
    case 'rate_limited':
      return 'rate_limit_exceeded';
    case 'billing':
      return 'insufficient_quota';
    case 'authentication':
      return 'invalid_api_key';
    case 'overloaded':
    case 'unavailable':
      return 'server_is_overloaded';
    case 'upstream_timeout':
      return 'timeout';
    default:
      return null;
  }
}

export function openaiErrorBody(err: NormalizedError): ChatErrorBody {
  return { error: { message: err.message, type: ERROR_KINDS[err.kind].type, param: null, code: openaiErrorCode(err) } };
}

/** The JSON body and status of an error answered before any response byte, in the client's shape. */
export function renderError(clientFormat: ApiFormat, err: NormalizedError): { status: number; body: object } {
  const body = clientFormat === 'anthropic_messages' ? anthropicErrorBody(err) : openaiErrorBody(err);
  return { status: err.status, body };
}

/**
 * The frames that end a client stream after a failure once the 200 has been sent: Anthropic
 * `event: error` (protocol-notes §1.3), Chat a `data: {"error":…}` chunk (case 140). The
 * Responses converter owns its own `response.failed` (it needs the response id and sequence).
 */
export function streamErrorFrames(
  clientFormat: 'anthropic_messages' | 'openai_chat',
  err: NormalizedError,
): SseFrame[] {
  if (clientFormat === 'anthropic_messages') return [{ event: 'error', data: anthropicErrorBody(err) }];
  return [{ data: openaiErrorBody(err) }];
}
