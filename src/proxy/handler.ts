import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiFormat, clientFormatForPath } from '../formats/api-format.js';
import type { AccessEntry, AttemptEntry } from './access-log.js';
import { type AttemptResult, attempt } from './attempt.js';
import { recognizeClient } from './client-id.js';
import { GatewayError } from './gateway-error.js';
import { answerCountTokens, answerModels, configuredModels, type LocalAnswer } from './local-answers.js';
import { type Plan, PlanError, planRequest } from './plan.js';
import { type RequestFacts, readBody, requestFacts } from './request-body.js';
import { sendError } from './respond.js';
import type { ProxyRuntime } from './runtime.js';

/** The client format of a path Swixter does not convert: decided by the headers it carries. */
function formatOfOtherPath(pathname: string, req: IncomingMessage): ApiFormat {
  const known = clientFormatForPath(pathname);
  if (known) return known;
  return req.headers['anthropic-version'] !== undefined || req.headers['x-api-key'] !== undefined
    ? 'anthropic_messages'
    : 'openai_chat';
}

const truncate = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max)}…[${text.length - max} more]` : text;

interface Outcome {
  status: number;
  bytes: number;
  firstByteAt: number | undefined;
  result: AttemptResult | undefined;
  error: GatewayError | undefined;
  target: Plan['targets'][number] | undefined;
  attempts: AttemptEntry[];
}

/** One API request: read, plan, try targets in order, answer, log. */
export async function handleApi(
  rt: ProxyRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  search: string,
): Promise<void> {
  const started = performance.now();
  const timestamp = new Date().toISOString();
  const clientFormat = formatOfOtherPath(pathname, req);
  const apiCall = clientFormatForPath(pathname) !== undefined;
  const client = recognizeClient(req.headers['user-agent']);
  const controller = new AbortController();
  let clientGone = false;
  res.on('close', () => {
    if (!res.writableFinished) {
      clientGone = true;
      controller.abort();
    }
  });

  let body: Buffer = Buffer.alloc(0);
  let facts: RequestFacts = { json: undefined, model: '', stream: false };
  let outcome: Outcome;
  try {
    body = await readBody(req, rt.settings.maxBodySize);
    facts = requestFacts(body);
    outcome = await serve(rt, req, res, {
      clientFormat,
      apiCall,
      pathname,
      search,
      body,
      facts,
      signal: controller.signal,
      clientGone: () => clientGone,
    });
  } catch (err) {
    const error =
      err instanceof GatewayError
        ? err
        : err instanceof PlanError
          ? new GatewayError('api_error', err.message, 'config')
          : new GatewayError('api_error', `internal error: ${(err as Error).message}`, 'config');
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

  const done = performance.now();
  const committed = outcome.result?.committed ? outcome.result : undefined;
  const upstreamOrigin = outcome.target ? new URL(outcome.target.baseURL).origin : null;
  const entry: AccessEntry = {
    timestamp,
    method: req.method ?? 'GET',
    path: `${pathname}${search}`,
    status: outcome.status,
    duration_ms: round(done - started),
    ttfb_ms: outcome.firstByteAt !== undefined ? round(outcome.firstByteAt - started) : null,
    request_size: body.length,
    response_size: outcome.bytes,
    profile: outcome.target?.profile?.name ?? outcome.target?.label ?? null,
    upstream: upstreamOrigin,
    model: facts.model || null,
    upstream_model: committed?.upstreamModel || null,
    stream: committed?.stream ?? facts.stream,
    client,
    format:
      outcome.target && outcome.target.format !== clientFormat
        ? `${clientFormat}->${outcome.target.format}`
        : clientFormat,
    ...(outcome.error ? { error: { kind: outcome.error.cause_, message: rt.redact(outcome.error.message) } } : {}),
    ...(outcome.attempts.length > 1 || outcome.attempts.some((a) => a.outcome !== 'ok')
      ? { attempts: outcome.attempts }
      : {}),
    ...(committed?.usage ? { usage: committed.usage } : {}),
  };
  if (rt.logger.enabled('debug')) {
    const max = rt.settings.maxBodyLogSize;
    entry.request_body = rt.redact(truncate(body.toString('utf8'), max));
    if (committed?.responseSample !== undefined)
      entry.response_body = rt.redact(truncate(committed.responseSample, max));
  }
  rt.accessLog.write(entry);
  rt.stats.record(
    outcome.status,
    client,
    outcome.target ? { profile: entry.profile ?? '-', upstream: upstreamOrigin ?? '-' } : undefined,
  );
  const model = entry.model
    ? ` model=${entry.model}${entry.upstream_model && entry.upstream_model !== entry.model ? `→${entry.upstream_model}` : ''}`
    : '';
  const err = entry.error ? ` error=${entry.error.kind}: ${entry.error.message}` : '';
  rt.logger.log(
    outcome.status >= 500 ? 'warn' : 'info',
    `${entry.method} ${entry.path} ${entry.status} ${entry.duration_ms}ms profile=${entry.profile ?? '-'}${model} client=${client}${err}`,
  );
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

interface ServeInput {
  clientFormat: ApiFormat;
  apiCall: boolean;
  pathname: string;
  search: string;
  body: Buffer;
  facts: RequestFacts;
  signal: AbortSignal;
  clientGone: () => boolean;
}

/** Tries the plan's targets in order until one answers; the failover decision lives here. */
async function serve(rt: ProxyRuntime, req: IncomingMessage, res: ServerResponse, input: ServeInput): Promise<Outcome> {
  const plan = planRequest(
    rt.config,
    rt.mode,
    { clientFormat: input.clientFormat, model: input.facts.model },
    rt.settings.headers,
    rt.settings.routes,
  );
  const local = answerLocally(req, res, input, plan);
  if (local) return { ...local, result: undefined, error: undefined, target: plan.targets[0], attempts: [] };
  const attempts: AttemptEntry[] = [];
  let last: { result: AttemptResult & { committed: false }; target: Plan['targets'][number] } | undefined;
  const targets = plan.targets;
  for (const [index, target] of targets.entries()) {
    const startedAt = performance.now();
    const gate = index < targets.length - 1;
    const result = await attempt({ rt, req, res, ...input, target, gate });
    const upstream = new URL(target.baseURL).origin;
    attempts.push({
      profile: target.label,
      upstream,
      status: result.committed ? result.status : result.status,
      outcome: result.committed ? (result.error ? result.error.cause_ : 'ok') : result.error.cause_,
      duration_ms: round(performance.now() - startedAt),
      ...(result.committed
        ? result.error
          ? { error: rt.redact(result.error.message) }
          : {}
        : { error: rt.redact(result.error.message) }),
    });
    if (result.committed) {
      return {
        status: result.status,
        bytes: result.bytes,
        firstByteAt: result.firstByteAt,
        result,
        error: result.error,
        target,
        attempts,
      };
    }
    last = { result, target };
    if (input.clientGone()) break;
    if (!shouldFailOver(rt, result)) break;
    if (gate)
      rt.logger.warn(
        `${target.label} failed (${result.error.cause_}): ${rt.redact(result.error.message)}; trying the next profile`,
      );
  }
  if (!last) throw new GatewayError('unavailable', 'no profile could be tried', 'config');
  const { result, target } = last;
  // The final answer is the last upstream error, in the client's shape (unchanged when formats match).
  if (result.passthrough && !res.headersSent) {
    res.writeHead(result.passthrough.status, result.passthrough.headers);
    res.end(result.passthrough.body);
    return {
      status: result.passthrough.status,
      bytes: Buffer.byteLength(result.passthrough.body),
      firstByteAt: performance.now(),
      result,
      error: result.error,
      target,
      attempts,
    };
  }
  const bytes = input.clientGone() ? 0 : sendError(res, input.clientFormat, result.error);
  return {
    status: result.error.status,
    bytes,
    firstByteAt: performance.now(),
    result,
    error: result.error,
    target,
    attempts,
  };
}

/**
 * Requests Swixter answers itself for non-Anthropic targets: count_tokens (an estimate; such
 * upstreams have no endpoint for it) and the model list (the profiles' configured models).
 */
function answerLocally(
  req: IncomingMessage,
  res: ServerResponse,
  input: ServeInput,
  plan: Plan,
): LocalAnswer | undefined {
  const first = plan.targets[0];
  if (!first?.profile) return undefined; // transparent mode forwards everything
  if (input.pathname === '/v1/messages/count_tokens' && first.format !== 'anthropic_messages')
    return answerCountTokens(res, input.facts);
  if (input.pathname === '/v1/models' && req.method === 'GET') {
    const ids = configuredModels(plan);
    if (ids.length > 0) return answerModels(res, req, input.clientFormat, ids);
  }
  return undefined;
}

/** Transport failures and the configured statuses move on; request errors (400, 404, 413, 422 …) do not. */
function shouldFailOver(rt: ProxyRuntime, result: AttemptResult & { committed: false }): boolean {
  switch (result.error.cause_) {
    case 'conversion':
      return false; // the request cannot be expressed: the client must change it
    case 'http_status':
    case 'stream_error':
      return rt.settings.failover.failoverOn.includes(result.error.status);
    default:
      return true; // transport failures, timeouts, empty or cut streams, a profile that cannot serve this format
  }
}
