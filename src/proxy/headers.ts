import type { IncomingHttpHeaders } from 'node:http';
import type { AuthStyle } from '../config/schema.js';

/** Hop-by-hop headers (RFC 9110 §7.6.1) plus the ones a proxy must set itself. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  // undici refuses it; the proxy has the whole body already, so there is nothing to wait for
  'expect',
  'content-length',
]);

const NO_NAMES: ReadonlySet<string> = new Set();
const AUTH_HEADERS = new Set(['authorization', 'x-api-key', 'x-goog-api-key', 'api-key']);

/** Header names listed in `Connection: a, b` are hop-by-hop too. */
function connectionListed(
  headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>,
): ReadonlySet<string> {
  const value = headers.connection;
  if (value === undefined || value === 'keep-alive' || value === 'close') return NO_NAMES;
  const text = Array.isArray(value) ? value.join(',') : value;
  return new Set(
    text
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s.length > 0),
  );
}

export type UpstreamAuth =
  | { kind: 'replace'; style: AuthStyle; key: string }
  /** No key of our own: the client's credentials go through (its key was meant for this provider). */
  | { kind: 'forward' };

export interface UpstreamHeaderOptions {
  auth: UpstreamAuth;
  /** proxy.headers, then the profile's headers (profile wins). */
  inject: Record<string, string>;
  /** Drop `accept-encoding` so the upstream answers uncompressed (when Swixter must read the body). */
  identityEncoding: boolean;
  /** Headers that must not leave the proxy (e.g. the proxy token header). */
  drop?: ReadonlySet<string> | undefined;
  /**
   * Client headers not forwarded, by name prefix: a converted request goes to a provider of
   * another API, which has no use for the client SDK's own headers (x-stainless-*, Codex session
   * metadata, anthropic-beta …). Other custom headers (OpenRouter's X-Title …) still pass.
   */
  dropPrefixes?: readonly string[] | undefined;
  /** A client credential that is Swixter's own local token, never forwarded upstream. */
  isLocalToken?: ((value: string) => boolean) | undefined;
  /**
   * With forwarded auth to an upstream of another format: re-send the client's credential in the
   * upstream's style (Claude Code's x-api-key becomes a Bearer token for an OpenAI-style upstream).
   */
  forwardStyle?: AuthStyle | undefined;
}

/** The headers sent upstream: the client's, minus hop-by-hop, with auth and injected headers applied. */
export function upstreamHeaders(client: IncomingHttpHeaders, opts: UpstreamHeaderOptions): Record<string, string> {
  const listed = connectionListed(client);
  const out: Record<string, string> = {};
  for (const name in client) {
    const value = client[name];
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name) || opts.drop?.has(name)) continue;
    if (opts.dropPrefixes?.some((prefix) => name.startsWith(prefix))) continue;
    if (AUTH_HEADERS.has(name) && opts.auth.kind === 'replace') continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (AUTH_HEADERS.has(name) && opts.isLocalToken?.(text.replace(/^Bearer\s+/i, ''))) continue;
    if (name === 'accept-encoding' && opts.identityEncoding) continue;
    out[name] = text;
  }
  if (opts.identityEncoding) out['accept-encoding'] = 'identity';
  if (opts.auth.kind === 'forward' && opts.forwardStyle) {
    const key = out['x-api-key'] ?? out.authorization?.replace(/^Bearer\s+/i, '');
    delete out['x-api-key'];
    delete out.authorization;
    if (key) {
      if (opts.forwardStyle === 'x-api-key') out['x-api-key'] = key;
      else out.authorization = `Bearer ${key}`;
    }
  }
  if (opts.auth.kind === 'replace' && opts.auth.key) {
    if (opts.auth.style === 'x-api-key') out['x-api-key'] = opts.auth.key;
    else out.authorization = `Bearer ${opts.auth.key}`;
  }
  for (const name in opts.inject) out[name.toLowerCase()] = opts.inject[name]!;
  return out;
}

/** The upstream's response headers that go back to the client (hop-by-hop removed). */
export function clientResponseHeaders(
  upstream: Record<string, string | string[] | undefined>,
  dropBodyFraming: boolean,
): Record<string, string | string[]> {
  const listed = connectionListed(upstream);
  const out: Record<string, string | string[]> = {};
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (listed.has(lower) || (HOP_BY_HOP.has(lower) && lower !== 'content-length')) continue;
    if (dropBodyFraming && (lower === 'content-length' || lower === 'content-encoding')) continue;
    out[lower] = value;
  }
  return out;
}
