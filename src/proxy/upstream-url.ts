/** A provider base URL, parsed once: what every request to it needs. */
export interface UpstreamBase {
  origin: string;
  host: string;
  /** The base path without trailing slashes (`/openai/v1`, or '' for an origin). */
  path: string;
  /** The base path names an API version (`/v1`, `/v4`, `/v1beta/openai`): the request's own `/v1` is dropped. */
  versioned: boolean;
}

/** Parsed bases by URL string: a config holds a handful, and a request must not re-parse its URL. */
const parsed = new Map<string, UpstreamBase>();

export function upstreamBase(baseURL: string): UpstreamBase {
  let base = parsed.get(baseURL);
  if (base === undefined) {
    const url = new URL(baseURL);
    const path = url.pathname.replace(/\/+$/, '');
    base = { origin: url.origin, host: url.host, path, versioned: /\/v\d+[a-z0-9]*(\/|$)/i.test(path) };
    if (parsed.size >= 256) parsed.clear(); // config edits could otherwise grow it without bound
    parsed.set(baseURL, base);
  }
  return base;
}

/**
 * Joins a provider's base URL with a client request path without doubling the API version:
 * `https://x/openai/v1` + `/v1/chat/completions` → `https://x/openai/v1/chat/completions`;
 * `https://api.anthropic.com` + `/v1/messages` → `https://api.anthropic.com/v1/messages`.
 * A version segment anywhere in the base path (`/v1`, `/v4`, `/v1beta/openai`) means the base
 * already names the API root, so the request path's own leading `/v1` is dropped.
 * The query string is kept.
 */
export function joinUpstreamUrl(baseURL: string, requestPath: string, query = ''): { origin: string; path: string } {
  const base = upstreamBase(baseURL);
  const dropV1 =
    base.versioned && requestPath.startsWith('/v1') && (requestPath.length === 3 || requestPath[3] === '/');
  const rest = dropV1 ? requestPath.slice(3) : requestPath;
  const q = query === '' || query.startsWith('?') ? query : `?${query}`;
  return { origin: base.origin, path: `${base.path}${rest}${q}` };
}
