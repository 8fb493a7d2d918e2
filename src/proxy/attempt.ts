import { mayNeedThinkingChange, thinkingForModel } from '../formats/anthropic/thinking-for-model.js';
import {
  filterThinking,
  holdsSignatureTag,
  mayHoldSignatures,
  signatureTagHead,
} from '../formats/anthropic/thinking-provenance.js';
import type { AnthropicRequest } from '../formats/anthropic/types.js';
import { findConverter } from '../formats/convert/registry.js';
import { ConversionError } from '../formats/convert/types.js';
import { parseUpstreamError } from '../formats/errors/parse-upstream-error.js';
import { newId } from '../formats/ids.js';
import { replaceString } from '../formats/json-scan.js';
import type { AttemptInput, AttemptResult, Prepared, ReasoningRefused } from './attempt-types.js';
import { decodedBody, isEncoded } from './content-decoding.js';
import { ConvertPump } from './convert-pump.js';
import { convertRequestBody } from './convert-request.js';
import { GatewayError, transportError } from './gateway-error.js';
import { clientResponseHeaders, NamePrefixes, upstreamHeaders } from './headers.js';
import { signerOf } from './provenance.js';
import { PassthroughPump } from './pump.js';
import { reasoningRefusal, reasoningValue } from './reasoning-refusals.js';
import { clientLeft, relayStream } from './relay.js';
import { SSE_HEADERS } from './respond.js';
import type { ResponseHeaders } from './response-headers.js';
import { mapModel, resolveAuth } from './target.js';
import type { UpstreamRequest, UpstreamResponse } from './upstream-client.js';
import { joinUpstreamUrl, upstreamBase } from './upstream-url.js';
import { encodeUtf8 } from './utf8.js';
import { pipeBody, relayWholeBody } from './whole-body.js';

export type { AttemptInput, AttemptResult } from './attempt-types.js';

const ERROR_BODY_LIMIT = 1024 * 1024;
function retryAfterMs(headers: ResponseHeaders): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const text = headers.get('retry-after');
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(text);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/**
 * The upstream error's headers a client acts on: when to retry (the SDKs read `retry-after-ms`
 * first), and the upstream's request id, for a support ticket (respond.ts names it as the
 * client's API does).
 */
function errorHeaders(headers: ResponseHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  const retry = headers.get('retry-after');
  if (retry) kept['retry-after'] = retry;
  const retryMs = headers.get('retry-after-ms');
  if (retryMs) kept['retry-after-ms'] = retryMs;
  const id = headers.get('request-id') ?? headers.get('x-request-id');
  if (id) kept['request-id'] = id;
  return kept;
}

/**
 * Whether an Anthropic request body can hold thinking blocks this target must not see: one of
 * Swixter's own signature tags, or a signature while another profile has produced some. A byte
 * search: the body is parsed only when the answer is yes.
 */
function mayHoldForeignThinking(input: AttemptInput): boolean {
  if (input.clientFormat !== 'anthropic_messages' || input.target.format !== 'anthropic_messages') return false;
  const body = input.body;
  // One scan of a multi-MB body costs about a third of a millisecond: scan only for what can matter.
  if (!input.rt.provenance.hasOtherThan(signerOf(input.target))) return holdsSignatureTag(body);
  return mayHoldSignatures(body);
}

/** The request without thinking blocks made by another profile, or undefined when nothing was removed. */
function withoutForeignThinking(input: AttemptInput): AnthropicRequest | undefined {
  const json = input.facts.json;
  if (!json || !Array.isArray(json.messages)) return undefined;
  const { target } = input;
  const keep = input.rt.provenance.keepFor(signerOf(target), target.quirks.anthropicSignatures === true);
  const filtered = filterThinking(json as unknown as AnthropicRequest, keep);
  if (filtered.dropped === 0) return undefined;
  const note = filtered.droppedFromLastAssistant ? '; thinking off for this request' : '';
  input.rt.logger.debug(
    `${input.target.label}: removed ${filtered.dropped} thinking block(s) made by another profile${note}`,
  );
  return filtered.request;
}

/** signatureTagHead per target label (labels come from the config: a handful; cleared if edits pile up). */
const tagHeads = new Map<string, string>();
function tagHeadOf(label: string): string {
  let head = tagHeads.get(label);
  if (head === undefined) {
    if (tagHeads.size >= 256) tagHeads.clear();
    head = signatureTagHead(label);
    tagHeads.set(label, head);
  }
  return head;
}

/** An Anthropic request whose model the profile maps to a Claude model of another thinking generation. */
const thinkingMayMismatch = (input: AttemptInput, upstreamModel: string): boolean =>
  input.clientFormat === 'anthropic_messages' &&
  input.apiCall &&
  upstreamModel !== '' &&
  mayNeedThinkingChange(input.facts.model, upstreamModel);

/**
 * The upstream request body and path: passthrough (model mapped) or converted; `withoutReasoning`:
 * converted without a reasoning parameter (as for a model known to refuse it).
 */
function prepare(input: AttemptInput, withoutReasoning: boolean): Prepared {
  const { target, facts, clientFormat } = input;
  const upstreamModel = facts.model ? mapModel(target.profile, facts.model) : '';
  if (target.format === clientFormat || !input.apiCall) {
    const filtered = mayHoldForeignThinking(input) ? withoutForeignThinking(input) : undefined;
    // a model mapped to a Claude model of another thinking generation: the client's thinking
    // settings are rewritten to what that model takes (the body is parsed only then)
    const mismatch = thinkingMayMismatch(input, upstreamModel);
    const parsed = filtered ?? (mismatch ? facts.json : undefined);
    const thinking = parsed && mismatch ? thinkingForModel(parsed, upstreamModel) : undefined;
    if (filtered || (parsed && thinking))
      return {
        path: input.pathname,
        body: encodeUtf8(JSON.stringify({ ...parsed, ...thinking, model: upstreamModel || parsed!.model })),
        converter: undefined,
        context: undefined,
        upstreamModel,
        reasoning: undefined,
      };
    // The body goes as it came; only the model string is swapped when the profile maps it.
    const body =
      facts.modelAt && upstreamModel !== facts.model
        ? replaceString(input.body, facts.modelAt, upstreamModel)
        : input.body.length > 0
          ? input.body
          : undefined;
    return {
      path: input.pathname,
      body,
      converter: undefined,
      context: undefined,
      upstreamModel,
      reasoning: undefined,
    };
  }
  const converter = findConverter(clientFormat, target.format);
  if (!converter) {
    throw new GatewayError(
      'invalid_request',
      `profile "${target.label}" speaks ${target.format}; converting ${clientFormat} requests to it is not supported yet (set the profile's --api-format)`,
      'config',
    );
  }
  const model = upstreamModel || facts.model;
  const refusals = input.rt.reasoningRefusals;
  const options = {
    upstreamModel: model,
    maxTokensCap: target.maxTokensCap,
    quirks: target.quirks,
    now: Math.floor(Date.now() / 1000),
    signatureTag: clientFormat === 'anthropic_messages' ? tagHeadOf(target.label) + newId('', 12) : undefined,
    omitReasoning: withoutReasoning || refusals.has(target.label, model),
    reasoningOwner: target.label,
  };
  let { converted, body } = convertRequestBody(converter, facts, options, input.rt.toolsMemo);
  let reasoning = reasoningValue(converted.body, target.format);
  if (reasoning !== undefined && refusals.hasValue(target.label, model, reasoning)) {
    // a value this model refused before: converted again without the parameter
    ({ converted, body } = convertRequestBody(
      converter,
      facts,
      { ...options, omitReasoning: true },
      input.rt.toolsMemo,
    ));
    reasoning = undefined;
  }
  for (const warning of converted.warnings) input.rt.logger.debug(`${target.label}: ${warning}`);
  return { path: converted.path, body, converter, context: converted.context, upstreamModel, reasoning };
}

/** Headers of the client's own SDK and session that mean nothing to a provider of another API. */
const CLIENT_SDK_HEADERS = [
  'x-stainless-',
  'x-codex-',
  'x-claude-code-',
  'x-app',
  'session-id',
  'thread-id',
  'x-client-request-id',
  'originator',
  'openai-beta',
];
const CLIENT_SDK_PREFIXES = new NamePrefixes(CLIENT_SDK_HEADERS);
/** …and, for a provider of another API than Anthropic's, the Anthropic client's own (anthropic-beta …). */
const CLIENT_SDK_AND_ANTHROPIC_PREFIXES = new NamePrefixes([...CLIENT_SDK_HEADERS, 'anthropic-']);
/** Swixter's own header never leaves the proxy. */
const DROP_ALWAYS: ReadonlySet<string> = new Set(['x-swixter-token']);
/** The Messages API version sent when a converted request's client did not name one. */
const ANTHROPIC_VERSION = '2023-06-01';

/**
 * Sends the request to one target and relays a good answer; nothing is written to the client on
 * failure. `again`: this is the request sent a second time, without the reasoning parameter the
 * upstream refused.
 */
export async function attempt(input: AttemptInput, again = false): Promise<AttemptResult> {
  const { rt, target } = input;
  const startedAt = performance.now();
  const where = `profile "${target.label}"`;
  const auth = resolveAuth(target.auth);
  if (auth.kind === 'missing') {
    const error = new GatewayError(
      'authentication',
      `${where} reads its API key from $${auth.variable}, which is not set in the proxy's environment`,
      'config',
    );
    return { committed: false, error, status: null };
  }
  let prepared: Prepared;
  try {
    prepared = prepare(input, again);
  } catch (err) {
    if (err instanceof GatewayError) return { committed: false, error: err, status: null };
    if (err instanceof ConversionError)
      return { committed: false, error: new GatewayError('invalid_request', err.message, 'conversion'), status: null };
    throw err;
  }
  const converted = prepared.converter !== undefined;
  const url = joinUpstreamUrl(target.baseURL, prepared.path, converted ? '' : input.search);
  const whereHost = `${where} (${upstreamBase(target.baseURL).host})`;
  const headers = upstreamHeaders(input.req.headers, {
    auth,
    inject: target.headers,
    // Swixter reads API answers (usage, errors, the gate), so it asks for them uncompressed.
    identityEncoding: input.apiCall || converted || input.gate,
    isLocalToken: rt.isLocalToken,
    dropPrefixes: converted
      ? target.format === 'anthropic_messages'
        ? CLIENT_SDK_PREFIXES
        : CLIENT_SDK_AND_ANTHROPIC_PREFIXES
      : undefined,
    drop: DROP_ALWAYS,
    forwardStyle: converted ? (target.format === 'anthropic_messages' ? 'x-api-key' : 'bearer') : undefined,
  });
  if (converted) headers['content-type'] = 'application/json';
  if (converted && target.format === 'anthropic_messages') headers['anthropic-version'] ??= ANTHROPIC_VERSION;
  const request: UpstreamRequest = {
    origin: url.origin,
    path: url.path,
    method: input.req.method ?? 'POST',
    headers,
    body: prepared.body,
    signal: input.signal,
    timeoutMs: rt.settings.timeout,
    // a non-streaming answer's headers come once the whole answer is made: minutes, for a long one
    headersTimeoutMs: input.facts.stream ? rt.settings.timeout : rt.settings.nonStreamingTimeout,
  };
  let upstream: UpstreamResponse;
  try {
    upstream = await rt.upstream.send(request);
  } catch (err) {
    // the client's leaving aborts the request: that is not the upstream's failure
    const error = input.clientGone()
      ? clientLeft(whereHost)
      : transportError(err, whereHost, input.facts.stream ? 'proxy.timeout' : 'proxy.nonStreamingTimeout');
    return { committed: false, error, status: null };
  }
  let result: AttemptResult;
  try {
    result = await answer(input, prepared, upstream, whereHost);
  } catch (err) {
    upstream.body.destroy(); // a paused body would otherwise hold its connection for good
    throw err;
  }
  const value = prepared.reasoning;
  const refusal =
    !again && !result.committed && value !== undefined
      ? reasoningRefusal(result.status, result.upstreamMessage ?? '')
      : undefined;
  if (refusal !== undefined && value !== undefined && !result.committed && !input.clientGone()) {
    // Nothing reached the client: the same request goes again, without the parameter; the
    // model's later requests go without it too (with that value only, when only the value was refused).
    const model = prepared.upstreamModel || input.facts.model;
    if (refusal === 'model') rt.reasoningRefusals.add(target.label, model);
    else rt.reasoningRefusals.addValue(target.label, model, value);
    rt.logger.info(
      refusal === 'model'
        ? `${where}: model ${model} refused the reasoning parameter; sending its requests without it`
        : `${where}: model ${model} refused the reasoning value ${value}; sending such requests without it`,
    );
    const refused: ReasoningRefused = {
      status: result.status,
      message: result.error.message,
      durationMs: performance.now() - startedAt,
    };
    return { ...(await attempt(input, true)), reasoningRefused: refused };
  }
  return result;
}

/** The upstream answered (headers in hand): its error, its stream or its whole body, to the client. */
async function answer(
  input: AttemptInput,
  prepared: Prepared,
  upstream: UpstreamResponse,
  whereHost: string,
): Promise<AttemptResult> {
  const { rt, res, target, clientFormat } = input;
  const converted = prepared.converter !== undefined;
  const { statusCode, headers: upHeaders, body } = upstream;
  const contentType = upHeaders.get('content-type') ?? '';

  if (statusCode >= 400 || statusCode < 200) {
    let raw: { bytes: Buffer; truncated: boolean } = { bytes: Buffer.alloc(0), truncated: false };
    try {
      raw = await body.readAll(ERROR_BODY_LIMIT);
    } catch {
      // a cut error body still has a status worth reporting
    }
    const text = decodedBody(raw.bytes, upHeaders.get('content-encoding'), ERROR_BODY_LIMIT) ?? raw.bytes;
    const parsed = parseUpstreamError(statusCode, text.toString('utf8'));
    const error = new GatewayError(
      parsed.kind,
      `${whereHost} answered HTTP ${statusCode}: ${parsed.message}`,
      'http_status',
      statusCode,
      retryAfterMs(upHeaders),
      errorHeaders(upHeaders),
      { upstreamType: parsed.upstreamType, upstreamCode: parsed.upstreamCode },
    );
    if (converted) return { committed: false, error, status: statusCode, upstreamMessage: parsed.message };
    // Same format: the upstream's own error goes to the client unchanged (bytes and headers),
    // with the length recomputed when the body had to be cut, and the profile's key masked when
    // the upstream echoed it (a client with only the proxy token must not learn it).
    const plain = text === raw.bytes ? raw.bytes.toString('utf8') : undefined;
    const masked = plain === undefined ? undefined : rt.redactSecrets(plain);
    const bytes = masked === undefined || masked === plain ? raw.bytes : Buffer.from(masked);
    const headers = clientResponseHeaders(upHeaders, raw.truncated || bytes !== raw.bytes);
    return { committed: false, error, status: statusCode, passthrough: { status: statusCode, headers, body: bytes } };
  }

  if (contentType.includes('text/event-stream')) {
    const encoding = upHeaders.get('content-encoding');
    if (converted && isEncoded(encoding)) {
      // a compressed stream cannot be converted event by event: a failure that can fail over
      body.destroy();
      const message = `${whereHost} compressed its event stream (content-encoding: ${encoding}) although Swixter asked for identity; a compressed stream cannot be converted`;
      return {
        committed: false,
        error: new GatewayError('upstream_failed', message, 'stream_error'),
        status: statusCode,
      };
    }
    if (isEncoded(encoding)) {
      // compressed although Swixter asked for identity: its events cannot be read, so nothing can
      // be held back for a failover, checked for an end, or added to it: the bytes are piped as sent
      const piped = await pipeBody(input, statusCode, upHeaders, body, prepared.upstreamModel);
      return piped.committed ? { ...piped, stream: true } : piped;
    }
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
      cutBy: () => input.signal.cutBy,
      commit: () => res.writeHead(statusCode, converted ? { ...SSE_HEADERS } : clientResponseHeaders(upHeaders, false)),
    });
    if (!result.committed) return { committed: false, error: result.failure, status: statusCode };
    const signer = signerOf(target);
    if (clientFormat === 'anthropic_messages') rt.provenance.answered(signer);
    for (const signature of pump.signatures) rt.provenance.record(signature, signer);
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

  return await relayWholeBody(input, prepared, upstream, whereHost);
}
