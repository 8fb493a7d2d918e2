import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../config/errors.js';
import { withFileLock } from '../config/lock.js';
import { configDir } from '../config/paths.js';
import { activeProfileName, type Coder, getProfile, maskKey, switchProfile } from '../config/profiles.js';
import { findProvider } from '../config/providers.js';
import { proxySettings } from '../config/proxy-settings.js';
import type { ConfigFile, Profile } from '../config/schema.js';
import { loadConfig, updateConfig } from '../config/store.js';
import {
  CLAUDE_ENV,
  CLAUDE_MODEL_VARS,
  CLAUDE_SECRET_VARS,
  claudeDirectCredential,
  claudeModelEnv,
  claudeSettingsPath,
  planEnvChange,
  updateClaudeSettings,
} from './claude-settings.js';
import { backupOnce, readCoderFile, writeCoderFile } from './coder-file.js';
import {
  type CodexProvider,
  codexConfigPath,
  codexProviderId,
  PROXY_TOKEN_ENV,
  updateCodexConfig,
} from './codex-config.js';
import { type Connection, connectionFor } from './needs-proxy.js';
import { type ApplyEndpoint, applyEndpoint, startDefaultDaemon } from './proxy-endpoint.js';
import { type AppliedKeys, nextReplaced, planRestore } from './replaced-values.js';

/** The proxy as `apply` left it: already running, started now (autoStart), or to be started by the user. */
export type ProxyState =
  | { state: 'running'; url: string; instance: string; pid: number }
  | { state: 'started'; url: string; instance: string; pid: number }
  | { state: 'not-running'; url: string; startCommand: string };

export interface ApplyResult {
  coder: Coder;
  profile: string;
  file: string;
  /** The backup made by this run (only the first apply makes one). */
  backup: string | null;
  /** false when the file already said exactly this. */
  changed: boolean;
  connection: 'direct' | 'proxy';
  reasons: string[];
  /** What was written, secrets masked. */
  written: Record<string, string>;
  removed: string[];
  /** Model keys set back to the user's own value (Swixter had overwritten it, and this profile sets none). */
  restored: Record<string, string>;
  proxy: ProxyState | null;
  /** Codex: the variable the user must export (the proxy token, or the profile's key variable). */
  envKey: string | null;
  notes: string[];
}

export interface ApplyOptions {
  /** The CLI entry, for starting the daemon (proxy.autoStart). */
  cliPath: string;
  env?: NodeJS.ProcessEnv;
}

function pickProfile(config: ConfigFile, coder: Coder, name: string | undefined): Profile {
  if (name) return getProfile(config, name, coder);
  const active = activeProfileName(config, coder);
  if (!active)
    throw new UserError(
      `no profile given and ${coder} has no active profile`,
      `name one: swixter ${coder} apply <profile> (see: swixter ${coder} list)`,
    );
  return getProfile(config, active, coder);
}

/**
 * Keys Swixter wrote into this file last time (so they can be removed when no longer wanted), and
 * the user's values it replaced.
 */
function priorApplied(config: ConfigFile, coder: Coder, file: string): AppliedKeys {
  const applied = config.coders?.[coder]?.applied;
  return applied && applied.file === file ? { keys: applied.keys, replaced: applied.replaced ?? {} } : NOTHING_APPLIED;
}
const NOTHING_APPLIED: AppliedKeys = { keys: [], replaced: {} };

/** Keys whose value of the user's own is given back when a later profile sets none (replaced-values.ts). */
const RESTORABLE: Record<Coder, ReadonlySet<string>> = {
  claude: new Set(CLAUDE_MODEL_VARS),
  codex: new Set(['model']),
};

/** An apply's result, with the user's values to remember for the next one. */
interface Applied {
  result: ApplyResult;
  replaced: Record<string, string>;
}

/** Where the proxy is for a profile that needs it; starts the daemon when proxy.autoStart is on. */
async function proxyState(cliPath: string): Promise<{ endpoint: ApplyEndpoint; proxy: ProxyState }> {
  const endpoint = await applyEndpoint();
  if (endpoint.running) {
    const r = endpoint.running;
    return { endpoint, proxy: { state: 'running', url: endpoint.url, instance: r.name, pid: r.pid } };
  }
  if (proxySettings(await loadConfig()).autoStart) {
    const record = await startDefaultDaemon(endpoint, cliPath);
    return { endpoint, proxy: { state: 'started', url: endpoint.url, instance: record.name, pid: record.pid } };
  }
  return { endpoint, proxy: { state: 'not-running', url: endpoint.url, startCommand: 'swixter proxy start --daemon' } };
}

const masked = (env: Record<string, string>, secrets: readonly string[]): Record<string, string> =>
  Object.fromEntries(Object.entries(env).map(([k, v]) => [k, secrets.includes(k) ? maskKey(v) : v]));

interface Routing {
  connection: Connection;
  routed: { endpoint: ApplyEndpoint; proxy: ProxyState } | undefined;
}

function baseResult(coder: Coder, profile: Profile, path: string, routing: Routing) {
  const { connection, routed } = routing;
  return {
    coder,
    profile: profile.name,
    file: path,
    connection: connection.kind,
    reasons: connection.kind === 'proxy' ? connection.reasons : [],
    proxy: routed?.proxy ?? null,
    notes: routed?.endpoint.notes ?? [],
  };
}

async function applyClaude(config: ConfigFile, profile: Profile, opts: ApplyOptions): Promise<Applied> {
  const path = claudeSettingsPath(opts.env);
  const file = await readCoderFile(path);
  // A malformed file stops here, before config.json or a daemon is touched.
  updateClaudeSettings(file.text, { set: {}, remove: [] }, path);
  const connection = connectionFor(config, profile, 'claude');
  let routed: Routing['routed'];
  let desired: Record<string, string>;
  if (connection.kind === 'proxy') {
    routed = await proxyState(opts.cliPath);
    desired = { [CLAUDE_ENV.baseURL]: routed.endpoint.url, [CLAUDE_ENV.authToken]: routed.endpoint.token };
  } else {
    const auth = findProvider(config, profile.providerId)?.auth ?? 'x-api-key';
    desired = { [CLAUDE_ENV.baseURL]: connection.baseURL, ...claudeDirectCredential(profile, auth) };
  }
  Object.assign(desired, claudeModelEnv(profile));
  const prior = priorApplied(config, 'claude', path);
  const plan = planRestore(planEnvChange(desired, prior.keys).remove, prior);
  const update = updateClaudeSettings(file.text, { set: { ...plan.restore, ...desired }, remove: plan.remove }, path);
  const changed = update.text !== file.text;
  // settings.json holds a key or token from now on (and may have before): keep it private.
  const backup = changed ? ((await backupOnce(file, { holdsSecret: true })) ?? null) : null;
  if (changed) await writeCoderFile(file, update.text, { holdsSecret: true });
  const restored = Object.keys(plan.restore);
  return {
    result: {
      ...baseResult('claude', profile, path, { connection, routed }),
      backup,
      changed,
      written: masked(desired, CLAUDE_SECRET_VARS),
      removed: update.removed,
      restored: plan.restore,
      envKey: null,
    },
    replaced: nextReplaced(prior, update.before, Object.keys(desired), restored, RESTORABLE.claude),
  };
}

async function applyCodex(config: ConfigFile, profile: Profile, opts: ApplyOptions): Promise<Applied> {
  const path = codexConfigPath(opts.env);
  const file = await readCoderFile(path);
  const id = codexProviderId(profile.name);
  const draft: CodexProvider = { name: `Swixter: ${profile.name}`, base_url: '', env_key: '', wire_api: 'responses' };
  updateCodexConfig(file.text, { providerId: id, provider: draft }, path); // a malformed file stops here
  const connection = connectionFor(config, profile, 'codex');
  let routed: Routing['routed'];
  let provider: CodexProvider;
  if (connection.kind === 'proxy') {
    routed = await proxyState(opts.cliPath);
    provider = { ...draft, base_url: `${routed.endpoint.url}/v1`, env_key: PROXY_TOKEN_ENV };
  } else {
    provider = { ...draft, base_url: connection.baseURL, env_key: profile.apiKeyEnv ?? PROXY_TOKEN_ENV };
  }
  const model = profile.model || profile.openaiModel || undefined;
  const prior = priorApplied(config, 'codex', path);
  // a model Swixter wrote before and this profile lacks: the user's own goes back, else the line goes
  const plan = planRestore(model === undefined && prior.keys.includes('model') ? ['model'] : [], prior);
  const update = updateCodexConfig(
    file.text,
    { providerId: id, provider, model: model ?? plan.restore.model, removeModel: plan.remove.includes('model') },
    path,
  );
  const changed = update.text !== file.text;
  // config.toml names the environment variable that holds the key, never the key itself.
  const backup = changed ? ((await backupOnce(file, { holdsSecret: false })) ?? null) : null;
  if (changed) await writeCoderFile(file, update.text, { holdsSecret: false });
  const written = model ? ['model'] : [];
  return {
    result: {
      ...baseResult('codex', profile, path, { connection, routed }),
      backup,
      changed,
      written: {
        model_provider: id,
        [`model_providers.${id}.base_url`]: provider.base_url,
        [`model_providers.${id}.env_key`]: provider.env_key,
        [`model_providers.${id}.wire_api`]: provider.wire_api,
        ...(model ? { model } : {}),
      },
      removed: update.removed,
      restored: plan.restore,
      envKey: provider.env_key,
    },
    replaced: nextReplaced(prior, update.before, written, Object.keys(plan.restore), RESTORABLE.codex),
  };
}

/**
 * Writes a profile into a coder's own config (Claude Code's settings.json env block, or Codex's
 * config.toml) and makes it the coder's active profile. Profiles the coder cannot reach as they
 * are go through the local proxy, which is started when proxy.autoStart is on.
 */
export async function applyProfile(coder: Coder, name: string | undefined, opts: ApplyOptions): Promise<ApplyResult> {
  // One apply at a time, for either coder: the coder's file and config.json (active profile, keys
  // written) must end up describing the same profile when two applies race, and two applies that
  // both need the daemon (proxy.autoStart) must not both start one. The lock lives in Swixter's
  // own folder, not the coder's.
  await mkdir(configDir(), { recursive: true, mode: 0o700 });
  // An apply may start the daemon, which can take a while: wait up to a minute.
  return withFileLock(join(configDir(), 'apply'), () => applyLocked(coder, name, opts), { waitMs: 60_000 });
}

async function applyLocked(coder: Coder, name: string | undefined, opts: ApplyOptions): Promise<ApplyResult> {
  const config = await loadConfig();
  const profile = pickProfile(config, coder, name);
  const { result, replaced } =
    coder === 'claude' ? await applyClaude(config, profile, opts) : await applyCodex(config, profile, opts);
  const keys =
    coder === 'claude'
      ? Object.keys(result.written)
      : [
          'model_provider',
          `model_providers.${codexProviderId(profile.name)}`,
          ...('model' in result.written ? ['model'] : []),
        ];
  await updateConfig((c) => {
    switchProfile(c, coder, profile.name);
    const state = c.coders![coder]!;
    state.applied = { file: result.file, keys, ...(Object.keys(replaced).length > 0 ? { replaced } : {}) };
  });
  return result;
}
