import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { configPath, logsDir } from '../config/paths.js';
import { type ProxySettings, tokenRequired } from '../config/proxy-settings.js';
import type { ConfigFile } from '../config/schema.js';
import {
  claimInstanceName,
  type InstanceRecord,
  listInstances,
  recordMode,
  removeInstance,
  writeInstance,
} from '../daemon/registry.js';
import { Logger } from '../proxy/logger.js';
import type { Mode } from '../proxy/plan.js';
import { type RunningProxy, startProxy } from '../proxy/start-proxy.js';
import { clientUrl, instanceAccepts } from './proxy-endpoint.js';

/** The proxy a `run` talks to: a running instance it reuses, or a temporary one in this process. */
export interface RunProxy {
  name: string;
  /** The URL the coder uses (no /v1). */
  url: string;
  reused: boolean;
  /** Whether the instance requires the token from clients. */
  requiresToken: boolean;
  logFile: string;
  /** Stops a temporary instance (graceful close, registry entry removed); a no-op for a reused one. */
  stop(): Promise<void>;
}

/** The same profile, or the same group (by id when both know it: a rename does not change it). */
const sameMode = (a: InstanceRecord['mode'], b: Mode): boolean =>
  a.kind === b.kind &&
  (b.kind !== 'profile' || a.profile === b.profile) &&
  (b.kind !== 'group' || (a.groupId !== undefined && b.id !== undefined ? a.groupId === b.id : a.group === b.group));

/**
 * A running, non-temporary instance serving the same mode (and port, when one was asked for)
 * that accepts our token. Another run's temporary instance is never reused: it stops when its
 * own coder exits.
 */
async function findReusable(mode: Mode, port: number | undefined, token: string): Promise<InstanceRecord | undefined> {
  for (const record of await listInstances()) {
    if (record.temporary || !sameMode(record.mode, mode)) continue;
    if (port !== undefined && port !== 0 && record.port !== port) continue;
    if ((await instanceAccepts(record, token)) === 'ok') return record;
  }
  return undefined;
}

const baseName = (mode: Mode): string =>
  mode.kind === 'profile' ? mode.profile : mode.kind === 'group' ? mode.group : 'default';

export interface RunProxyOptions {
  config: ConfigFile;
  settings: ProxySettings;
  mode: Mode;
  port: number | undefined;
  token: string;
}

/**
 * Reuses a running instance for the same group/profile, or starts a temporary one in this
 * process (port 0 unless asked) and registers it (`temporary: true`) so `proxy status` and
 * `proxy logs` see it. Its diagnostics go to `<logs>/<name>.stderr.log`: the coder owns the terminal.
 */
export async function openRunProxy(opts: RunProxyOptions): Promise<RunProxy> {
  const reusable = await findReusable(opts.mode, opts.port, opts.token);
  if (reusable) {
    return {
      name: reusable.name,
      url: clientUrl(reusable.host, reusable.port),
      reused: true,
      requiresToken: tokenRequired(opts.settings, reusable.host),
      logFile: reusable.logFile,
      stop: async () => {},
    };
  }
  const host = opts.settings.host;
  const port = opts.port ?? 0;
  const name = await claimInstanceName(baseName(opts.mode));
  await mkdir(logsDir(), { recursive: true, mode: 0o700 });
  const diagnostics = createWriteStream(join(logsDir(), `${name}.stderr.log`), { flags: 'a', mode: 0o600 });
  const requireToken = tokenRequired(opts.settings, host);
  const closeDiagnostics = () => new Promise<void>((done) => diagnostics.end(() => done()));
  let proxy: RunningProxy;
  try {
    proxy = await startProxy({
      config: opts.config,
      configFile: configPath(),
      mode: opts.mode,
      host,
      port,
      instance: name,
      token: opts.token,
      requireToken,
      logger: new Logger(opts.settings.logLevel, diagnostics),
      requestLines: false, // a file nobody rotates: requests are in the access log
    });
  } catch (err) {
    await closeDiagnostics();
    await removeInstance(name, process.pid);
    throw err;
  }
  await writeInstance({
    name,
    pid: process.pid,
    host,
    port: proxy.port,
    url: proxy.url,
    mode: recordMode(opts.mode),
    daemon: false,
    startedAt: new Date().toISOString(),
    logFile: proxy.logFile,
    temporary: true,
  });
  let stopping: Promise<void> | undefined;
  return {
    name,
    url: clientUrl(host, proxy.port),
    reused: false,
    requiresToken: requireToken,
    logFile: proxy.logFile,
    stop: () => {
      stopping ??= (async () => {
        await proxy.close(2000);
        await removeInstance(name, process.pid);
        await closeDiagnostics();
      })();
      return stopping;
    },
  };
}
