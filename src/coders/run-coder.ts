import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultGroup } from '../config/groups.js';
import { activeProfileName, type Coder } from '../config/profiles.js';
import { proxySettings } from '../config/proxy-settings.js';
import type { ConfigFile, Profile } from '../config/schema.js';
import { loadConfig } from '../config/store.js';
import type { Mode } from '../proxy/plan.js';
import { buildLaunch, type Credentials, INSTALL_HINT, type LaunchKind, launchKind } from './launch.js';
import { ensureProxyToken } from './proxy-endpoint.js';
import { type ChildOutcome, runChild } from './spawn-coder.js';
import { openRunProxy, type RunProxy } from './temp-proxy.js';

export interface RunRequest {
  mode: Mode;
  /** --port; undefined: any free port for a temporary instance. */
  port: number | undefined;
  command: string;
  args: readonly string[];
  /** Told once the proxy is up, just before the coder starts. */
  onReady?: (info: { proxy: RunProxy; kind: LaunchKind; tokenCreated: boolean }) => void;
}

export interface RunResult {
  outcome: ChildOutcome;
  /** For a missing coder: how to install it. */
  installHint: string | undefined;
  proxy: { name: string; url: string; reused: boolean; logFile: string };
}

const CODERS_OF: Record<LaunchKind, Coder[]> = { claude: ['claude'], codex: ['codex'], other: ['claude', 'codex'] };

/** In default mode with no default group, a coder without an active profile meets the transparent proxy. */
function transparentFor(config: ConfigFile, mode: Mode, coder: Coder): boolean {
  return mode.kind === 'default' && !defaultGroup(config) && activeProfileName(config, coder) === undefined;
}

/** The profile whose models the coder should ask for: the run's profile, or the coder's active one in default mode. */
function modelProfile(config: ConfigFile, mode: Mode, coder: Coder): Profile | undefined {
  if (mode.kind === 'profile') return config.profiles?.[mode.profile];
  if (mode.kind === 'default' && !defaultGroup(config)) {
    const name = activeProfileName(config, coder);
    return name ? config.profiles?.[name] : undefined;
  }
  return undefined;
}

/**
 * `swixter proxy run`: a proxy for the coder (a running instance for the same mode, or a
 * temporary one in this process), the coder launched against it with inherited stdio, and the
 * temporary instance stopped once the coder exits. Returns how the coder ended.
 */
export async function runThroughProxy(req: RunRequest): Promise<RunResult> {
  const { token, created } = await ensureProxyToken();
  const config = await loadConfig();
  const settings = proxySettings(config);
  const kind = launchKind(req.command);
  const proxy = await openRunProxy({ config, settings, mode: req.mode, port: req.port, token });
  let settingsDir: string | undefined;
  try {
    const coders = CODERS_OF[kind];
    const credentials: Credentials =
      !proxy.requiresToken && coders.every((c) => transparentFor(config, req.mode, c)) ? 'client' : 'token';
    if (kind === 'claude') settingsDir = await mkdtemp(join(tmpdir(), 'swixter-run-'));
    const spec = buildLaunch({
      command: req.command,
      args: req.args,
      parentEnv: process.env,
      url: proxy.url,
      token,
      credentials,
      profile: kind === 'other' ? undefined : modelProfile(config, req.mode, coders[0]!),
      claudeSettingsFile: settingsDir ? join(settingsDir, 'settings.json') : undefined,
    });
    if (spec.flagSettings && settingsDir)
      await writeFile(join(settingsDir, 'settings.json'), JSON.stringify(spec.flagSettings), { mode: 0o600 });
    req.onReady?.({ proxy, kind, tokenCreated: created });
    const outcome = await runChild(spec.command, spec.args, spec.env);
    return {
      outcome,
      installHint: outcome.kind === 'not-started' && kind !== 'other' ? INSTALL_HINT[kind] : undefined,
      proxy: { name: proxy.name, url: proxy.url, reused: proxy.reused, logFile: proxy.logFile },
    };
  } finally {
    await proxy.stop();
    if (settingsDir) await rm(settingsDir, { recursive: true, force: true });
  }
}
