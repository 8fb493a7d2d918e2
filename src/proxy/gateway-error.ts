import { ERROR_KINDS, type ErrorKind, type NormalizedError } from '../formats/errors/error-kinds.js';

/** Why an attempt failed, as logs, status and the failover decision name it. */
export type FailureCause =
  | 'refused'
  | 'reset'
  | 'dns'
  | 'connect_timeout'
  | 'headers_timeout'
  | 'idle_timeout'
  | 'first_event_timeout'
  | 'http_status'
  | 'stream_error'
  | 'empty_stream'
  | 'stream_cut'
  | 'config'
  | 'conversion'
  /** The client disconnected before the answer began (logged with status 499, as nginx does). */
  | 'client_gone'
  /** The client asked to switch protocols (Codex's WebSocket probe): answered 426, it falls back to HTTP. */
  | 'upgrade_refused'
  /** The proxy stopped, and this answer was still running when the shutdown grace ended. */
  | 'shutdown';

/** A failure with a stable kind, the status to answer with, and where it happened (never a key). */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly cause_: FailureCause,
    readonly status: number = ERROR_KINDS[kind].status,
    readonly retryAfterMs?: number,
    readonly headers: Record<string, string> = {},
    /** The upstream's own error type and code, which clients branch on (Codex: insufficient_quota). */
    readonly upstream: Pick<NormalizedError, 'upstreamType' | 'upstreamCode'> = {},
  ) {
    super(message);
  }

  toNormalized(): NormalizedError {
    const { upstreamType, upstreamCode } = this.upstream;
    return {
      kind: this.kind,
      status: this.status,
      message: this.message,
      ...(upstreamType ? { upstreamType } : {}),
      ...(upstreamCode ? { upstreamCode } : {}),
    };
  }
}

/** Maps a transport error from undici / node:net to a GatewayError naming the target. */
export function transportError(err: unknown, where: string, headersSetting = 'proxy.timeout'): GatewayError {
  const code = (err as { code?: string })?.code ?? '';
  const detail = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'ECONNREFUSED':
      return new GatewayError('upstream_failed', `${where}: connection refused (${detail})`, 'refused');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new GatewayError('upstream_failed', `${where}: DNS lookup failed (${detail})`, 'dns');
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new GatewayError('upstream_timeout', `${where}: connect timeout`, 'connect_timeout');
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new GatewayError(
        'upstream_timeout',
        `${where}: no response headers within the timeout (${headersSetting})`,
        'headers_timeout',
      );
    case 'UND_ERR_BODY_TIMEOUT':
      return new GatewayError(
        'upstream_timeout',
        `${where}: the response stalled longer than the timeout (proxy.timeout)`,
        'idle_timeout',
      );
    default:
      return new GatewayError('upstream_failed', `${where}: connection failed (${code || detail})`, 'reset');
  }
}
