/** A masked form of a secret: enough to recognise it in a log, never enough to use it. */
export function mask(secret: string): string {
  return secret.length < 16 ? '***' : `${secret.slice(0, 3)}…${secret.slice(-4)}`;
}

/** Credentials by their look: `Bearer …`, and the key formats providers issue (sk-, gsk_, xai-, AIza…). */
const BEARER = /(bearer\s+)([A-Za-z0-9._~+/=-]{12,})/gi;
const KEY_SHAPES = /\b((?:sk|xai|gsk|pk|rk)[-_][A-Za-z0-9_-]{16,}|AIza[A-Za-z0-9_-]{20,})\b/g;
/** `"api_key": "…"`, `"authorization": "…"` and the like in JSON or headers written as JSON. */
const JSON_CREDENTIAL =
  /("(?:api[_-]?key|apikey|x-api-key|x-goog-api-key|authorization|access[_-]?token|auth[_-]?token|token|secret|password)"\s*:\s*")([^"\\]{6,})(")/gi;
/** `?key=…`, `&api_key=…`, `&access_token=…` in a URL. */
const QUERY_CREDENTIAL = /([?&](?:key|api[_-]?key|apikey|access[_-]?token|token|auth|secret)=)([^&#\s"]+)/gi;

/**
 * Replaces every known secret in a text with its masked form, and (unless `shapes: false`) masks
 * anything that looks like a credential: `Bearer …`, a provider key's format, a credential field
 * in JSON, a credential in a query string.
 */
export function redact(text: string, secrets: Iterable<string>, opts: { shapes?: boolean } = {}): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 6 && out.includes(secret)) out = out.split(secret).join(mask(secret));
  }
  if (opts.shapes === false) return out;
  return out
    .replace(BEARER, (_m, p: string, k: string) => `${p}${mask(k)}`)
    .replace(JSON_CREDENTIAL, (_m, head: string, value: string, tail: string) => `${head}${mask(value)}${tail}`)
    .replace(QUERY_CREDENTIAL, (_m, head: string, value: string) => `${head}${mask(value)}`)
    .replace(KEY_SHAPES, (k: string) => mask(k));
}

/** The credentials a client sent (its own key, forwarded when a profile has none): to be masked too. */
export function clientSecrets(headers: Record<string, string | string[] | undefined>): string[] {
  const out: string[] = [];
  for (const name of ['x-api-key', 'authorization', 'x-goog-api-key', 'api-key', 'x-swixter-token']) {
    const value = headers[name];
    const text = Array.isArray(value) ? value.join(',') : value;
    if (text) out.push(text.replace(/^bearer\s+/i, ''));
  }
  return out;
}
