import { ERROR_KINDS, type ErrorKind, kindForStatus, type NormalizedError } from './error-kinds.js';

const ANTHROPIC_TYPE_TO_KIND: Record<string, ErrorKind> = {
  invalid_request_error: 'invalid_request',
  authentication_error: 'authentication',
  billing_error: 'billing',
  permission_error: 'permission',
  not_found_error: 'not_found',
  request_too_large: 'too_large',
  rate_limit_error: 'rate_limited',
  api_error: 'api_error',
  timeout_error: 'upstream_timeout',
  overloaded_error: 'overloaded',
};

const GEMINI_STATUS_TO_HTTP: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

const MAX_MESSAGE = 1000;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE)}…` : flat;
}

/** Plain text or an HTML error page → a short readable message. */
function textMessage(text: string, status: number): string {
  const withoutTags = text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ');
  const clipped = clip(withoutTags);
  return clipped.length > 0 ? clipped : `upstream answered HTTP ${status} with an empty body`;
}

/**
 * Reads an error from any upstream shape — Anthropic `{type:"error",error}`, OpenAI `{error}`,
 * vLLM `{object:"error",message}`, Gemini `{error:{code,status}}` (possibly inside an array),
 * or plain text/HTML — and keeps the HTTP status (protocol-notes §5.4).
 *
 * `status` 200 means the error arrived inside a successful response (case 58): the status then
 * comes from the body's numeric code when it has one, else 502.
 */
export function parseUpstreamError(status: number, body: string | unknown): NormalizedError {
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return withStatus(status, textMessage(body, status));
    }
  }
  if (Array.isArray(parsed) && parsed.length > 0) parsed = parsed[0];
  if (!isObject(parsed))
    return withStatus(status, typeof body === 'string' ? textMessage(body, status) : 'upstream error');

  const inner = isObject(parsed.error) ? parsed.error : undefined;
  const message =
    str(inner?.message) ??
    str(parsed.message) ??
    str(parsed.error) ??
    str(parsed.detail) ??
    `upstream answered HTTP ${status}`;
  const upstreamType = str(inner?.type) ?? str(parsed.type === 'error' ? undefined : parsed.type) ?? str(inner?.status);
  const rawCode = inner?.code ?? parsed.code;
  // a name a client can branch on ("insufficient_quota"); numbers ("1302", 429) name nothing to it
  const upstreamCode = typeof rawCode === 'string' && CODE_NAME.test(rawCode) ? rawCode : undefined;

  let effective = status;
  if (effective < 400) {
    const numeric = typeof rawCode === 'number' ? rawCode : Number.parseInt(String(rawCode ?? ''), 10);
    effective = Number.isInteger(numeric) && numeric >= 400 && numeric < 600 ? numeric : 502;
  }
  const geminiStatus = str(inner?.status);
  if (effective === 502 && status < 400 && geminiStatus && GEMINI_STATUS_TO_HTTP[geminiStatus]) {
    effective = GEMINI_STATUS_TO_HTTP[geminiStatus];
  }

  const anthropicKind = parsed.type === 'error' && upstreamType ? ANTHROPIC_TYPE_TO_KIND[upstreamType] : undefined;
  // An Anthropic error event inside a 200 stream has no status of its own: its type gives one.
  if (anthropicKind && status < 400 && typeof rawCode !== 'number') effective = ERROR_KINDS[anthropicKind].status;
  const kind = anthropicKind ?? kindForStatus(effective);
  return {
    kind,
    status: effective,
    message: clip(message),
    ...(upstreamType ? { upstreamType } : {}),
    ...(upstreamCode ? { upstreamCode } : {}),
  };
}

const CODE_NAME = /^[A-Za-z][\w.-]*$/;

function withStatus(status: number, message: string): NormalizedError {
  const effective = status < 400 ? 502 : status;
  return { kind: kindForStatus(effective), status: effective, message };
}

/** The status an error kind is answered with by default. */
export const statusOfKind = (kind: ErrorKind): number => ERROR_KINDS[kind].status;
