import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { UserError } from '../config/errors.js';
import { proxySettings } from '../config/proxy-settings.js';
import { loadConfig, updateConfig } from '../config/store.js';
import { startDaemon } from '../daemon/control.js';
import { type InstanceRecord, listInstances } from '../daemon/registry.js';
import { urlFor } from '../proxy/listen-url.js';

// Where coders reach the proxy. A URL written into a coder's settings must survive proxy
// restarts, so `apply` settles on a fixed port (proxy.port) and a token saved in config.json
// (proxy.token) that every proxy started later uses too.

/** The first port `apply` tries when proxy.port is 0 (any free port), so the URL can be written down. */
export const FIRST_FIXED_PORT = 15721;

/** A wildcard bind address is reached through loopback. */
export function clientHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '::1';
  return host;
}

export const clientUrl = (host: string, port: number): string => urlFor(clientHost(host), port);

export const generateToken = (): string => `swx-${randomBytes(24).toString('base64url')}`;

/** proxy.token, generated and saved on first use so proxies and coders agree on it. */
export async function ensureProxyToken(): Promise<{ token: string; created: boolean }> {
  const existing = proxySettings(await loadConfig()).token;
  if (existing) return { token: existing, created: false };
  return updateConfig((config) => {
    if (config.proxy?.token) return { token: config.proxy.token, created: false }; // another process won
    const token = generateToken();
    config.proxy = { ...config.proxy, token };
    return { token, created: true };
  });
}

export function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, host, () => server.close(() => done(true)));
  });
}

export async function firstFreePort(host: string, from = FIRST_FIXED_PORT, tries = 200): Promise<number> {
  for (let port = from; port < from + tries && port <= 65535; port++) {
    if (await portIsFree(host, port)) return port;
  }
  throw new Error(`no free port in ${from}–${from + tries - 1} on ${host}; set one with proxy.port in config.json`);
}

/** Does this running instance answer, and accept our token? (A non-loopback one started with another token does not.) */
export async function instanceAccepts(record: InstanceRecord, token: string): Promise<'ok' | 'unauthorized' | 'down'> {
  try {
    const res = await fetch(`${clientUrl(record.host, record.port)}/_swixter/status`, {
      headers: { 'x-swixter-token': token },
      signal: AbortSignal.timeout(1500),
    });
    await res.body?.cancel();
    if (res.ok) return 'ok';
    return res.status === 401 ? 'unauthorized' : 'down';
  } catch {
    return 'down';
  }
}

export interface ApplyEndpoint {
  /** The URL coders use (no /v1). */
  url: string;
  host: string;
  port: number;
  token: string;
  /** A default-mode instance already serving it. */
  running: InstanceRecord | undefined;
  /** What changed in config.json, and anything the user should know. */
  notes: string[];
}

async function savePort(port: number): Promise<number> {
  return updateConfig((config) => {
    const current = config.proxy?.port ?? 0;
    if (current !== 0) return current;
    config.proxy = { ...config.proxy, port };
    return port;
  });
}

/**
 * The proxy URL and token `apply` writes into a coder's settings: a running default-mode
 * instance's, else proxy.port, else the first free port from 15721 (saved as proxy.port).
 */
export async function applyEndpoint(): Promise<ApplyEndpoint> {
  const notes: string[] = [];
  const { token, created } = await ensureProxyToken();
  if (created) notes.push('generated a proxy token and saved it as proxy.token in config.json');
  const settings = proxySettings(await loadConfig());
  const instances = (await listInstances()).filter((record) => !record.temporary);
  let running: InstanceRecord | undefined;
  /** The port of a default-mode proxy that answered but refused our token (it has a note already). */
  let staleTokenPort: number | undefined;
  for (const record of instances) {
    if (record.mode.kind !== 'default') continue;
    const state = await instanceAccepts(record, token);
    if (state === 'ok') {
      running = record;
      break;
    }
    if (state === 'unauthorized') {
      staleTokenPort = record.port;
      notes.push(
        `proxy "${record.name}" was started with another token; restart it to use proxy.token: swixter proxy stop ${record.name} && swixter proxy start --daemon`,
      );
    }
  }
  if (running) {
    if (settings.port === 0) {
      const saved = await savePort(running.port);
      if (saved === running.port) notes.push(`saved proxy.port = ${saved} (the running proxy's port) in config.json`);
    }
    return {
      url: clientUrl(running.host, running.port),
      host: running.host,
      port: running.port,
      token,
      running,
      notes,
    };
  }
  let port = settings.port;
  if (port === 0) {
    port = await savePort(await firstFreePort(settings.host));
    notes.push(`saved proxy.port = ${port} in config.json, so the URL stays valid across proxy restarts`);
  } else if (port !== staleTokenPort) await checkPortHolder(instances, settings.host, port, token, notes);
  return { url: clientUrl(settings.host, port), host: settings.host, port, token, running: undefined, notes };
}

/**
 * proxy.port with no default-mode proxy on it: a proxy started for one profile or group there
 * would serve the coder that profile, whatever it applies (an error); another program means the
 * proxy cannot start there (a note).
 */
async function checkPortHolder(
  instances: InstanceRecord[],
  host: string,
  port: number,
  token: string,
  notes: string[],
): Promise<void> {
  for (const record of instances) {
    if (record.port !== port || record.mode.kind === 'default') continue;
    if ((await instanceAccepts(record, token)) === 'down') continue;
    const serves = record.mode.profile ? `profile "${record.mode.profile}"` : `group "${record.mode.group}"`;
    throw new UserError(
      `port ${port} (proxy.port) is held by proxy "${record.name}", started for ${serves} only: the coder would reach that, not the profile it applies`,
      `stop it and apply again: swixter proxy stop ${record.name}; or set another proxy.port in config.json`,
    );
  }
  if (!(await portIsFree(host, port)))
    notes.push(
      `port ${port} (proxy.port) is in use by another program: the proxy cannot start there until it is free (or set another proxy.port in config.json and apply again)`,
    );
}

/** Starts the proxy daemon in default mode on the endpoint's port (proxy.autoStart). */
export async function startDefaultDaemon(endpoint: ApplyEndpoint, cliPath: string): Promise<InstanceRecord> {
  return startDaemon({ cliPath, args: ['--port', String(endpoint.port)] });
}
