/**
 * Joins a provider's base URL with a client request path without doubling the API version:
 * `https://x/openai/v1` + `/v1/chat/completions` → `https://x/openai/v1/chat/completions`;
 * `https://api.anthropic.com` + `/v1/messages` → `https://api.anthropic.com/v1/messages`.
 * A version segment anywhere in the base path (`/v1`, `/v4`, `/v1beta/openai`) means the base
 * already names the API root, so the request path's own leading `/v1` is dropped.
 * The query string is kept.
 */
export function joinUpstreamUrl(baseURL: string, requestPath: string, query = ''): { origin: string; path: string } {
  const base = new URL(baseURL);
  const basePath = base.pathname.replace(/\/+$/, '');
  const hasVersion = /\/v\d+[a-z0-9]*(\/|$)/i.test(basePath);
  const rest = hasVersion ? requestPath.replace(/^\/v1(?=\/|$)/, '') : requestPath;
  const q = query === '' || query.startsWith('?') ? query : `?${query}`;
  return { origin: base.origin, path: `${basePath}${rest}${q}` };
}
