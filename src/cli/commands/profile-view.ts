import { type Coder, groupsUsing, maskKey } from '../../config/profiles.js';
import { findProvider } from '../../config/providers.js';
import type { ConfigFile, Profile } from '../../config/schema.js';

/** What list/show print for a profile: stable field names, keys always masked. */
export function profileView(config: ConfigFile, profile: Profile, coder: Coder) {
  const provider = findProvider(config, profile.providerId);
  return {
    name: profile.name,
    provider: profile.providerId,
    apiFormat: profile.apiFormat ?? provider?.apiFormat ?? null,
    apiFormatSource: profile.apiFormat ? 'profile' : 'provider',
    baseURL: profile.baseURL ?? provider?.baseURL ?? null,
    model: profile.model ?? profile.models?.anthropicModel ?? profile.openaiModel ?? null,
    models: profile.models ?? null,
    apiKey: maskKey(profile.apiKey),
    apiKeyEnv: profile.apiKeyEnv ?? null,
    authToken: profile.authToken ? maskKey(profile.authToken) : null,
    headers: profile.headers ? Object.keys(profile.headers) : [],
    maxTokens: profile.maxTokens ?? null,
    active: config.coders?.[coder]?.activeProfile === profile.name,
    groups: groupsUsing(config, profile.name),
    createdAt: profile.createdAt ?? null,
    updatedAt: profile.updatedAt ?? null,
  };
}
export type ProfileView = ReturnType<typeof profileView>;

export function keyColumn(view: ProfileView): string {
  if (view.apiKeyEnv) return `$${view.apiKeyEnv}`;
  return view.apiKey || '(client key)';
}
