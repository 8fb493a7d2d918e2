import type { Dispatcher } from 'undici';
import type { ClientGone } from './client-gone.js';
import { Agent } from './undici-agent.js';

export interface UpstreamRequest {
  origin: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  body: Buffer | string | undefined;
  /** An AbortSignal, or an EventEmitter with `aborted` and an 'abort' event (see ClientGone). */
  signal: AbortSignal | ClientGone;
  /** Wait for response headers, and the longest silence between two body chunks (proxy.timeout). */
  timeoutMs: number;
}

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

  send(req: UpstreamRequest): Promise<Dispatcher.ResponseData> {
    return this.#agent.request({
      origin: req.origin,
      path: req.path,
      method: req.method as Dispatcher.HttpMethod,
      headers: req.headers,
      body: req.body,
      signal: req.signal,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    });
  }

  close(): Promise<void> {
    return this.#agent.close();
  }

  destroy(): Promise<void> {
    return this.#agent.destroy();
  }
}
