import type { ConfigFile, LogLevel, Route } from './schema.js';

/** The `proxy` section with every default applied. Documented in docs/configuration.md. */
export interface ProxySettings {
  port: number;
  host: string;
  autoStart: boolean;
  logLevel: LogLevel;
  timeout: number;
  /** The wait for a non-streaming answer's headers, which come only once the whole answer is made. */
  nonStreamingTimeout: number;
  maxBodyLogSize: number;
  maxBodySize: number;
  /** The access log file is rotated when it grows past this many bytes… */
  logMaxBytes: number;
  /** …and this many rotated files are kept (file.1 … file.N). Read when the proxy starts. */
  logKeep: number;
  headers: Record<string, string>;
  routes: Route[];
  token: string | undefined;
  requireToken: boolean | undefined;
  failover: {
    failoverOn: number[];
    retries: number;
    retryBackoffMs: number;
    retryAfterCapMs: number;
    firstEventTimeoutMs: number;
  };
  breaker: {
    failureThreshold: number;
    failureRate: number;
    windowSize: number;
    minRequests: number;
    cooldownMs: number;
  };
}

/** 408, 429, every 5xx incl. 529, and 401/403 (that profile's key is bad; the next may work). */
export const DEFAULT_FAILOVER_STATUSES = [401, 403, 408, 429, 500, 502, 503, 504, 520, 521, 522, 524, 529];

/** What the Anthropic and OpenAI SDKs wait for an answer by default: 10 minutes. */
const DEFAULT_NON_STREAMING_TIMEOUT = 600_000;

export function proxySettings(config: ConfigFile): ProxySettings {
  const p = config.proxy ?? {};
  const timeout = p.timeout ?? 30_000;
  return {
    port: p.port ?? 0,
    host: p.host ?? '127.0.0.1',
    autoStart: p.autoStart ?? false,
    logLevel: p.logLevel ?? 'info',
    timeout,
    nonStreamingTimeout: p.nonStreamingTimeout ?? Math.max(DEFAULT_NON_STREAMING_TIMEOUT, timeout),
    maxBodyLogSize: p.maxBodyLogSize ?? 4096,
    maxBodySize: p.maxBodySize ?? 32 * 1024 * 1024,
    logMaxBytes: p.logMaxBytes ?? 10 * 1024 * 1024,
    logKeep: p.logKeep ?? 3,
    headers: p.headers ?? {},
    routes: p.routes ?? [],
    token: p.token,
    requireToken: p.requireToken,
    failover: {
      failoverOn: p.failover?.failoverOn ?? DEFAULT_FAILOVER_STATUSES,
      retries: p.failover?.retries ?? 0,
      retryBackoffMs: p.failover?.retryBackoffMs ?? 500,
      retryAfterCapMs: p.failover?.retryAfterCapMs ?? 10_000,
      firstEventTimeoutMs: p.failover?.firstEventTimeoutMs ?? timeout,
    },
    breaker: {
      failureThreshold: p.breaker?.failureThreshold ?? 3,
      failureRate: p.breaker?.failureRate ?? 0.5,
      windowSize: p.breaker?.windowSize ?? 20,
      minRequests: p.breaker?.minRequests ?? 10,
      cooldownMs: p.breaker?.cooldownMs ?? 60_000,
    },
  };
}

/** A bind address only this machine can reach (the proxy token is optional there). */
export const isLoopback = (host: string): boolean =>
  host === '127.0.0.1' || host === 'localhost' || host === '::1' || host.startsWith('127.');

/** Whether clients must send the proxy token: `proxy.requireToken`, else whenever the host is not loopback. */
export const tokenRequired = (settings: ProxySettings, host: string): boolean =>
  settings.requireToken ?? !isLoopback(host);
