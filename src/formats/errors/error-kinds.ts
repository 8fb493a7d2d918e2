import type { AnthropicErrorType } from '../anthropic/types.js';

/**
 * The stable error kinds Swixter reports. `type` is the Anthropic error type; OpenAI-shaped
 * errors reuse it as `error.type` (protocol-notes §5.4). Logs and tests match on the kind.
 */
export const ERROR_KINDS = {
  invalid_request: { status: 400, type: 'invalid_request_error' },
  authentication: { status: 401, type: 'authentication_error' },
  billing: { status: 402, type: 'billing_error' },
  permission: { status: 403, type: 'permission_error' },
  not_found: { status: 404, type: 'not_found_error' },
  too_large: { status: 413, type: 'request_too_large' },
  rate_limited: { status: 429, type: 'rate_limit_error' },
  api_error: { status: 500, type: 'api_error' },
  upstream_failed: { status: 502, type: 'api_error' },
  unavailable: { status: 503, type: 'api_error' },
  upstream_timeout: { status: 504, type: 'timeout_error' },
  overloaded: { status: 529, type: 'overloaded_error' },
} as const satisfies Record<string, { status: number; type: AnthropicErrorType }>;

export type ErrorKind = keyof typeof ERROR_KINDS;

/** Maps an HTTP status to the error kind clients expect for it (protocol-notes §1.7, §5.4). */
export function kindForStatus(status: number): ErrorKind {
  switch (status) {
    case 400:
      return 'invalid_request';
    case 401:
      return 'authentication';
    case 402:
      return 'billing';
    case 403:
      return 'permission';
    case 404:
      return 'not_found';
    case 413:
      return 'too_large';
    case 429:
      return 'rate_limited';
    case 502:
      return 'upstream_failed';
    case 503:
      return 'unavailable';
    case 504:
      return 'upstream_timeout';
    case 529:
      return 'overloaded';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request';
  }
}

/** An error normalised from any upstream shape, ready to be rendered in the client's format. */
export interface NormalizedError {
  kind: ErrorKind;
  /** HTTP status to answer with; an upstream 503 stays 503 even though its kind says 502-ish. */
  status: number;
  message: string;
  /** The upstream's own type/code when it had one (e.g. "insufficient_quota"), for logs and Codex codes. */
  upstreamType?: string | undefined;
  upstreamCode?: string | undefined;
}

export function normalizedError(
  kind: ErrorKind,
  message: string,
  status: number = ERROR_KINDS[kind].status,
): NormalizedError {
  return { kind, status, message };
}
