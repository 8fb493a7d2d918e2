import { isApiFormat } from '../formats/api-format.js';
import { UserError } from './errors.js';
import { getProvider } from './providers.js';
import { type ConfigFile, NAME_PATTERN, NAME_RULE, type Profile, withEntry } from './schema.js';

export const CODERS = ['claude', 'codex'] as const;
export type Coder = (typeof CODERS)[number];

export interface ProfileInput {
  provider?: string | undefined;
  apiKey?: string | undefined;
  apiKeyEnv?: string | undefined;
  authToken?: string | undefined;
  baseURL?: string | undefined;
  model?: string | undefined;
  haikuModel?: string | undefined;
  sonnetModel?: string | undefined;
  opusModel?: string | undefined;
  apiFormat?: string | undefined;
  headers?: Record<string, string> | undefined;
  maxTokens?: number | undefined;
}

export function checkName(kind: string, name: string): void {
  if (!NAME_PATTERN.test(name)) throw new UserError(`invalid ${kind} name "${name}"`, `use ${NAME_RULE}`, true);
}

export function checkUrl(value: string, what = '--base-url'): void {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new UserError(
      `invalid URL for ${what}: "${value}"`,
      'expected an http:// or https:// URL, e.g. https://api.example.com/v1',
      true,
    );
  }
}

function checkFormat(value: string): void {
  if (!isApiFormat(value)) {
    throw new UserError(
      `unknown API format "${value}"`,
      'use one of: anthropic_messages, openai_chat, openai_responses, gemini',
      true,
    );
  }
}

/** Parses repeated `--header K=V` flags. */
export function parseHeaders(pairs: readonly string[] | undefined): Record<string, string> | undefined {
  if (!pairs || pairs.length === 0) return undefined;
  const headers: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq).trim() : '';
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(key)) {
      // only the name: the value may be a key (`Authorization: Bearer sk-…`, curl style)
      const name = (eq > 0 ? pair.slice(0, eq) : (pair.split(/[:=\s]/)[0] ?? '')).trim();
      throw new UserError(
        `invalid --header "${name}…": expected Name=value`,
        'use --header Name=value, e.g. --header X-Org=team-a',
        true,
      );
    }
    headers[key] = pair.slice(eq + 1);
  }
  return headers;
}

/** `coder` names the command the hint suggests when there are no profiles yet. */
export function getProfile(config: ConfigFile, name: string, coder: Coder = 'claude'): Profile {
  const profile = config.profiles?.[name];
  if (!profile) {
    const names = Object.keys(config.profiles ?? {});
    throw new UserError(
      `unknown profile "${name}"`,
      names.length > 0
        ? `existing profiles: ${names.join(', ')}`
        : `create one with: swixter ${coder} create <name> --provider <id> --api-key <key>`,
    );
  }
  return profile;
}

function applyModels(profile: Profile, input: ProfileInput): void {
  if (input.model !== undefined) profile.model = input.model;
  const tiers = {
    defaultHaikuModel: input.haikuModel,
    defaultSonnetModel: input.sonnetModel,
    defaultOpusModel: input.opusModel,
  };
  for (const [key, value] of Object.entries(tiers)) {
    if (value === undefined) continue;
    profile.models = { ...profile.models, [key]: value };
  }
  if (
    input.model !== undefined &&
    (profile.models !== undefined || input.haikuModel || input.sonnetModel || input.opusModel)
  ) {
    profile.models = { ...profile.models, anthropicModel: input.model };
  }
}

/** Applies the given fields to a profile after checking each; unspecified fields are kept. */
function applyInput(config: ConfigFile, profile: Profile, input: ProfileInput): void {
  if (input.provider !== undefined) profile.providerId = getProvider(config, input.provider).id;
  if (input.apiKey !== undefined) profile.apiKey = input.apiKey;
  if (input.apiKeyEnv !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(input.apiKeyEnv)) {
      throw new UserError(
        `invalid --api-key-env "${input.apiKeyEnv}"`,
        'give the name of an environment variable, e.g. GROQ_API_KEY',
        true,
      );
    }
    profile.apiKeyEnv = input.apiKeyEnv;
    // the key now comes from the environment: a stored one would still be sent first
    if (input.apiKey === undefined) profile.apiKey = '';
  }
  // a stored key given now replaces the environment variable named before
  if (input.apiKey && input.apiKeyEnv === undefined) delete profile.apiKeyEnv;
  if (input.authToken !== undefined) profile.authToken = input.authToken;
  if (input.baseURL !== undefined) {
    checkUrl(input.baseURL);
    profile.baseURL = input.baseURL;
  }
  if (input.apiFormat !== undefined) {
    checkFormat(input.apiFormat);
    profile.apiFormat = input.apiFormat as Profile['apiFormat'];
  }
  if (input.headers !== undefined) profile.headers = { ...profile.headers, ...input.headers };
  if (input.maxTokens !== undefined) profile.maxTokens = input.maxTokens;
  applyModels(profile, input);
}

export function createProfile(
  config: ConfigFile,
  name: string,
  input: ProfileInput,
  coder: Coder,
  now: string,
): Profile {
  checkName('profile', name);
  if (config.profiles?.[name]) {
    throw new UserError(
      `profile "${name}" already exists`,
      `edit it with: swixter ${coder} edit ${name} …, or pick another name`,
    );
  }
  if (!input.provider)
    throw new UserError('missing --provider', 'pass --provider <id> (see: swixter providers list)', true);
  const provider = getProvider(config, input.provider);
  if (provider.requiresBaseURL && !input.baseURL) {
    throw new UserError(`provider "${provider.id}" needs --base-url`, 'pass --base-url https://your-endpoint/v1', true);
  }
  const profile: Profile = { name, providerId: provider.id, apiKey: '', createdAt: now, updatedAt: now };
  applyInput(config, profile, input);
  config.profiles = withEntry(config.profiles, name, profile);
  config.coders = config.coders ?? {};
  if (!config.coders[coder]?.activeProfile) config.coders[coder] = { ...config.coders[coder], activeProfile: name };
  return profile;
}

export function editProfile(
  config: ConfigFile,
  name: string,
  input: ProfileInput,
  now: string,
  coder: Coder = 'claude',
): Profile {
  const profile = getProfile(config, name, coder);
  applyInput(config, profile, input);
  const provider = getProvider(config, profile.providerId);
  if (provider.requiresBaseURL && !profile.baseURL) {
    throw new UserError(`provider "${provider.id}" needs a base URL`, 'pass --base-url https://your-endpoint/v1', true);
  }
  profile.updatedAt = now;
  return profile;
}

/** Group names that list this profile. */
export function groupsUsing(config: ConfigFile, name: string): string[] {
  return Object.values(config.groups ?? {})
    .filter((g) => g.profiles.includes(name))
    .map((g) => g.name);
}

export function deleteProfile(
  config: ConfigFile,
  name: string,
  force: boolean,
  coder: Coder = 'claude',
): { removedFromGroups: string[]; removedRoutes: number } {
  getProfile(config, name, coder);
  const users = groupsUsing(config, name);
  if (users.length > 0 && !force) {
    throw new UserError(
      `profile "${name}" is used by group(s) ${users.join(', ')}`,
      'remove it from those groups first, or pass --force to remove it from them too',
    );
  }
  const routes = config.proxy?.routes ?? [];
  const routing = routes.filter((r) => r.profile === name);
  if (routing.length > 0 && !force) {
    throw new UserError(
      `profile "${name}" is named by ${routing.length} route(s) in proxy.routes`,
      'edit those routes first, or pass --force to remove them too',
    );
  }
  if (routing.length > 0 && config.proxy) config.proxy.routes = routes.filter((r) => r.profile !== name);
  for (const group of Object.values(config.groups ?? {})) {
    if (!group.profiles.includes(name)) continue;
    const rest = group.profiles.filter((p) => p !== name);
    if (rest.length === 0) {
      throw new UserError(
        `group "${group.name}" would be left without profiles`,
        `delete the group first: swixter group delete ${group.name}`,
      );
    }
    group.profiles = rest;
  }
  delete config.profiles?.[name];
  for (const state of Object.values(config.coders ?? {})) {
    if (state.activeProfile === name) delete state.activeProfile;
  }
  return { removedFromGroups: users, removedRoutes: routing.length };
}

export function switchProfile(config: ConfigFile, coder: Coder, name: string): void {
  getProfile(config, name, coder);
  config.coders = config.coders ?? {};
  config.coders[coder] = { ...config.coders[coder], activeProfile: name };
}

export function activeProfileName(config: ConfigFile, coder: Coder): string | undefined {
  const name = config.coders?.[coder]?.activeProfile;
  return name && config.profiles?.[name] ? name : undefined;
}

/** `sk-…1234`: enough to recognise a key, never enough to use it. */
export function maskKey(key: string | undefined): string {
  if (!key) return '';
  if (key.length <= 8) return '…';
  const prefix = key.startsWith('sk-') ? 'sk-' : key.slice(0, 3);
  return `${prefix}…${key.slice(-4)}`;
}
