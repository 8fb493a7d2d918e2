import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { GatewayError, transportError } from './gateway-error.js';
import type { Pump } from './pump.js';
import type { UpstreamBody } from './upstream-body.js';

export interface RelayOptions {
  res: ServerResponse;
  body: UpstreamBody;
  pump: Pump;
  /**
   * Hold the response (status line included) until the upstream produced its first meaningful
   * event, so a failure before that can still move on to the next profile.
   */
  gate: boolean;
  /** With `gate`: how long to wait for that first event. */
  firstEventTimeoutMs: number;
  /** Writes the status line and headers; called once, when the response commits. */
  commit: () => void;
  /** Names the attempt in error messages ("profile main (api.groq.com)"). */
  where: string;
  /** True once the client went away (the upstream request was aborted for it). */
  clientGone: () => boolean;
  /** Set when the proxy itself ended the answer (it stops): the client still waits, and gets this error. */
  cutBy?: () => GatewayError | undefined;
}

export type RelayResult =
  | { committed: true; bytes: number; firstByteAt: number | undefined; error?: GatewayError }
  | { committed: false; failure: GatewayError };

/** How long a converted stream's upstream may take to end after its answer is complete. */
const DRAIN_MS = 1000;

/** Resolves once the client's buffer drained (or the client left). */
export function drained(res: ServerResponse): Promise<void> {
  return new Promise<void>((done) => {
    const finish = () => {
      res.off('drain', finish);
      res.off('close', finish);
      done();
    };
    res.on('drain', finish);
    res.on('close', finish);
  });
}

/** Writes to the client; when its buffer is full, resolves once it drained (or the client left). */
export async function writeChunk(res: ServerResponse, data: Buffer | string): Promise<void> {
  if (!res.write(data)) await drained(res);
}

/** A failure while reading the body: the connection dropped mid-stream, or went silent too long. */
function streamTransportError(err: unknown, where: string): GatewayError {
  const base = transportError(err, where);
  if (base.cause_ === 'idle_timeout') return base;
  const code = (err as { code?: string } | undefined)?.code ?? (err instanceof Error ? err.message : 'closed');
  return new GatewayError('upstream_failed', `${where}: the stream was cut (${code})`, 'stream_cut');
}

/** Why a stream that never committed is no good: an error event, nothing at all, or a cut. */
function streamFailure(pump: Pump, where: string, receivedNothing: boolean): GatewayError {
  const err = pump.upstreamError;
  if (err) {
    return new GatewayError(
      err.kind,
      `${where}: error event inside the stream: ${err.message}`,
      'stream_error',
      err.status,
      undefined,
      {},
      { upstreamType: err.upstreamType, upstreamCode: err.upstreamCode },
    );
  }
  if (pump.finished || receivedNothing) {
    return new GatewayError('upstream_failed', `${where}: the stream ended without any content`, 'empty_stream');
  }
  return new GatewayError('upstream_failed', `${where}: the stream ended before any content`, 'stream_cut');
}

/**
 * Copies an upstream stream to the client through a pump, with backpressure. With `gate`, output
 * is held until the pump has seen content; an error event, an empty or cut stream, or the
 * first-event timeout before that returns `{committed: false}` and nothing reached the client.
 */
export async function relayStream(opts: RelayOptions): Promise<RelayResult> {
  const { res, body, pump } = opts;
  let committed = false;
  let bytes = 0;
  let firstByteAt: number | undefined;
  const held: Array<Buffer | string> = [];
  let bytesIn = 0;
  let timedOut = false;
  const timer = opts.gate
    ? setTimeout(() => {
        timedOut = true;
        body.destroy();
      }, opts.firstEventTimeoutMs)
    : undefined;

  /** Writes to the client; false when its buffer is full (then `await drain()` before more). */
  const write = (data: Buffer | string | undefined): boolean => {
    if (data === undefined || data.length === 0 || res.destroyed) return true;
    firstByteAt ??= performance.now();
    const buf = typeof data === 'string' ? Buffer.from(data) : data; // encoded once, counted and written
    bytes += buf.length;
    return res.write(buf);
  };
  // What one socket read delivered (an unpaced stream arrives whole, as many chunks) leaves in one
  // system call: the client's socket is corked while more chunks are held or the end is known, and
  // uncorked before waiting for more; the end of the response flushes it. A chunk that arrives
  // alone (a paced stream) is written at once, uncorked. The socket, not the response: on Node
  // 21–24 a corked chunked ServerResponse keeps the chunks itself and end() sends its terminator
  // before them, so the client loses them (checked: 22.23 and 24.21 send `0\r\n\r\n`, then the
  // data; 26.10 and 20 keep the order).
  let corked: Socket | undefined;
  const corkIfMore = () => {
    const socket = res.socket;
    if (corked === undefined && socket && !res.destroyed && (body.queued || body.complete)) {
      corked = socket;
      socket.cork();
    }
  };
  const uncork = () => {
    const socket = corked;
    if (socket === undefined) return;
    corked = undefined;
    if (!socket.destroyed && socket.writableCorked > 0) socket.uncork(); // end() has uncorked already
  };
  const drain = async () => {
    uncork(); // corked bytes would never drain
    if (res.writableLength < res.writableHighWaterMark) return; // uncorking emptied the buffer
    await drained(res);
  };
  /** The last bytes and the end of the response in one write. */
  const finish = (data: Buffer | string | undefined) => {
    corked = undefined; // end() uncorks the socket
    if (data === undefined || data.length === 0 || res.destroyed) {
      res.end();
      return;
    }
    firstByteAt ??= performance.now();
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    bytes += buf.length;
    res.end(buf);
  };
  /** The response's head goes out: from here on the answer belongs to this attempt. */
  const commitHead = () => {
    committed = true;
    clearTimeout(timer);
    opts.commit();
  };
  const commitNow = async () => {
    commitHead();
    for (const data of held.splice(0)) if (!write(data)) await drain();
  };
  // Conversion: once the converter has produced the client's last event, the client's response
  // ends right there (one write with the end, instead of waiting for the upstream's end). What the
  // upstream still sends ([DONE], the chunked terminator) is read and dropped, for at most
  // DRAIN_MS: an upstream that holds its response open after that is cut off.
  let ended = false;
  let drainTimer: NodeJS.Timeout | undefined;
  const endsHere = () => !pump.mirrors && pump.finished;
  const endNow = (data: Buffer | string | undefined) => {
    ended = true;
    finish(data);
    drainTimer = setTimeout(() => body.destroy(), DRAIN_MS);
  };

  // nothing is held before the first read: an ungated response commits at once, without a wait
  if (!opts.gate) commitHead();
  try {
    for (;;) {
      const chunk = body.read();
      if (chunk === undefined) {
        if (body.complete) break; // what is corked leaves with the end
        uncork();
        if (!(await body.wait())) break;
        continue;
      }
      bytesIn += chunk.length;
      if (ended) continue;
      if (committed && pump.mirrors) {
        // Passthrough: the bytes go out first; the pump only looks at them (usage, the end, signatures).
        corkIfMore();
        if (!write(chunk)) await drain();
        pump.chunk(chunk);
        continue;
      }
      const out = pump.chunk(chunk);
      if (!committed) {
        if (pump.upstreamError) {
          body.destroy();
          clearTimeout(timer);
          return { committed: false, failure: streamFailure(pump, opts.where, false) };
        }
        if (!pump.sawContent) {
          if (out !== undefined) held.push(out);
          continue;
        }
        await commitNow();
      }
      if (endsHere()) endNow(out);
      else {
        corkIfMore();
        if (!write(out)) await drain();
      }
    }
  } catch (err) {
    body.destroy(); // when the error was not the body's own (nothing happens if it was)
    clearTimeout(timer);
    clearTimeout(drainTimer);
    if (ended || opts.clientGone()) {
      const cut = ended ? undefined : opts.cutBy?.();
      if (cut && committed) {
        // the proxy stops: the client gets the stream's error event, not a reset connection
        finish(pump.fail(cut.toNormalized()));
        return { committed: true, bytes, firstByteAt, error: cut };
      }
      // a client that leaves in the middle of the answer is logged as such (its status stays 200:
      // that went out); it says nothing of the upstream, so no breaker counts it
      if (committed)
        return { committed: true, bytes, firstByteAt, ...(ended ? {} : { error: clientLeftMidStream(opts.where) }) };
      return {
        committed: false,
        failure: cut ?? clientLeft(opts.where),
      };
    }
    const failure = timedOut
      ? new GatewayError(
          'upstream_timeout',
          `${opts.where}: no content within ${opts.firstEventTimeoutMs} ms`,
          'first_event_timeout',
        )
      : streamTransportError(err, opts.where);
    if (!committed) return { committed: false, failure };
    finish(pump.fail(failure.toNormalized()));
    return { committed: true, bytes, firstByteAt, error: failure };
  }
  clearTimeout(drainTimer);
  if (ended) return { committed: true, bytes, firstByteAt };
  const tail = pump.end();
  if (!committed) {
    if (!pump.sawContent || pump.upstreamError) {
      clearTimeout(timer);
      return { committed: false, failure: streamFailure(pump, opts.where, bytesIn === 0) };
    }
    await commitNow();
  }
  finish(tail);
  const error = pump.upstreamError
    ? new GatewayError(
        pump.upstreamError.kind,
        `${opts.where}: ${pump.upstreamError.message}`,
        'stream_error',
        pump.upstreamError.status,
      )
    : !pump.finished
      ? new GatewayError('upstream_failed', `${opts.where}: the stream ended before completion`, 'stream_cut')
      : undefined;
  return { committed: true, bytes, firstByteAt, ...(error ? { error } : {}) };
}

/** The client disconnected before any of the answer reached it (logged with status 499). */
export const clientLeft = (where: string): GatewayError =>
  new GatewayError('api_error', `${where}: the client went away before the answer began`, 'client_gone', 499);

const clientLeftMidStream = (where: string): GatewayError =>
  new GatewayError('api_error', `${where}: the client went away in the middle of the answer`, 'client_gone', 200);
