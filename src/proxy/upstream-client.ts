import type { Dispatcher } from 'undici';
import type { ClientGone } from './client-gone.js';
import { ResponseHeaders } from './response-headers.js';
import { Agent } from './undici-agent.js';
import { type BodyFlow, UpstreamBody } from './upstream-body.js';

export interface UpstreamRequest {
  origin: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  body: Buffer | string | undefined;
  /** Aborts the request when the client leaves. */
  signal: ClientGone;
  /** The longest silence between two body chunks (proxy.timeout). */
  timeoutMs: number;
  /** Wait for the response headers (proxy.timeout, or proxy.nonStreamingTimeout for a non-streaming request). */
  headersTimeoutMs: number;
}

export interface UpstreamResponse {
  statusCode: number;
  headers: ResponseHeaders;
  body: UpstreamBody;
}

/** The handler methods undici's Client calls (Dispatcher.DispatchHandler's raw form). */
interface RawHandler {
  onConnect(abort: (reason: Error) => void): void;
  /** false pauses the socket until `resume` is called. */
  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean;
  onData(chunk: Buffer): boolean;
  onComplete(trailers: Buffer[] | null): void;
  onError(err: Error): void;
}

/** The error an aborted request fails with (undici's own code for it). */
const abortedError = (): Error =>
  Object.assign(new Error('request aborted: the client went away'), { name: 'AbortError', code: 'UND_ERR_ABORTED' });

/**
 * Upstream connections, pooled per origin with keep-alive (undici Agent → one Pool per origin),
 * so DNS and TLS set-up are paid once.
 */
export class UpstreamClient {
  readonly #agent = new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connections: null,
    pipelining: 1,
    connect: { timeout: 10_000 },
  });

  /**
   * Sends a request; resolves with the status and headers once they arrive (1xx answers are
   * skipped), with the body still arriving. Rejects on a transport failure before that, and when
   * the signal fires first. undici's dispatch API with a handler of callbacks: no Readable, no
   * promise per chunk (see UpstreamBody), and the response headers left undecoded (see ResponseHeaders).
   */
  send(req: UpstreamRequest): Promise<UpstreamResponse> {
    return new Promise((resolve, reject) => {
      const signal = req.signal;
      if (signal.aborted) {
        reject(abortedError());
        return;
      }
      let abortRequest: ((reason: Error) => void) | undefined;
      let resumeSocket: (() => void) | undefined;
      let paused = false;
      let aborted = false;
      let body: UpstreamBody | undefined;
      let abortedEarly: Error | undefined;
      const flow: BodyFlow = {
        pause() {
          paused = true; // the next onData answers false: undici stops reading the socket
        },
        resume() {
          if (!paused) return;
          paused = false;
          resumeSocket?.();
        },
        abort(reason) {
          if (aborted) return;
          aborted = true;
          abortRequest?.(reason);
        },
      };
      const onAbort = () => {
        const reason = abortedError();
        if (abortRequest) {
          flow.abort(reason);
          return;
        }
        // Still waiting for a connection (which can take up to the connect timeout): the attempt
        // ends now, and the request is aborted the moment it gets one.
        abortedEarly = reason;
        signal.offAbort(onAbort);
        reject(reason);
      };
      signal.onAbort(onAbort);
      // undici's handler protocol in the form its Client calls (onConnect, onHeaders with the raw
      // header Buffers, onData …): the newer form (onRequestStart, onResponseStart) is an adapter
      // over it that decodes every response header into an object first (see ResponseHeaders).
      const handler: RawHandler = {
        onConnect(abort) {
          abortRequest = abort;
          if (abortedEarly) flow.abort(abortedEarly);
        },
        onHeaders(statusCode, rawHeaders, resume) {
          if (statusCode < 200 || abortedEarly) return true; // 100 Continue, 103 Early Hints: the answer follows
          resumeSocket = resume;
          body = new UpstreamBody(flow);
          resolve({ statusCode, headers: new ResponseHeaders(rawHeaders), body });
          return !paused;
        },
        onData(chunk) {
          body?.push(chunk);
          return !paused;
        },
        onComplete() {
          signal.offAbort(onAbort);
          body?.end();
        },
        onError(err) {
          signal.offAbort(onAbort);
          if (body) body.fail(err);
          else reject(err);
        },
      };
      this.#agent.dispatch(
        {
          origin: req.origin,
          path: req.path,
          method: req.method as Dispatcher.HttpMethod,
          headers: req.headers,
          body: req.body,
          headersTimeout: req.headersTimeoutMs,
          bodyTimeout: req.timeoutMs,
        },
        handler as Dispatcher.DispatchHandler,
      );
    });
  }

  close(): Promise<void> {
    return this.#agent.close();
  }

  destroy(): Promise<void> {
    return this.#agent.destroy();
  }
}
