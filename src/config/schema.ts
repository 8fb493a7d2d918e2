import { z } from 'zod';
import { API_FORMATS } from '../formats/api-format.js';

// The config file's contract. Compatible with Swixter 2.0.0 files: every object is "loose", so
// fields this version does not know (syncMeta, future keys) survive a load → save round trip.
// Defaults are not written into the file; `proxySettings()` applies them when read.

export const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;
export const NAME_RULE = 'letters, digits, "-" and "_", not starting with "-"';

export const ApiFormat = z.enum(API_FORMATS);
export const AuthStyle = z.enum(['bearer', 'x-api-key']);
export type AuthStyle = z.infer<typeof AuthStyle>;
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export const LogLevel = z.enum(LOG_LEVELS);
export type LogLevel = z.infer<typeof LogLevel>;

const httpUrl = z
  .string()
  .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), 'expected an http:// or https:// URL');

const Headers = z.record(z.string(), z.string());

export const ProfileModels = z.looseObject({
  anthropicModel: z.string().optional(),
  defaultHaikuModel: z.string().optional(),
  defaultSonnetModel: z.string().optional(),
  defaultOpusModel: z.string().optional(),
});

export const Profile = z.looseObject({
  name: z.string().regex(NAME_PATTERN, NAME_RULE),
  providerId: z.string().min(1),
  /** May be empty: local providers need no key, and `apiKeyEnv` may name where the key lives. */
  apiKey: z.string(),
  authToken: z.string().optional(),
  /** Name of an environment variable holding the key, read when the proxy sends the request. */
  apiKeyEnv: z.string().optional(),
  baseURL: httpUrl.optional(),
  model: z.string().optional(),
  openaiModel: z.string().optional(),
  models: ProfileModels.optional(),
  envKey: z.string().optional(),
  headers: Headers.optional(),
  apiFormat: ApiFormat.optional(),
  /** Upper bound for max_tokens sent upstream (clamped, not rejected). */
  maxTokens: z.number().int().positive().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
});
export type Profile = z.infer<typeof Profile>;

/** What `swixter <coder> apply` last wrote into the coder's own config file (so stale keys can be removed). */
export const AppliedState = z.looseObject({ file: z.string(), keys: z.array(z.string()) });

export const CoderState = z.looseObject({ activeProfile: z.string().optional(), applied: AppliedState.optional() });

export const Group = z.looseObject({
  id: z.string().min(1),
  name: z.string().regex(NAME_PATTERN, NAME_RULE),
  profiles: z.array(z.string()).min(1, 'a group needs at least one profile'),
  isDefault: z.boolean().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
});
export type Group = z.infer<typeof Group>;

export const UserProvider = z.looseObject({
  id: z.string().regex(NAME_PATTERN, NAME_RULE),
  name: z.string().optional(),
  baseURL: httpUrl,
  apiFormat: ApiFormat,
  auth: AuthStyle.optional(),
  envKey: z.string().optional(),
  maxTokens: z.number().int().positive().optional(),
});
export type UserProvider = z.infer<typeof UserProvider>;

export const Route = z.looseObject({
  match: z
    .looseObject({ model: z.string().min(1).optional(), provider: z.string().min(1).optional() })
    .refine((m) => m.model !== undefined || m.provider !== undefined, 'a route needs match.model or match.provider'),
  upstream: httpUrl.optional(),
  profile: z.string().optional(),
});
export type Route = z.infer<typeof Route>;

export const FailoverSettings = z.looseObject({
  /** Statuses that move on to the next profile. */
  failoverOn: z.array(z.number().int().min(100).max(599)).optional(),
  /** Retries on the same profile before moving on. */
  retries: z.number().int().min(0).max(10).optional(),
  retryBackoffMs: z.number().int().min(0).optional(),
  retryAfterCapMs: z.number().int().min(0).optional(),
  firstEventTimeoutMs: z.number().int().positive().optional(),
});

export const BreakerSettings = z.looseObject({
  failureThreshold: z.number().int().positive().optional(),
  failureRate: z.number().gt(0).max(1).optional(),
  windowSize: z.number().int().positive().optional(),
  minRequests: z.number().int().positive().optional(),
  cooldownMs: z.number().int().min(0).optional(),
});

export const ProxySection = z.looseObject({
  port: z.number().int().min(0).max(65535).optional(),
  host: z.string().min(1).optional(),
  autoStart: z.boolean().optional(),
  logLevel: LogLevel.optional(),
  timeout: z.number().int().positive().optional(),
  maxBodyLogSize: z.number().int().min(0).optional(),
  maxBodySize: z.number().int().positive().optional(),
  headers: Headers.optional(),
  routes: z.array(Route).optional(),
  token: z.string().min(8).optional(),
  requireToken: z.boolean().optional(),
  failover: FailoverSettings.optional(),
  breaker: BreakerSettings.optional(),
});

export const ConfigFile = z.looseObject({
  version: z.string().optional(),
  profiles: z.record(z.string(), Profile).optional(),
  coders: z.record(z.string(), CoderState).optional(),
  groups: z.record(z.string(), Group).optional(),
  activeGroup: z.string().nullable().optional(),
  providers: z.record(z.string(), UserProvider).optional(),
  proxy: ProxySection.optional(),
});
export type ConfigFile = z.infer<typeof ConfigFile>;

export const CONFIG_VERSION = '2.0.0';

export function emptyConfig(): ConfigFile {
  return { version: CONFIG_VERSION, profiles: {}, coders: {}, groups: {} };
}
