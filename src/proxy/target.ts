import { findProvider } from '../config/providers.js';
import type { ConfigFile, Profile } from '../config/schema.js';
import type { ApiFormat } from '../formats/api-format.js';
import type { ProviderQuirks } from '../formats/convert/types.js';
import type { UpstreamAuth } from './headers.js';

/** One place a request can be sent: everything an attempt needs, resolved from config. */
export interface Target {
  /** What logs and status show: the profile name, or "default:anthropic" in transparent mode. */
  label: string;
  profile: Profile | undefined;
  providerId: string;
  baseURL: string;
  format: ApiFormat;
  /** `env`: the key is read from that variable when each request is sent (see resolveAuth). */
  auth: UpstreamAuth | { kind: 'env'; style: 'bearer' | 'x-api-key'; variable: string };
  /** proxy.headers then the profile's headers (profile wins). */
  headers: Record<string, string>;
  quirks: ProviderQuirks;
  maxTokensCap: number | undefined;
}

export const TRANSPARENT_UPSTREAMS = {
  anthropic_messages: 'https://api.anthropic.com',
  openai: 'https://api.openai.com/v1',
} as const;

/**
 * The wire format to speak to a profile's upstream for a client format: the profile's
 * `apiFormat` wins; else the client's own format when the provider serves it natively at the
 * same URL; else the provider's default format.
 */
export function targetFormat(
  profile: Profile,
  providerFormat: ApiFormat,
  nativeFormats: readonly ApiFormat[],
  clientFormat: ApiFormat,
): ApiFormat {
  if (profile.apiFormat) return profile.apiFormat;
  if (clientFormat === providerFormat || nativeFormats.includes(clientFormat)) return clientFormat;
  return providerFormat;
}

function profileAuth(profile: Profile, style: 'bearer' | 'x-api-key'): Target['auth'] {
  if (profile.apiKey) return { kind: 'replace', style, key: profile.apiKey };
  if (profile.apiKeyEnv) return { kind: 'env', style, variable: profile.apiKeyEnv };
  if (profile.authToken) return { kind: 'replace', style: 'bearer', key: profile.authToken };
  return { kind: 'forward' };
}

export function profileTarget(
  config: ConfigFile,
  profile: Profile,
  clientFormat: ApiFormat,
  proxyHeaders: Record<string, string>,
  _env: NodeJS.ProcessEnv = process.env,
): Target {
  const provider = findProvider(config, profile.providerId);
  const providerFormat = provider?.apiFormat ?? 'openai_chat';
  return {
    label: profile.name,
    profile,
    providerId: profile.providerId,
    baseURL: profile.baseURL ?? provider?.baseURL ?? TRANSPARENT_UPSTREAMS.openai,
    format: targetFormat(profile, providerFormat, provider?.nativeFormats ?? [], clientFormat),
    auth: profileAuth(profile, provider?.auth ?? 'bearer'),
    headers: { ...proxyHeaders, ...profile.headers },
    quirks: provider?.quirks ?? {},
    maxTokensCap: profile.maxTokens ?? provider?.maxTokens,
  };
}

/** Transparent inspection mode: the official API for the client's format, the client's own credentials. */
export function transparentTarget(clientFormat: ApiFormat, proxyHeaders: Record<string, string>): Target {
  const anthropic = clientFormat === 'anthropic_messages';
  return {
    label: anthropic ? 'default:anthropic' : 'default:openai',
    profile: undefined,
    providerId: anthropic ? 'anthropic' : 'openai',
    baseURL: anthropic ? TRANSPARENT_UPSTREAMS.anthropic_messages : TRANSPARENT_UPSTREAMS.openai,
    format: clientFormat,
    auth: { kind: 'forward' },
    headers: { ...proxyHeaders },
    quirks: {},
    maxTokensCap: undefined,
  };
}

/** The credentials to send now: a key held in an environment variable is read at send time. */
export function resolveAuth(
  auth: Target['auth'],
  env: NodeJS.ProcessEnv = process.env,
): UpstreamAuth | { kind: 'missing'; variable: string } {
  if (auth.kind !== 'env') return auth;
  const key = env[auth.variable];
  return key ? { kind: 'replace', style: auth.style, key } : { kind: 'missing', variable: auth.variable };
}

/**
 * The model to send upstream. A name the profile itself configures (its main or a tier model, as
 * `apply` writes them into Claude Code's settings) goes as it is; a requested name containing
 * haiku/sonnet/opus maps to that tier's model when the profile sets one; otherwise the profile's
 * main model; otherwise unchanged.
 */
export function mapModel(profile: Profile | undefined, requested: string): string {
  if (!profile) return requested;
  const m = profile.models;
  const own = [m?.anthropicModel, m?.defaultHaikuModel, m?.defaultSonnetModel, m?.defaultOpusModel, profile.model];
  if (requested !== '' && own.includes(requested)) return requested;
  const lower = requested.toLowerCase();
  if (m?.defaultHaikuModel && lower.includes('haiku')) return m.defaultHaikuModel;
  if (m?.defaultSonnetModel && lower.includes('sonnet')) return m.defaultSonnetModel;
  if (m?.defaultOpusModel && lower.includes('opus')) return m.defaultOpusModel;
  return m?.anthropicModel || profile.model || profile.openaiModel || requested;
}
