import type { ProviderQuirks } from '../formats/convert/types.js';
import { UserError } from './errors.js';
import { BUILTIN_PRESETS, type ProviderPreset } from './presets.js';
import type { ConfigFile, UserProvider } from './schema.js';

/**
 * The user's quirks over the preset's: a value replaces the preset's, except the keyword lists,
 * which add to it (the preset strips what that provider is known to reject).
 */
function mergeQuirks(base: ProviderQuirks, user: UserProvider['quirks']): ProviderQuirks {
  if (user === undefined) return base;
  const strip = [...(base.stripSchemaKeywords ?? []), ...(user.stripSchemaKeywords ?? [])];
  return { ...base, ...user, ...(strip.length > 0 ? { stripSchemaKeywords: [...new Set(strip)] } : {}) };
}

function fromUser(user: UserProvider, base: ProviderPreset | undefined): ProviderPreset {
  return {
    id: user.id,
    name: user.name ?? base?.name ?? user.id,
    baseURL: user.baseURL,
    apiFormat: user.apiFormat,
    auth: user.auth ?? base?.auth ?? (user.apiFormat === 'anthropic_messages' ? 'x-api-key' : 'bearer'),
    envKey: user.envKey ?? base?.envKey ?? `${user.id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_API_KEY`,
    quirks: mergeQuirks(base?.quirks ?? { reasoning: 'none' }, user.quirks),
    ...(user.maxTokens !== undefined
      ? { maxTokens: user.maxTokens }
      : base?.maxTokens !== undefined
        ? { maxTokens: base.maxTokens }
        : {}),
    ...(base?.local ? { local: true } : {}),
    source: 'user',
  };
}

/** Built-in presets with the user's providers (config `providers`) layered on top, by id. */
export function listProviders(config: ConfigFile): ProviderPreset[] {
  const user = config.providers ?? {};
  const merged = BUILTIN_PRESETS.map((p) => (user[p.id] ? fromUser(user[p.id]!, p) : p));
  for (const [id, provider] of Object.entries(user)) {
    if (!BUILTIN_PRESETS.some((p) => p.id === id)) merged.push(fromUser(provider, undefined));
  }
  return merged;
}

export function findProvider(config: ConfigFile, id: string): ProviderPreset | undefined {
  return listProviders(config).find((p) => p.id === id);
}

export function getProvider(config: ConfigFile, id: string): ProviderPreset {
  const provider = findProvider(config, id);
  if (!provider) {
    const ids = listProviders(config).map((p) => p.id);
    throw new UserError(`unknown provider "${id}"`, `known providers: ${ids.join(', ')} (swixter providers list)`);
  }
  return provider;
}
