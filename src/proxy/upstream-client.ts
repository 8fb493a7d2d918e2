import type { Dispatcher } from 'undici';
import type { ClientGone } from './client-gone.js';
import { Agent } from './undici-agent.js';
import { UpstreamBody } from './upstream-body.js';

export interface UpstreamRequest {
  origin: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  body: Buffer | string | undefined;
  /** Aborts the request when the client leaves. */
  signal: ClientGone;
  /** Wait for response headers, and the longest silence between two body chunks (proxy.timeout). */
  timeoutMs: number;
}

export interface UpstreamResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: UpstreamBody;
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
   * promise per chunk (see UpstreamBody).
   */
  send(req: UpstreamRequest): Promise<UpstreamResponse> {
    return new Promise((resolve, reject) => {
      const signal = req.signal;
      if (signal.aborted) {
        reject(abortedError());
        return;
      }
      let controller: Dispatcher.DispatchController | undefined;
      let body: UpstreamBody | undefined;
      let abortedEarly: Error | undefined;
      const onAbort = () => {
        const reason = abortedError();
        if (controller) {
          controller.abort(reason);
          return;
        }
        // Still waiting for a connection (which can take up to the connect timeout): the attempt
        // ends now, and the request is aborted the moment it gets one.
        abortedEarly = reason;
        signal.offAbort(onAbort);
        reject(reason);
      };
      signal.onAbort(onAbort);
      this.#agent.dispatch(
        {
          origin: req.origin,
          path: req.path,
          method: req.method as Dispatcher.HttpMethod,
          headers: req.headers,
          body: req.body,
          headersTimeout: req.timeoutMs,
          bodyTimeout: req.timeoutMs,
        },
        {
          onRequestStart(c) {
            controller = c;
            if (abortedEarly) c.abort(abortedEarly);
          },
          onResponseStart(c, statusCode, headers) {
            if (statusCode < 200 || abortedEarly) return; // 100 Continue, 103 Early Hints: the answer follows
            body = new UpstreamBody(c);
            resolve({ statusCode, headers, body });
          },
          onResponseData(_c, chunk) {
            body?.push(chunk);
          },
          onResponseEnd() {
            signal.offAbort(onAbort);
            body?.end();
          },
          onResponseError(_c, err) {
            signal.offAbort(onAbort);
            if (body) body.fail(err);
            else reject(err);
          },
        },
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
