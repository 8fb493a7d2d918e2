import type { IncomingHttpHeaders } from 'node:http';
import type { AuthStyle } from '../config/schema.js';
import type { ResponseHeaders } from './response-headers.js';

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
function connectionListed(value: string | string[] | undefined): ReadonlySet<string> {
  if (value === undefined || value === 'keep-alive' || value === 'close') return NO_NAMES;
  const text = Array.isArray(value) ? value.join(',') : value;
  return new Set(
    text
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s.length > 0),
  );
}

/** Header names by prefix: one regular expression, tested once per header (not each prefix in turn). */
export class NamePrefixes {
  readonly #pattern: RegExp;

  constructor(readonly prefixes: readonly string[]) {
    const escaped = prefixes.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.#pattern = new RegExp(`^(?:${escaped.join('|')})`);
  }

  /** Whether `name` starts with one of the prefixes. */
  test(name: string): boolean {
    return this.#pattern.test(name);
  }
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
  dropPrefixes?: NamePrefixes | undefined;
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
  const listed = connectionListed(client.connection);
  const out: Record<string, string> = {};
  for (const name in client) {
    const value = client[name];
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name) || opts.drop?.has(name)) continue;
    if (opts.dropPrefixes?.test(name)) continue;
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
  for (const name in opts.inject) {
    const key = name.toLowerCase();
    const value = opts.inject[name]!;
    // betas add up: the client's own (Claude Code's context-1m, interleaved thinking…) stay on
    out[key] = key === 'anthropic-beta' && out[key] ? joinLists(out[key], value) : value;
  }
  return out;
}

/** Two comma-separated header lists as one, each token once, in order. */
function joinLists(first: string, second: string): string {
  const tokens = `${first},${second}`
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  return [...new Set(tokens)].join(',');
}

/** The upstream's response headers that go back to the client (hop-by-hop removed), as `res.writeHead`'s flat list. */
export function clientResponseHeaders(upstream: ResponseHeaders, dropBodyFraming: boolean): string[] {
  const listed = connectionListed(upstream.get('connection'));
  return upstream.list(
    (name) =>
      !listed.has(name) &&
      !(HOP_BY_HOP.has(name) && name !== 'content-length') &&
      !(dropBodyFraming && (name === 'content-length' || name === 'content-encoding')),
  );
}
