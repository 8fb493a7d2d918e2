import * as v from 'valibot';
import { API_FORMATS } from '../formats/api-format.js';
import type { ProviderQuirks as ConverterQuirks } from '../formats/convert/types.js';

// The config file's contract. Compatible with Swixter 2.0.0 files: every object is "loose", so
// fields this version does not know (syncMeta, future keys) survive a load → save round trip.
// Defaults are not written into the file; `proxySettings()` applies them when read.
// valibot rather than zod: the same checks for ~3 MB of resident memory instead of ~14 MB in
// every proxy process (docs/performance.md).

/** Object keys that valibot (like any prototype-pollution guard) will not copy: never a name. */
const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype'];

export const NAME_PATTERN = /^(?!(?:__proto__|constructor|prototype)$)[A-Za-z0-9_][A-Za-z0-9_-]*$/;
export const NAME_RULE = 'letters, digits, "-" and "_", not starting with "-" (and not "constructor" or "prototype")';

export const ApiFormat = v.picklist(API_FORMATS);
export const AuthStyle = v.picklist(['bearer', 'x-api-key']);
export type AuthStyle = v.InferOutput<typeof AuthStyle>;
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export const LogLevel = v.picklist(LOG_LEVELS);
export type LogLevel = v.InferOutput<typeof LogLevel>;

const str = v.string();
const optStr = v.optional(str);
const nonEmpty = v.pipe(str, v.minLength(1));
const name = v.pipe(str, v.regex(NAME_PATTERN, NAME_RULE));
const int = (...checks: v.PipeItem<number, number, v.BaseIssue<unknown>>[]) =>
  v.optional(v.pipe(v.number(), v.integer(), ...checks));
const positiveInt = int(v.minValue(1));
const nonNegativeInt = int(v.minValue(0));

const httpUrl = v.pipe(
  str,
  v.check((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), 'expected an http:// or https:// URL'),
);

/**
 * An object, as JSON has them: valibot alone would take an array for an object and silently drop
 * keys named __proto__, constructor or prototype — a load → save would then lose that entry.
 */
const plainObject = v.custom<Record<string, unknown>>(
  (x) =>
    typeof x === 'object' && x !== null && !Array.isArray(x) && !RESERVED_KEYS.some((key) => Object.hasOwn(x, key)),
  `expected an object (whose keys are not ${RESERVED_KEYS.join(', ')})`,
);
const looseObject = <const TEntries extends v.ObjectEntries>(entries: TEntries) =>
  v.pipe(plainObject, v.looseObject(entries));
const record = <const TValue extends v.GenericSchema>(value: TValue) => v.pipe(plainObject, v.record(str, value));

const Headers = record(str);

export const ProfileModels = looseObject({
  anthropicModel: optStr,
  defaultHaikuModel: optStr,
  defaultSonnetModel: optStr,
  defaultOpusModel: optStr,
});

export const Profile = looseObject({
  name,
  providerId: nonEmpty,
  /** May be empty: local providers need no key, and `apiKeyEnv` may name where the key lives. */
  apiKey: str,
  authToken: optStr,
  /** Name of an environment variable holding the key, read when the proxy sends the request. */
  apiKeyEnv: optStr,
  baseURL: v.optional(httpUrl),
  model: optStr,
  openaiModel: optStr,
  models: v.optional(ProfileModels),
  envKey: optStr,
  headers: v.optional(Headers),
  apiFormat: v.optional(ApiFormat),
  /** Upper bound for max_tokens sent upstream (clamped, not rejected). */
  maxTokens: positiveInt,
  createdAt: optStr,
  updatedAt: optStr,
});
export type Profile = v.InferOutput<typeof Profile>;

/** What `swixter <coder> apply` last wrote into the coder's own config file (so stale keys can be removed). */
export const AppliedState = looseObject({
  file: str,
  keys: v.array(str),
  /** The user's own values of model keys `apply` overwrote, put back when a later profile sets none. */
  replaced: v.optional(record(str)),
});

export const CoderState = looseObject({ activeProfile: optStr, applied: v.optional(AppliedState) });

export const Group = looseObject({
  id: nonEmpty,
  name,
  profiles: v.pipe(v.array(str), v.minLength(1, 'a group needs at least one profile')),
  isDefault: v.optional(v.boolean()),
  createdAt: optStr,
  updatedAt: optStr,
});
export type Group = v.InferOutput<typeof Group>;

const optBool = v.optional(v.boolean());

/**
 * What a provider accepts, where it differs from the OpenAI Chat default (formats/convert/types.ts
 * ProviderQuirks). Strict, unlike the rest of the file: a misspelt quirk would otherwise be
 * silently ignored and the request sent as before.
 */
const QUIRK_ENTRIES = {
  reasoning: v.optional(v.picklist(['openai', 'deepseek', 'openrouter', 'none'])),
  maxTokensField: v.optional(v.picklist(['max_tokens', 'max_completion_tokens'])),
  topK: optBool,
  jsonSchemaFormat: optBool,
  streamUsage: optBool,
  parallelToolCalls: optBool,
  fileParts: optBool,
  forwardUser: optBool,
  thoughtSignaturePlaceholder: optBool,
  replayReasoning: optBool,
  shortToolIds: optBool,
  imageParts: optBool,
  topLevelCacheControl: optBool,
  noUserAfterTool: optBool,
  stripSchemaKeywords: v.optional(v.array(nonEmpty)),
};
export const QUIRK_KEYS = Object.keys(QUIRK_ENTRIES);
export const ProviderQuirks = v.pipe(
  plainObject,
  v.strictObject(QUIRK_ENTRIES, (issue) => `unknown quirk ${issue.received}; known: ${QUIRK_KEYS.join(', ')}`),
);
export type ProviderQuirks = v.InferOutput<typeof ProviderQuirks>;
// every quirk a user can set is one the converters know (formats/convert/types.ts)
const _quirksKnown: Record<keyof ProviderQuirks, true> = {} as Record<keyof ConverterQuirks, true>;
void _quirksKnown;

export const UserProvider = looseObject({
  id: name,
  name: optStr,
  baseURL: httpUrl,
  apiFormat: ApiFormat,
  auth: v.optional(AuthStyle),
  envKey: optStr,
  maxTokens: positiveInt,
  /** Layered over the quirks of the built-in preset with the same id. */
  quirks: v.optional(ProviderQuirks),
});
export type UserProvider = v.InferOutput<typeof UserProvider>;

export const Route = looseObject({
  match: v.pipe(
    looseObject({ model: v.optional(nonEmpty), provider: v.optional(nonEmpty) }),
    v.check((m) => m.model !== undefined || m.provider !== undefined, 'a route needs match.model or match.provider'),
  ),
  upstream: v.optional(httpUrl),
  profile: optStr,
});
export type Route = v.InferOutput<typeof Route>;

export const FailoverSettings = looseObject({
  /** Statuses that move on to the next profile. */
  failoverOn: v.optional(v.array(v.pipe(v.number(), v.integer(), v.minValue(100), v.maxValue(599)))),
  /** Retries on the same profile before moving on. */
  retries: int(v.minValue(0), v.maxValue(10)),
  retryBackoffMs: nonNegativeInt,
  retryAfterCapMs: nonNegativeInt,
  firstEventTimeoutMs: positiveInt,
});

export const BreakerSettings = looseObject({
  failureThreshold: positiveInt,
  failureRate: v.optional(v.pipe(v.number(), v.gtValue(0), v.maxValue(1))),
  windowSize: positiveInt,
  minRequests: positiveInt,
  cooldownMs: nonNegativeInt,
});

export const ProxySection = looseObject({
  port: int(v.minValue(0), v.maxValue(65535)),
  host: v.optional(nonEmpty),
  autoStart: v.optional(v.boolean()),
  logLevel: v.optional(LogLevel),
  timeout: positiveInt,
  nonStreamingTimeout: positiveInt,
  maxBodyLogSize: nonNegativeInt,
  maxBodySize: positiveInt,
  logMaxBytes: positiveInt,
  logKeep: positiveInt,
  headers: v.optional(Headers),
  routes: v.optional(v.array(Route)),
  token: v.optional(v.pipe(str, v.minLength(8))),
  requireToken: v.optional(v.boolean()),
  failover: v.optional(FailoverSettings),
  breaker: v.optional(BreakerSettings),
});

export const ConfigFile = looseObject({
  version: optStr,
  profiles: v.optional(record(Profile)),
  coders: v.optional(record(CoderState)),
  groups: v.optional(record(Group)),
  activeGroup: v.nullish(str),
  providers: v.optional(record(UserProvider)),
  proxy: v.optional(ProxySection),
});
export type ConfigFile = v.InferOutput<typeof ConfigFile>;

export const CONFIG_VERSION = '2.0.0';

export function emptyConfig(): ConfigFile {
  return withNameRecords({ version: CONFIG_VERSION, profiles: {}, coders: {}, groups: {} });
}

/**
 * The records keyed by user-chosen names (profiles, groups, providers) without a prototype, so
 * that a name like `toString` or `constructor` is found only when the user created it.
 */
export function withNameRecords(config: ConfigFile): ConfigFile {
  const bare = <T>(record: Record<string, T> | undefined): Record<string, T> | undefined =>
    record === undefined ? undefined : Object.assign(Object.create(null) as Record<string, T>, record);
  const profiles = bare(config.profiles);
  const groups = bare(config.groups);
  const providers = bare(config.providers);
  return {
    ...config,
    ...(profiles ? { profiles } : {}),
    ...(groups ? { groups } : {}),
    ...(providers ? { providers } : {}),
  };
}

/** `record` with `name` set, kept without a prototype (see withNameRecords). */
export function withEntry<T>(record: Record<string, T> | undefined, name: string, value: T): Record<string, T> {
  const out = record ?? (Object.create(null) as Record<string, T>);
  out[name] = value;
  return out;
}
