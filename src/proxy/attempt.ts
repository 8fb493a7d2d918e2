import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { ApiFormat } from '../formats/api-format.js';
import { findConverter } from '../formats/convert/registry.js';
import {
  type ConversionContext,
  ConversionError,
  type Converter,
  type UsageSummary,
} from '../formats/convert/types.js';
import { parseUpstreamError } from '../formats/errors/parse-upstream-error.js';
import { bodyUsage } from '../formats/stream-signals.js';
import { GatewayError, transportError } from './gateway-error.js';
import { clientResponseHeaders, upstreamHeaders } from './headers.js';
import { ConvertPump, PassthroughPump } from './pump.js';
import { relayStream } from './relay.js';
import type { RequestFacts } from './request-body.js';
import { SSE_HEADERS, sendJson } from './respond.js';
import type { ProxyRuntime } from './runtime.js';
import { mapModel, type Target } from './target.js';
import type { UpstreamRequest } from './upstream-client.js';
import { joinUpstreamUrl } from './upstream-url.js';

export interface AttemptInput {
  rt: ProxyRuntime;
  req: IncomingMessage;
  res: ServerResponse;
  clientFormat: ApiFormat;
  /** The request is one of the API calls Swixter understands (messages, chat, responses, count_tokens). */
  apiCall: boolean;
  pathname: string;
  search: string;
  body: Buffer;
  facts: RequestFacts;
  target: Target;
  /** More targets follow: hold the response until it is known to be good (the failover gate). */
  gate: boolean;
  signal: AbortSignal;
  clientGone: () => boolean;
}

/** What reached the client, or why nothing did. */
export type AttemptResult =
  | {
      committed: true;
      status: number;
      bytes: number;
      firstByteAt: number | undefined;
      usage: UsageSummary | undefined;
      upstreamModel: string;
      stream: boolean;
      /** Set when the response was sent but ended badly (mid-stream error, cut). */
      error?: GatewayError;
      responseSample?: string;
    }
  | {
      committed: false;
      error: GatewayError;
      /** The upstream's HTTP status, when it answered. */
      status: number | null;
      /** The upstream's own error response, for a same-format client (sent unchanged if this is the final answer). */
      passthrough?: { status: number; headers: Record<string, string | string[]>; body: string };
    };

const ERROR_BODY_LIMIT = 1024 * 1024;
const JSON_BODY_LIMIT = 64 * 1024 * 1024;

async function readText(body: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    if (size + buf.length > limit) {
      chunks.push(buf.subarray(0, limit - size));
      body.destroy();
      break;
    }
    chunks.push(buf);
    size += buf.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}

function retryAfterMs(headers: Record<string, string | string[] | undefined>): number | undefined {
  const ms = Number(headers['retry-after-ms']);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers['retry-after'];
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(text);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

interface Prepared {
  path: string;
  body: Buffer | string | undefined;
  converter: Converter | undefined;
  context: ConversionContext | undefined;
  upstreamModel: string;
}

/** The upstream request body and path: passthrough (model mapped) or converted. */
function prepare(input: AttemptInput): Prepared {
  const { target, facts, clientFormat } = input;
  const upstreamModel = facts.model ? mapModel(target.profile, facts.model) : '';
  if (target.format === clientFormat || !input.apiCall) {
    const rewrite = facts.json !== undefined && upstreamModel !== facts.model;
    const body = rewrite
      ? JSON.stringify({ ...facts.json, model: upstreamModel })
      : input.body.length > 0
        ? input.body
        : undefined;
    return { path: input.pathname, body, converter: undefined, context: undefined, upstreamModel };
  }
  const converter = findConverter(clientFormat, target.format);
  if (!converter) {
    throw new GatewayError(
      'invalid_request',
      `profile "${target.label}" speaks ${target.format}; converting ${clientFormat} requests to it is not supported yet (set the profile's --api-format)`,
      'config',
    );
  }
  if (!facts.json) throw new GatewayError('invalid_request', 'request body is not a JSON object', 'conversion');
  const converted = converter.request(facts.json, {
    upstreamModel: upstreamModel || facts.model,
    maxTokensCap: target.maxTokensCap,
    quirks: target.quirks,
    now: Math.floor(Date.now() / 1000),
  });
  for (const warning of converted.warnings) input.rt.logger.debug(`${target.label}: ${warning}`);
  return {
    path: converted.path,
    body: JSON.stringify(converted.body),
    converter,
    context: converted.context,
    upstreamModel,
  };
}

/** Sends the request to one target and relays a good answer; nothing is written to the client on failure. */
export async function attempt(input: AttemptInput): Promise<AttemptResult> {
  const { rt, target, res, clientFormat } = input;
  const where = `profile "${target.label}"`;
  if (target.auth.kind === 'missing-env') {
    const error = new GatewayError(
      'authentication',
      `${where} reads its API key from $${target.auth.variable}, which is not set in the proxy's environment`,
      'config',
    );
    return { committed: false, error, status: null };
  }
  let prepared: Prepared;
  try {
    prepared = prepare(input);
  } catch (err) {
    if (err instanceof GatewayError) return { committed: false, error: err, status: null };
    if (err instanceof ConversionError)
      return { committed: false, error: new GatewayError('invalid_request', err.message, 'conversion'), status: null };
    throw err;
  }
  const converted = prepared.converter !== undefined;
  const url = joinUpstreamUrl(target.baseURL, prepared.path, converted ? '' : input.search);
  const whereHost = `${where} (${new URL(url.origin).host})`;
  const headers = upstreamHeaders(input.req.headers, {
    auth: target.auth,
    inject: target.headers,
    identityEncoding: converted || input.gate,
    isLocalToken: rt.isLocalToken,
    drop: converted && target.format !== 'anthropic_messages' ? ANTHROPIC_ONLY : undefined,
    forwardStyle: converted ? (target.format === 'anthropic_messages' ? 'x-api-key' : 'bearer') : undefined,
  });
  if (converted) headers['content-type'] = 'application/json';
  const request: UpstreamRequest = {
    origin: url.origin,
    path: url.path,
    method: input.req.method ?? 'POST',
    headers,
    body: prepared.body,
    signal: input.signal,
    timeoutMs: rt.settings.timeout,
  };
  let upstream: Awaited<ReturnType<typeof rt.upstream.send>>;
  try {
    upstream = await rt.upstream.send(request);
  } catch (err) {
    return { committed: false, error: transportError(err, whereHost), status: null };
  }
  const { statusCode, headers: upHeaders, body } = upstream;
  const contentType = String(upHeaders['content-type'] ?? '');

  if (statusCode >= 400 || statusCode < 200) {
    let text = '';
    try {
      text = await readText(body, ERROR_BODY_LIMIT);
    } catch {
      // a cut error body still has a status worth reporting
    }
    const parsed = parseUpstreamError(statusCode, text);
    const wait = retryAfterMs(upHeaders);
    const retryHeader = upHeaders['retry-after'];
    const error = new GatewayError(
      parsed.kind,
      `${whereHost} answered HTTP ${statusCode}: ${rt.redact(parsed.message)}`,
      'http_status',
      statusCode,
      wait,
      typeof retryHeader === 'string' ? { 'retry-after': retryHeader } : {},
    );
    const sameFormat = !converted;
    return {
      committed: false,
      error,
      status: statusCode,
      ...(sameFormat
        ? { passthrough: { status: statusCode, headers: clientResponseHeaders(upHeaders, false), body: text } }
        : {}),
    };
  }

  if (contentType.includes('text/event-stream')) {
    const pump = converted
      ? new ConvertPump(prepared.converter!.stream(prepared.context!))
      : new PassthroughPump(clientFormat);
    const result = await relayStream({
      res,
      body,
      pump,
      gate: input.gate,
      firstEventTimeoutMs: rt.settings.failover.firstEventTimeoutMs,
      where: whereHost,
      clientGone: input.clientGone,
      commit: () => res.writeHead(statusCode, converted ? { ...SSE_HEADERS } : clientResponseHeaders(upHeaders, false)),
    });
    if (!result.committed) return { committed: false, error: result.failure, status: statusCode };
    return {
      committed: true,
      status: statusCode,
      bytes: result.bytes,
      firstByteAt: result.firstByteAt,
      usage: pump.usage,
      upstreamModel: prepared.upstreamModel,
      stream: true,
      ...(result.error ? { error: result.error } : {}),
    };
  }

  // A whole (non-streaming) body.
  if (!converted && !input.gate) return pipeBody(input, statusCode, upHeaders, body, prepared.upstreamModel);
  let text: string;
  try {
    text = await readText(body, JSON_BODY_LIMIT);
  } catch (err) {
    return { committed: false, error: transportError(err, whereHost), status: statusCode };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!converted) {
    const inBody =
      typeof json === 'object' && json !== null && ('error' in json || (json as { type?: unknown }).type === 'error');
    if (inBody) {
      const parsed = parseUpstreamError(200, json);
      return {
        committed: false,
        error: new GatewayError(
          parsed.kind,
          `${whereHost} answered 200 with an error: ${parsed.message}`,
          'stream_error',
          parsed.status,
        ),
        status: statusCode,
      };
    }
    const firstByteAt = performance.now();
    res.writeHead(statusCode, clientResponseHeaders(upHeaders, false));
    res.end(text);
    return {
      committed: true,
      status: statusCode,
      bytes: Buffer.byteLength(text),
      firstByteAt,
      usage: bodyUsage(clientFormat, json),
      upstreamModel: prepared.upstreamModel,
      stream: false,
      responseSample: text,
    };
  }
  if (json === undefined) {
    return {
      committed: false,
      error: new GatewayError(
        'upstream_failed',
        `${whereHost} answered ${statusCode} with a body that is not JSON (${contentType || 'no content type'})`,
        'stream_error',
      ),
      status: statusCode,
    };
  }
  const result = prepared.converter!.response(json, prepared.context!);
  if (!result.ok) {
    const e = result.error;
    return {
      committed: false,
      error: new GatewayError(
        e.kind,
        `${whereHost} answered 200 with an error: ${e.message}`,
        'stream_error',
        e.status,
      ),
      status: statusCode,
    };
  }
  const firstByteAt = performance.now();
  const bytes = sendJson(res, statusCode, result.body);
  return {
    committed: true,
    status: statusCode,
    bytes,
    firstByteAt,
    usage: result.usage,
    upstreamModel: prepared.upstreamModel,
    stream: false,
  };
}

const ANTHROPIC_ONLY: ReadonlySet<string> = new Set([
  'anthropic-version',
  'anthropic-beta',
  'anthropic-dangerous-direct-browser-access',
]);

/** Passthrough of a whole body: bytes piped as they come; the first MB is kept for usage and logs. */
async function pipeBody(
  input: AttemptInput,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: Readable,
  upstreamModel: string,
): Promise<AttemptResult> {
  const { res } = input;
  res.writeHead(status, clientResponseHeaders(headers, false));
  const firstByteAt = performance.now();
  const sample: Buffer[] = [];
  let sampled = 0;
  let bytes = 0;
  const plain = headers['content-encoding'] === undefined && String(headers['content-type'] ?? '').includes('json');
  try {
    for await (const chunk of body) {
      const buf = chunk as Buffer;
      bytes += buf.length;
      if (plain && sampled < 1024 * 1024) {
        sample.push(buf);
        sampled += buf.length;
      }
      if (!res.write(buf)) await new Promise((done) => res.once('drain', done));
    }
  } catch (err) {
    res.destroy();
    return {
      committed: true,
      status,
      bytes,
      firstByteAt,
      usage: undefined,
      upstreamModel,
      stream: false,
      error: transportError(err, `profile "${input.target.label}"`),
    };
  }
  res.end();
  const text = Buffer.concat(sample).toString('utf8');
  let usage: UsageSummary | undefined;
  try {
    usage = plain ? bodyUsage(input.clientFormat, JSON.parse(text)) : undefined;
  } catch {
    usage = undefined;
  }
  return { committed: true, status, bytes, firstByteAt, usage, upstreamModel, stream: false, responseSample: text };
}
