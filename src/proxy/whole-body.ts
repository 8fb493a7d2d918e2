import { mayHoldSignatures } from '../formats/anthropic/thinking-provenance.js';
import type { UsageSummary } from '../formats/convert/types.js';
import type { NormalizedError } from '../formats/errors/error-kinds.js';
import { parseUpstreamError } from '../formats/errors/parse-upstream-error.js';
import { lastTopLevelJson, topLevelJson, topLevelString } from '../formats/json-scan.js';
import { encodeFrames } from '../formats/sse/encode.js';
import type { SseEvent } from '../formats/sse/types.js';
import { bodyUsage } from '../formats/stream-signals.js';
import { bodyAsStream } from '../formats/synthetic-stream.js';
import type { AttemptInput, AttemptResult, Prepared } from './attempt-types.js';
import { decodedBody } from './content-decoding.js';
import { GatewayError, transportError } from './gateway-error.js';
import { clientResponseHeaders } from './headers.js';
import { eventSignature, messageSignatures, signerOf } from './provenance.js';
import { writeChunk } from './relay.js';
import { SSE_HEADERS, sendJson } from './respond.js';
import type { ResponseHeaders } from './response-headers.js';
import type { UpstreamBody } from './upstream-body.js';
import type { UpstreamResponse } from './upstream-client.js';
import { decodeUtf8 } from './utf8.js';

const JSON_BODY_LIMIT = 64 * 1024 * 1024;

/**
 * A 2xx answer that is not a stream: piped as it comes (passthrough, nothing to decide), or read
 * whole to check it for an error inside a 200 (when failover is still possible) and to convert it.
 */
export async function relayWholeBody(
  input: AttemptInput,
  prepared: Prepared,
  upstream: UpstreamResponse,
  whereHost: string,
): Promise<AttemptResult> {
  const { rt, target, res, clientFormat } = input;
  const { statusCode, headers: upHeaders, body } = upstream;
  const contentType = upHeaders.get('content-type') ?? '';
  const converted = prepared.converter !== undefined;
  // A whole (non-streaming) body.
  if (!converted && !input.gate) return await pipeBody(input, statusCode, upHeaders, body, prepared.upstreamModel);
  let raw = body.takeWhole(JSON_BODY_LIMIT);
  let complete = true;
  try {
    if (raw === undefined) ({ bytes: raw, complete } = await body.readUpTo(JSON_BODY_LIMIT));
  } catch (err) {
    return { committed: false, error: transportError(err, whereHost), status: statusCode };
  }
  if (!complete) {
    // Too large to hold for the gate (no API answer is): what was read goes first, the rest follows.
    if (!converted) return await pipeBody(input, statusCode, upHeaders, body, prepared.upstreamModel, raw);
    body.destroy();
    return {
      committed: false,
      error: new GatewayError(
        'upstream_failed',
        `${whereHost} answered with more than ${JSON_BODY_LIMIT / 1024 / 1024} MB, too large to convert`,
        'stream_error',
      ),
      status: statusCode,
    };
  }
  if (!converted) {
    // An API answer is a JSON object: an empty body or an HTML page (a proxy's or CDN's 200) is a
    // failure the gate moves on from, as on a converted path
    if (input.apiCall && !upHeaders.has('content-encoding') && !startsLikeJsonObject(raw)) {
      const what = raw.length === 0 ? 'an empty body' : `a body that is not JSON (${contentType || 'no content type'})`;
      return {
        committed: false,
        error: new GatewayError('upstream_failed', `${whereHost} answered ${statusCode} with ${what}`, 'stream_error'),
        status: statusCode,
      };
    }
    // An error object inside a 2xx is a failure the gate must see; a good answer is only scanned.
    // (a Responses answer carries `"error": null`: that is no error)
    const inBody = hasValue(topLevelJson(raw, 'error')) || topLevelString(raw, 'type')?.value === 'error';
    if (inBody) return errorIn2xx(whereHost, parseUpstreamError(200, parseJson(raw)), statusCode);
    const firstByteAt = performance.now();
    res.writeHead(statusCode, clientResponseHeaders(upHeaders, false));
    res.end(raw); // the upstream's bytes, whatever their encoding
    return {
      committed: true,
      status: statusCode,
      bytes: raw.length,
      firstByteAt,
      usage: !upHeaders.has('content-encoding') ? readAnswer(input, raw) : undefined,
      upstreamModel: prepared.upstreamModel,
      stream: false,
      responseSample: raw,
    };
  }
  // converted: read as JSON, also when the upstream compressed it though asked not to
  const decoded = decodedBody(raw, upHeaders.get('content-encoding'), JSON_BODY_LIMIT);
  const json = decoded === undefined ? undefined : parseJson(decoded);
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
  if (prepared.context?.stream) {
    // Case 81: a whole body answered to a stream request: replayed as the stream it stands for.
    const events = bodyAsStream(target.format, json);
    if (events) return replayAsStream(input, prepared, statusCode, events);
  }
  const result = prepared.converter!.response(json, prepared.context!);
  if (!result.ok) {
    return errorIn2xx(whereHost, result.error, statusCode);
  }
  const firstByteAt = performance.now();
  const bytes = sendJson(res, statusCode, result.body);
  if (clientFormat === 'anthropic_messages')
    for (const s of messageSignatures(result.body)) rt.provenance.record(s, signerOf(target));
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

/** Whether the first byte after any whitespace (and a byte order mark) opens a JSON object. */
function startsLikeJsonObject(bytes: Buffer): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x7b;
}

/** A 2xx whose body is an error object: a failure (failover may still move on), never an answer. */
function errorIn2xx(whereHost: string, e: NormalizedError, status: number): AttemptResult {
  const error = new GatewayError(
    e.kind,
    `${whereHost} answered ${status} with an error: ${e.message}`,
    'stream_error',
    e.status,
  );
  return { committed: false, error, status };
}

/** Feeds a rebuilt upstream stream through the stream converter and sends the client its stream. */
function replayAsStream(input: AttemptInput, prepared: Prepared, status: number, events: SseEvent[]): AttemptResult {
  const { rt, res, target, clientFormat } = input;
  const stream = prepared.converter!.stream(prepared.context!);
  const frames = [...events.flatMap((e) => stream.push(e)), ...stream.end()];
  if (stream.upstreamError && !stream.sawContent)
    return errorIn2xx(`profile "${target.label}"`, stream.upstreamError, status);
  if (clientFormat === 'anthropic_messages') {
    for (const f of frames) {
      const signature = eventSignature(f.data);
      if (signature) rt.provenance.record(signature, signerOf(target));
    }
  }
  const text = encodeFrames(frames);
  const firstByteAt = performance.now();
  res.writeHead(status, { ...SSE_HEADERS });
  res.end(text);
  return {
    committed: true,
    status,
    bytes: Buffer.byteLength(text),
    firstByteAt,
    usage: stream.usage,
    upstreamModel: prepared.upstreamModel,
    stream: true,
  };
}

/** Bodies up to this size are read whole and sent with their headers in one write. */
const SMALL_BODY = 256 * 1024;

/** A small passthrough answer (most non-streaming API answers): one write for head and body. */
async function sendSmallBody(
  input: AttemptInput,
  status: number,
  headers: ResponseHeaders,
  body: UpstreamBody,
  upstreamModel: string,
): Promise<AttemptResult> {
  const { res, target } = input;
  let bytes = body.takeWhole(SMALL_BODY); // usually here already: it came with the headers
  try {
    bytes ??= (await body.readAll(SMALL_BODY)).bytes;
  } catch (err) {
    return { committed: false, error: transportError(err, `profile "${target.label}"`), status };
  }
  const firstByteAt = performance.now();
  res.writeHead(status, clientResponseHeaders(headers, false));
  res.end(bytes);
  return {
    committed: true,
    status,
    bytes: bytes.length,
    firstByteAt,
    usage: !headers.has('content-encoding') ? readAnswer(input, bytes) : undefined,
    upstreamModel,
    stream: false,
    responseSample: bytes,
  };
}

/**
 * What a passthrough answer tells the proxy: its usage (read by a scan, the body is not parsed)
 * and, for Anthropic answers, the thinking signatures it carries (parsed only when it has one).
 */
function readAnswer(input: AttemptInput, bytes: Buffer, whole = true): UsageSummary | undefined {
  if (input.clientFormat === 'anthropic_messages') {
    const signer = signerOf(input.target);
    input.rt.provenance.answered(signer);
    if (mayHoldSignatures(bytes))
      for (const s of messageSignatures(parseJson(bytes))) input.rt.provenance.record(s, signer);
  }
  const usage = whole ? lastTopLevelJson(bytes, 'usage') : topLevelJson(bytes, 'usage');
  return bodyUsage(input.clientFormat, { usage });
}

const hasValue = (v: unknown): boolean => v !== undefined && v !== null;

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(decodeUtf8(bytes));
  } catch {
    return undefined;
  }
}

/** Passthrough of a whole body: bytes piped as they come; the first MB is kept for usage and logs. */
export async function pipeBody(
  input: AttemptInput,
  status: number,
  headers: ResponseHeaders,
  body: UpstreamBody,
  upstreamModel: string,
  /** The start of the body, already read from it. */
  start?: Buffer,
): Promise<AttemptResult> {
  const { res } = input;
  const declared = Number(headers.get('content-length'));
  if (start === undefined && declared >= 0 && declared <= SMALL_BODY)
    return await sendSmallBody(input, status, headers, body, upstreamModel);
  res.writeHead(status, clientResponseHeaders(headers, false));
  const firstByteAt = performance.now();
  const sample: Buffer[] = [];
  let sampled = 0;
  let bytes = 0;
  const plain = !headers.has('content-encoding') && (headers.get('content-type') ?? '').includes('json');
  // Copied chunk by chunk with backpressure; the first MB is kept for the usage and the log.
  let failure: Error | undefined;
  try {
    for await (const buf of start === undefined ? body : prepended(start, body)) {
      bytes += buf.length;
      if (plain && sampled < 1024 * 1024) {
        const piece = buf.subarray(0, 1024 * 1024 - sampled); // a held 64 MB start is one buf
        sample.push(piece);
        sampled += piece.length;
      }
      if (res.destroyed) break; // the client left: the loop's exit aborts the upstream request
      await writeChunk(res, buf);
    }
    if (!res.destroyed) res.end();
  } catch (err) {
    if (!input.clientGone()) failure = err as Error; // a client that left aborted the request itself
  }
  const cut = input.signal.cutBy;
  if (cut && !res.writableEnded) {
    // the proxy stops: a JSON answer can carry no error after its head, so it is cut, and logged so
    res.destroy();
    return { committed: true, status, bytes, firstByteAt, usage: undefined, upstreamModel, stream: false, error: cut };
  }
  if (failure) {
    res.destroy();
    const error = transportError(failure, `profile "${input.target.label}"`);
    return { committed: true, status, bytes, firstByteAt, usage: undefined, upstreamModel, stream: false, error };
  }
  const head = Buffer.concat(sample);
  const usage = plain ? readAnswer(input, head, sampled === bytes) : undefined;
  return { committed: true, status, bytes, firstByteAt, usage, upstreamModel, stream: false, responseSample: head };
}

/** `head`, then the rest of `body`. */
async function* prepended(head: Buffer, body: UpstreamBody): AsyncGenerator<Buffer> {
  yield head;
  yield* body;
}
