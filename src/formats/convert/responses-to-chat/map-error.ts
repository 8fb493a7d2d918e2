import type { NormalizedError } from '../../errors/error-kinds.js';
import { CONTEXT_MESSAGE, openaiErrorCode } from '../../errors/render-error.js';

/** The codes Codex treats specially in `response.failed` (protocol-notes §3); others are retried. */
export type ResponsesErrorCode =
  | 'rate_limit_exceeded'
  | 'context_length_exceeded'
  | 'insufficient_quota'
  | 'usage_not_included'
  | 'server_error';

/** The phrase Codex parses a retry delay from: "try again in 1.5s" (s, ms, seconds). */
const CODEX_RETRY = /try again in\s*\d+(?:\.\d+)?\s*(?:s|ms|seconds?)\b/i;
/** Other ways providers say it: "Please retry in 37.5s", "retry after 20 seconds". */
const OTHER_RETRY = /(?:retry|try again) (?:in|after)\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|secs|seconds?)\b/i;

/** `response.error` for a failure after the stream started (case 99). */
export function responsesError(err: NormalizedError): { code: ResponsesErrorCode; message: string } {
  const code = responsesErrorCode(err);
  const message = code === 'rate_limit_exceeded' ? withRetryHint(err.message) : err.message;
  return { code, message };
}

function responsesErrorCode(err: NormalizedError): ResponsesErrorCode {
  const upstream = openaiErrorCode(err);
  const type = err.upstreamType;
  if (upstream === 'context_length_exceeded' || type === 'context_length_exceeded') return 'context_length_exceeded';
  if (upstream === 'insufficient_quota' || type === 'insufficient_quota') return 'insufficient_quota';
  if (upstream === 'usage_not_included') return 'usage_not_included';
  if (upstream === 'rate_limit_exceeded' || err.kind === 'rate_limited') return 'rate_limit_exceeded';
  if (err.kind === 'invalid_request' && CONTEXT_MESSAGE.test(err.message)) return 'context_length_exceeded';
  return 'server_error';
}

/** Rephrases a known retry delay so Codex can read it ("try again in Ns"). */
function withRetryHint(message: string): string {
  if (CODEX_RETRY.test(message)) return message;
  const match = OTHER_RETRY.exec(message);
  if (match?.[1] === undefined) return message;
  const unit = match[2] === 'ms' ? 'ms' : 's';
  return `${message} Please try again in ${match[1]}${unit}.`;
}
