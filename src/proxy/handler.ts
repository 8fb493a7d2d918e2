import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiFormat, clientFormatForPath } from '../formats/api-format.js';
import type { AccessEntry } from './access-log.js';
import { ClientGone } from './client-gone.js';
import { recognizeClient } from './client-id.js';
import { serve } from './failover.js';
import { GatewayError } from './gateway-error.js';
import { isoNow, type Outcome, round } from './outcome.js';
import { PlanError } from './plan.js';
import { clientSecrets } from './redact.js';
import { BodyTooLarge, EMPTY_FACTS, RequestFacts, readBody } from './request-body.js';
import { sendError } from './respond.js';
import type { ProxyRuntime } from './runtime.js';
import { upstreamBase } from './upstream-url.js';

/** The client format of a path Swixter does not convert: decided by the headers it carries. */
function formatOfOtherPath(pathname: string, req: IncomingMessage): ApiFormat {
  const known = clientFormatForPath(pathname);
  if (known) return known;
  return req.headers['anthropic-version'] !== undefined || req.headers['x-api-key'] !== undefined
    ? 'anthropic_messages'
    : 'openai_chat';
}

/**
 * Swixter relays HTTP requests only. An optional upgrade (`Upgrade: h2c` on a POST) is ignored, as
 * RFC 9110 §7.8 lets a server do (the header is hop-by-hop and not forwarded); a WebSocket
 * handshake cannot be served without one. Codex probes `GET /v1/responses` with `Upgrade: websocket`
 * first (with the built-in provider, or `supports_websockets`): 426 makes it fall back to HTTP at
 * once, where a 400 would make it give up (shared/design/real-clients.md).
 */
const WEBSOCKET = /\bwebsocket\b/i;
const upgradeRefused = (protocol: string): GatewayError =>
  new GatewayError(
    'invalid_request',
    `Swixter does not relay protocol upgrades (Upgrade: ${protocol.slice(0, 40)}): send the request over plain HTTP`,
    'upgrade_refused',
    426,
  );

const truncate = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max)}…[${text.length - max} more]` : text;

/** One API request: read, plan, try targets in order, answer, log. */
export async function handleApi(
  rt: ProxyRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  search: string,
): Promise<void> {
  rt.requestStarted(); // a shutdown waits for this request's log line
  try {
    const started = performance.now();
    const timestamp = isoNow();
    const clientFormat = formatOfOtherPath(pathname, req);
    const apiCall = clientFormatForPath(pathname) !== undefined;
    const client = recognizeClient(req.headers['user-agent']);
    const gone = new ClientGone(res);

    let body: Buffer = Buffer.alloc(0);
    let facts = EMPTY_FACTS;
    let outcome: Outcome;
    let tooLarge: BodyTooLarge | undefined;
    try {
      if (WEBSOCKET.test(req.headers.upgrade ?? '')) throw upgradeRefused(req.headers.upgrade!);
      body = await readBody(req, rt.settings.maxBodySize);
      facts = new RequestFacts(body);
      outcome = await serve(rt, req, res, {
        clientFormat,
        apiCall,
        pathname,
        search,
        body,
        facts,
        signal: gone,
        clientGone: () => gone.aborted,
      });
    } catch (err) {
      if (err instanceof BodyTooLarge) tooLarge = err;
      // the proxy stopped while the body was still arriving: its cut, not the client's leaving
      const error =
        gone.cutBy ??
        (err instanceof GatewayError
          ? err
          : err instanceof PlanError
            ? new GatewayError('api_error', err.message, 'config')
            : new GatewayError('api_error', `internal error: ${(err as Error).message}`, 'config'));
      if (!(err instanceof GatewayError || err instanceof PlanError))
        rt.logger.error(`unexpected: ${(err as Error).stack ?? err}`);
      const bytes = res.headersSent ? 0 : sendError(res, clientFormat, error);
      if (res.headersSent && !res.writableEnded) res.end();
      outcome = {
        status: error.status,
        bytes,
        firstByteAt: performance.now(),
        result: undefined,
        error,
        target: undefined,
        attempts: [],
      };
    }

    if (gone.cutBy && !res.headersSent) {
      // the proxy stops: an answer that had not begun is refused in the client's shape, not reset
      const bytes = sendError(res, clientFormat, gone.cutBy);
      outcome = { ...outcome, status: gone.cutBy.status, bytes, firstByteAt: performance.now(), error: gone.cutBy };
    }

    const done = performance.now();
    const committed = outcome.result?.committed ? outcome.result : undefined;
    const upstreamOrigin = outcome.target ? upstreamBase(outcome.target.baseURL).origin : null;
    const entry: AccessEntry = {
      timestamp,
      method: req.method ?? 'GET',
      path: search === '' ? pathname : rt.redact(`${pathname}${search}`), // ?key=… is a credential
      status: outcome.status,
      duration_ms: round(done - started),
      ttfb_ms: outcome.firstByteAt !== undefined ? round(outcome.firstByteAt - started) : null,
      request_size: tooLarge?.size ?? body.length,
      response_size: outcome.bytes,
      profile: outcome.target?.profile?.name ?? outcome.target?.label ?? null,
      upstream: upstreamOrigin,
      model: facts.model || tooLarge?.model || null,
      upstream_model: committed?.upstreamModel || null,
      stream: committed?.stream ?? facts.stream,
      client,
      format:
        outcome.target && outcome.target.format !== clientFormat
          ? `${clientFormat}->${outcome.target.format}`
          : clientFormat,
    };
    const listAttempts = outcome.attempts.length > 1 || outcome.attempts.some((a) => a.outcome !== 'ok');
    const debug = rt.logger.enabled('debug');
    // what an upstream echoes may hold the client's own key too (forwarded when a profile has none)
    const secrets = outcome.error || listAttempts || debug ? clientSecrets(req.headers) : [];
    if (outcome.error) entry.error = { kind: outcome.error.cause_, message: rt.redact(outcome.error.message, secrets) };
    if (listAttempts)
      entry.attempts = outcome.attempts.map((a) => (a.error ? { ...a, error: rt.redact(a.error, secrets) } : a));
    if (committed?.usage) entry.usage = committed.usage;
    if (debug) {
      // redacted whole, then cut: a secret cut in two would no longer be recognised
      const max = rt.settings.maxBodyLogSize;
      entry.request_body = truncate(rt.redact(body.toString('utf8'), secrets), max);
      if (committed?.responseSample !== undefined)
        entry.response_body = truncate(rt.redact(String(committed.responseSample), secrets), max);
    }
    rt.accessLog.write(entry);
    rt.stats.record(
      outcome.status,
      client,
      outcome.target ? { profile: entry.profile ?? '-', upstream: upstreamOrigin ?? '-' } : undefined,
    );
    const level = outcome.status >= 500 ? 'warn' : 'info';
    // a daemon's stderr file is not rotated: its requests, failed ones too, are in the access log
    if (rt.requestLines && rt.logger.enabled(level)) rt.logger.log(level, stderrLine(entry));
  } finally {
    rt.requestEnded();
  }
}

/**
 * The log line of a request the proxy answered itself before any API handling: 401 (the proxy's
 * token missing or wrong) and 404 (not a path Swixter serves). Its body was never read: the size
 * is the declared one.
 */
export function logLocalAnswer(
  rt: ProxyRuntime,
  req: IncomingMessage,
  request: { pathname: string; search: string; started: number; timestamp: string },
  answer: { status: number; bytes: number; kind: string; message: string },
): void {
  const { pathname, search } = request;
  const declared = Number(req.headers['content-length']);
  const client = recognizeClient(req.headers['user-agent']);
  const duration = round(performance.now() - request.started);
  const entry: AccessEntry = {
    timestamp: request.timestamp,
    method: req.method ?? 'GET',
    path: search === '' ? pathname : rt.redact(`${pathname}${search}`),
    status: answer.status,
    duration_ms: duration,
    ttfb_ms: duration,
    request_size: Number.isSafeInteger(declared) && declared >= 0 ? declared : 0,
    response_size: answer.bytes,
    profile: null,
    upstream: null,
    model: null,
    stream: false,
    client,
    format: formatOfOtherPath(pathname, req),
    error: { kind: answer.kind, message: answer.message },
  };
  rt.accessLog.write(entry);
  rt.stats.record(answer.status, client, undefined);
  if (rt.requestLines && rt.logger.enabled('info')) rt.logger.info(stderrLine(entry));
}

/** The one line a request gets on stderr at info level. */
function stderrLine(entry: AccessEntry): string {
  const mapped = entry.upstream_model && entry.upstream_model !== entry.model ? `→${entry.upstream_model}` : '';
  const model = entry.model ? ` model=${entry.model}${mapped}` : '';
  const err = entry.error ? ` error=${entry.error.kind}: ${entry.error.message}` : '';
  return `${entry.method} ${entry.path} ${entry.status} ${entry.duration_ms}ms profile=${entry.profile ?? '-'}${model} client=${entry.client}${err}`;
}
