/** A masked form of a secret: enough to recognise it in a log, never enough to use it. */
export function mask(secret: string): string {
  return secret.length <= 8 ? '***' : `${secret.slice(0, 3)}…${secret.slice(-4)}`;
}

/**
 * Replaces every known secret in a text with its masked form, and masks anything that looks
 * like a credential in headers or JSON (`"api_key": "…"`, `Bearer …`, `sk-…`).
 */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 6 && out.includes(secret)) out = out.split(secret).join(mask(secret));
  }
  return out
    .replace(/(Bearer\s+)([A-Za-z0-9._~+/=-]{12,})/g, (_m, p: string, k: string) => `${p}${mask(k)}`)
    .replace(/\b(sk-[A-Za-z0-9_-]{3})[A-Za-z0-9_-]{8,}([A-Za-z0-9_-]{4})\b/g, '$1…$2');
}
