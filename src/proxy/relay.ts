import type { ServerResponse } from 'node:http';
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
}

export type RelayResult =
  | { committed: true; bytes: number; firstByteAt: number | undefined; error?: GatewayError }
  | { committed: false; failure: GatewayError };

/** How long a converted stream's upstream may take to end after its answer is complete. */
const DRAIN_MS = 1000;

/** Writes to the client; when its buffer is full, resolves once it drained (or the client left). */
export async function writeChunk(res: ServerResponse, data: Buffer | string): Promise<void> {
  if (!res.write(data)) {
    await new Promise<void>((done) => {
      const finish = () => {
        res.off('drain', finish);
        res.off('close', finish);
        done();
      };
      res.on('drain', finish);
      res.on('close', finish);
    });
  }
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

  const send = async (data: Buffer | string | undefined) => {
    if (data === undefined || data.length === 0 || res.destroyed) return;
    firstByteAt ??= performance.now();
    const buf = typeof data === 'string' ? Buffer.from(data) : data; // encoded once, counted and written
    bytes += buf.length;
    await writeChunk(res, buf);
  };
  /** The last bytes and the end of the response in one write. */
  const finish = (data: Buffer | string | undefined) => {
    if (data === undefined || data.length === 0 || res.destroyed) {
      res.end();
      return;
    }
    firstByteAt ??= performance.now();
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    bytes += buf.length;
    res.end(buf);
  };
  // Passthrough: the socket holds its writes until the event loop's next turn, so a chunk and the
  // end of the stream that arrived with it (an unpaced stream, or the last events) leave in one
  // system call instead of two; the bytes are the same and wait no longer than that turn.
  let corked = false;
  const corkThisTurn = () => {
    if (corked || res.destroyed) return;
    corked = true;
    res.cork();
    setImmediate(() => {
      corked = false;
      if (!res.writableEnded && !res.destroyed) res.uncork(); // end() has uncorked already
    });
  };
  const commitNow = async () => {
    committed = true;
    clearTimeout(timer);
    opts.commit();
    for (const data of held.splice(0)) await send(data);
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

  if (!opts.gate) await commitNow();
  try {
    for await (const chunk of body) {
      bytesIn += (chunk as Buffer).length;
      if (ended) continue;
      if (committed && pump.mirrors) {
        // Passthrough: the bytes go out first; the pump only looks at them (usage, the end, signatures).
        corkThisTurn();
        await send(chunk as Buffer);
        pump.chunk(chunk as Buffer);
        continue;
      }
      const out = pump.chunk(chunk as Buffer);
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
      else await send(out);
    }
  } catch (err) {
    clearTimeout(timer);
    clearTimeout(drainTimer);
    if (ended || opts.clientGone()) {
      if (committed) return { committed: true, bytes, firstByteAt };
      return {
        committed: false,
        failure: new GatewayError(
          'api_error',
          `${opts.where}: the client went away before the answer began`,
          'client_gone',
          499,
        ),
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
