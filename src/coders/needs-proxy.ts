import { defaultGroup } from '../config/groups.js';
import type { Coder } from '../config/profiles.js';
import { findProvider } from '../config/providers.js';
import { proxySettings } from '../config/proxy-settings.js';
import type { ConfigFile, Profile } from '../config/schema.js';
import type { ApiFormat } from '../formats/api-format.js';
import { TRANSPARENT_UPSTREAMS, targetFormat } from '../proxy/target.js';

/** The API each coder speaks: Claude Code the Anthropic Messages API, Codex only the Responses API. */
export const CODER_CLIENT_FORMAT: Record<Coder, ApiFormat> = {
  claude: 'anthropic_messages',
  codex: 'openai_responses',
};

export const CODER_TITLE: Record<Coder, string> = { claude: 'Claude Code', codex: 'Codex' };

/** How a coder reaches a profile: straight to the provider, or through the local proxy (and why). */
export type Connection =
  | { kind: 'direct'; format: ApiFormat; baseURL: string }
  | { kind: 'proxy'; format: ApiFormat; reasons: string[] };

/** Variables Claude Code reads a key from by itself, so a profile keeping its key there can go direct. */
const CLAUDE_NATIVE_KEY_VARS = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'];

/** A version segment in a base path (`/v1`, `/v4`, `/v1beta/openai`), as the proxy's URL join reads it. */
const VERSION_SEGMENT = /\/v\d+[a-z0-9]*(\/|$)/i;

/** The wire format the proxy would speak to this profile's upstream for this coder's requests. */
export function effectiveFormat(config: ConfigFile, profile: Profile, coder: Coder): ApiFormat {
  const provider = findProvider(config, profile.providerId);
  return targetFormat(
    profile,
    provider?.apiFormat ?? 'openai_chat',
    provider?.nativeFormats ?? [],
    CODER_CLIENT_FORMAT[coder],
  );
}

/** The profile's base URL, else its provider's. */
export function profileBaseURL(config: ConfigFile, profile: Profile): string {
  return profile.baseURL ?? findProvider(config, profile.providerId)?.baseURL ?? TRANSPARENT_UPSTREAMS.openai;
}

/** `ANTHROPIC_BASE_URL` for a direct profile: Claude Code appends `/v1/messages` itself. */
function claudeBaseURL(baseURL: string): string | undefined {
  const url = new URL(baseURL);
  const path = url.pathname.replace(/\/+$/, '');
  if (!VERSION_SEGMENT.test(path)) return `${url.origin}${path}`;
  if (/\/v1$/i.test(path) && !VERSION_SEGMENT.test(path.slice(0, -3))) return `${url.origin}${path.slice(0, -3)}`;
  return undefined; // a version elsewhere in the path: Claude Code would build the wrong URL
}

/** Codex's `base_url` for a direct profile: it appends `/responses`, so the version must be in it. */
function codexBaseURL(baseURL: string): string {
  const url = new URL(baseURL);
  const path = url.pathname.replace(/\/+$/, '');
  return VERSION_SEGMENT.test(path) ? `${url.origin}${path}` : `${url.origin}${path}/v1`;
}

/** Why requests from this coder to this profile must go through the proxy (empty: they need not). */
function commonReasons(config: ConfigFile, profile: Profile, coder: Coder, format: ApiFormat): string[] {
  const reasons: string[] = [];
  const client = CODER_CLIENT_FORMAT[coder];
  if (format !== client)
    reasons.push(`the profile speaks ${format} and ${CODER_TITLE[coder]} speaks ${client}: the proxy converts`);
  const group = defaultGroup(config);
  if (group) reasons.push(`the default group "${group.name}" is set: the proxy fails over between its profiles`);
  if (proxySettings(config).routes.length > 0) reasons.push('proxy.routes are configured: the proxy applies them');
  if (profile.headers && Object.keys(profile.headers).length > 0)
    reasons.push('the profile adds headers: the proxy sends them');
  if (profile.maxTokens !== undefined) reasons.push('the profile clamps max_tokens: the proxy does that');
  return reasons;
}

export function connectionFor(config: ConfigFile, profile: Profile, coder: Coder): Connection {
  const format = effectiveFormat(config, profile, coder);
  const reasons = commonReasons(config, profile, coder, format);
  const base = profileBaseURL(config, profile);
  let direct: string | undefined;
  if (coder === 'claude') {
    direct = claudeBaseURL(base);
    if (direct === undefined) reasons.push(`the base URL ${base} has a version segment Claude Code cannot use`);
    if (
      profile.apiKeyEnv &&
      !profile.apiKey &&
      !profile.authToken &&
      !CLAUDE_NATIVE_KEY_VARS.includes(profile.apiKeyEnv)
    )
      reasons.push(`the key is in $${profile.apiKeyEnv}, which Claude Code does not read: the proxy reads it`);
  } else {
    direct = codexBaseURL(base);
    if (!profile.apiKeyEnv || profile.apiKey || profile.authToken)
      reasons.push('Codex reads a key only from an environment variable (--api-key-env): the proxy sends the key');
  }
  if (reasons.length > 0 || direct === undefined) return { kind: 'proxy', format, reasons };
  return { kind: 'direct', format, baseURL: direct };
}
