/**
 * Recognises the coder behind a request from its User-Agent:
 * `claude-cli/2.1.197 (external, sdk-cli)` → "claude-code/2.1.197",
 * `codex_exec/0.169.0 (…)` → "codex/0.169.0", `OpenAI/JS 6.49.0` → "openai-sdk-js/6.49.0", …;
 * anything else by its first product token.
 */
export function recognizeClient(userAgent: string | undefined): string {
  if (!userAgent) return 'unknown';
  let client = recognized.get(userAgent);
  if (client === undefined) {
    client = recognize(userAgent.trim());
    if (recognized.size >= 1024) recognized.clear(); // a client that varies its User-Agent cannot grow it without bound
    recognized.set(userAgent, client);
  }
  return client;
}

/** A coder sends the same User-Agent on every request: each is recognised once. */
const recognized = new Map<string, string>();

function recognize(ua: string): string {
  let m = /^claude-cli\/(\S+)/.exec(ua);
  if (m) return `claude-code/${m[1]}`;
  m = /^codex[_-][a-z_]+\/(\S+)/i.exec(ua);
  if (m) return `codex/${m[1]}`;
  m = /^Anthropic\/(JS|Python|Go|Java|Ruby)\s+(\S+)/i.exec(ua);
  if (m) return `anthropic-sdk-${m[1]!.toLowerCase()}/${m[2]}`;
  m = /^OpenAI\/(JS|Python|Go|Java|Ruby)\s+(\S+)/i.exec(ua);
  if (m) return `openai-sdk-${m[1]!.toLowerCase()}/${m[2]}`;
  m = /^([A-Za-z0-9._-]+)\/([A-Za-z0-9._-]+)/.exec(ua);
  if (m) return `${m[1]!.toLowerCase()}/${m[2]}`;
  return ua.split(/\s+/)[0]!.slice(0, 40).toLowerCase();
}

/** The name without version, for grouping: "claude-code/2.1.197" → "claude-code". */
export const clientName = (client: string): string => client.split('/')[0] ?? client;
