import { type FSWatcher, watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { basename, dirname } from 'node:path';
import { type ProxySettings, proxySettings } from '../config/proxy-settings.js';
import type { ConfigFile, LogLevel } from '../config/schema.js';
import { loadConfig } from '../config/store.js';
import type { ApiFormat } from '../formats/api-format.js';
import type { AccessLog } from './access-log.js';
import { Breakers, ROUTED } from './breaker.js';
import { clientGoneOf } from './client-gone.js';
import { GatewayError } from './gateway-error.js';
import type { Logger } from './logger.js';
import { type Mode, modeTargets, type Plan, planRequest } from './plan.js';
import { Provenance } from './provenance.js';
import { ReasoningRefusals } from './reasoning-refusals.js';
import { redact } from './redact.js';
import { Stats } from './stats.js';
import { ToolsMemo } from './tools-memo.js';
import { UpstreamClient } from './upstream-client.js';

export interface RuntimeOptions {
  config: ConfigFile;
  configFile: string;
  mode: Mode;
  logger: Logger;
  accessLog: AccessLog;
  /** --log-level: wins over proxy.logLevel, also after reloads. */
  logLevelOverride?: LogLevel | undefined;
  /** The token clients must present when the proxy requires one (non-loopback host). */
  token?: string | undefined;
  requireToken?: boolean;
  instance: string;
  /** StartOptions.requestLines. */
  requestLines?: boolean;
}

/** Distinct models remembered per client format with their routed plan (see ProxyRuntime.plan). */
const MAX_PLANNED_MODELS = 256;

/** One running proxy's state: the live config, its settings, clients for upstreams, counters. */
export class ProxyRuntime {
  config: ConfigFile;
  settings: ProxySettings;
  readonly mode: Mode;
  readonly logger: Logger;
  readonly accessLog: AccessLog;
  readonly upstream = new UpstreamClient();
  readonly stats = new Stats();
  readonly breakers = new Breakers();
  readonly provenance = new Provenance();
  /** Converted tools kept while coders resend them (convert-request.ts). */
  readonly toolsMemo = new ToolsMemo();
  /** Profiles' models that refused the reasoning parameter: converted without it (attempt.ts). */
  readonly reasoningRefusals = new ReasoningRefusals();
  readonly configFile: string;
  readonly instance: string;
  readonly token: string | undefined;
  /** Whether a request's info line goes to stderr (its warning always does). */
  readonly requestLines: boolean;
  readonly requireToken: boolean;
  #secrets: string[] = [];
  #watcher: FSWatcher | undefined;
  #poll: NodeJS.Timeout | undefined;
  #lastMtime = 0;
  #reloading: Promise<void> | undefined;
  #reloadAgain = false;
  readonly #logLevelOverride: LogLevel | undefined;

  constructor(opts: RuntimeOptions) {
    this.config = opts.config;
    this.settings = proxySettings(opts.config);
    this.mode = opts.mode;
    this.logger = opts.logger;
    this.accessLog = opts.accessLog;
    this.configFile = opts.configFile;
    this.instance = opts.instance;
    this.token = opts.token;
    this.requireToken = opts.requireToken ?? false;
    this.requestLines = opts.requestLines ?? true;
    this.#logLevelOverride = opts.logLevelOverride;
    this.accessLog.onError = (err) =>
      this.logger.error(`access log ${this.accessLog.file}: ${err.message}; requests are still served, but not logged`);
    this.#apply(opts.config);
  }

  /** Mode targets per client format, valid until the config changes (resolving them reads presets). */
  readonly #plans = new Map<ApiFormat, Plan>();

  /** Plans with the routes applied, per client format and model, valid until the config changes. */
  readonly #routedPlans = new Map<ApiFormat, Map<string, Plan>>();

  /**
   * The ordered targets for one request: the mode's targets, then the routes for its model. Both
   * depend only on the config, the client format and the model (a coder asks for a handful of
   * models), so each plan is made once: matching every route's glob and resolving a routed
   * profile per request cost more than the rest of planning. Plans are never changed after.
   */
  plan(clientFormat: ApiFormat, model: string): Plan {
    let base = this.#plans.get(clientFormat);
    if (!base) {
      base = modeTargets(this.config, this.mode, { clientFormat }, this.settings.headers);
      this.#plans.set(clientFormat, base);
    }
    const routes = this.settings.routes;
    if (routes.length === 0) return base;
    let byModel = this.#routedPlans.get(clientFormat);
    if (!byModel) {
      byModel = new Map();
      this.#routedPlans.set(clientFormat, byModel);
    }
    let plan = byModel.get(model);
    if (!plan) {
      plan = planRequest(this.config, this.mode, { clientFormat, model }, this.settings.headers, routes, base);
      if (byModel.size >= MAX_PLANNED_MODELS) byModel.clear(); // a client that varies its model cannot grow it without bound
      byModel.set(model, plan);
    }
    return plan;
  }

  #apply(config: ConfigFile): void {
    // a profile whose key or address was fixed is tried at once, not after its breaker's cooldown
    if (this.config !== undefined) for (const label of changedTargets(this.config, config)) this.breakers.reset(label);
    this.#plans.clear();
    this.reasoningRefusals.clear();
    this.#routedPlans.clear();
    this.config = config;
    this.settings = proxySettings(config);
    for (const [i, route] of this.settings.routes.entries()) {
      if (route.profile && !config.profiles?.[route.profile]) {
        this.logger.warn(
          `proxy.routes[${i}] names profile "${route.profile}", which does not exist; that route is skipped`,
        );
      }
    }
    this.logger.level = this.#logLevelOverride ?? this.settings.logLevel;
    const secrets = new Set<string>();
    for (const p of Object.values(config.profiles ?? {})) {
      for (const s of [p.apiKey, p.authToken, p.apiKeyEnv ? process.env[p.apiKeyEnv] : undefined])
        if (s) secrets.add(s);
    }
    if (this.token) secrets.add(this.token);
    if (config.proxy?.token) secrets.add(config.proxy.token);
    this.#secrets = [...secrets];
  }

  /**
   * Only the configured secrets (profile keys, the proxy token) masked, for a body the client
   * gets: real keys only (16 characters and more), not a local server's placeholder (`ollama`).
   */
  redactSecrets = (text: string): string =>
    redact(
      text,
      this.#secrets.filter((s) => s.length >= 16),
      { shapes: false },
    );

  /** Masks every key Swixter knows (and anything credential-shaped) in a text bound for logs or errors. */
  redact = (text: string, extra: readonly string[] = []): string =>
    redact(text, extra.length > 0 ? [...this.#secrets, ...extra] : this.#secrets);

  /** Swixter's own local token is never forwarded upstream. */
  isLocalToken = (value: string): boolean =>
    value.startsWith('swx-') || (this.token !== undefined && value === this.token);

  /** Re-reads config.json; a file that fails validation is reported and the last good config kept. */
  async reload(): Promise<void> {
    if (this.#reloading) {
      // A change arrived while a reload was reading the file: read it once more afterwards.
      this.#reloadAgain = true;
      return this.#reloading;
    }
    this.#reloading = (async () => {
      do {
        this.#reloadAgain = false;
        try {
          const config = await loadConfig(this.configFile);
          this.#apply(config);
          this.logger.info(`config reloaded from ${this.configFile}`);
        } catch (err) {
          this.logger.error(`config change ignored, keeping the last good config: ${(err as Error).message}`);
        }
      } while (this.#reloadAgain);
    })().finally(() => {
      this.#reloading = undefined;
    });
    return this.#reloading;
  }

  /**
   * Watches config.json for changes. Saves replace the file (temp + rename), so the directory is
   * watched; a 1 s mtime poll covers file systems where fs.watch is unreliable.
   */
  watchConfig(): void {
    const dir = dirname(this.configFile);
    const name = basename(this.configFile);
    let debounce: NodeJS.Timeout | undefined;
    const changed = () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => void this.#checkMtime(), 50);
    };
    try {
      this.#watcher = watch(dir, (_event, file) => {
        if (file === name) changed();
      });
      this.#watcher.on('error', () => {});
    } catch {
      // no watcher: the poll below still notices changes
    }
    void stat(this.configFile).then(
      (s) => {
        this.#lastMtime = s.mtimeMs;
      },
      () => {},
    );
    this.#poll = setInterval(() => void this.#checkMtime(), 1000);
    this.#poll.unref();
  }

  async #checkMtime(): Promise<void> {
    const mtime = await stat(this.configFile).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    if (mtime === this.#lastMtime) return;
    this.#lastMtime = mtime;
    await this.reload();
  }

  /** Set when the proxy stops: answers close their connections (server.ts). */
  stopping = false;

  /**
   * API requests being handled (handleApi): a shutdown waits for their log lines. A count, not a
   * set of responses: holding every response in a long-lived Set tripled the GC time per request
   * (conv-sse-c32: 1.26× the CPU per request, session 23).
   */
  #active = 0;
  #settled: (() => void) | undefined;
  /** The client connections open now (a Set per connection, not per request). */
  readonly #connections = new Set<Socket>();

  /** server.ts: a client connected; the runtime knows its connections to end them when it stops. */
  connectionOpened(socket: Socket): void {
    this.#connections.add(socket);
    socket.once('close', () => this.#connections.delete(socket));
  }

  requestStarted(): void {
    this.#active++;
  }

  requestEnded(): void {
    if (--this.#active === 0) this.#settled?.();
  }

  /** The proxy stops: answers not begun yet will close their connections (`Connection: close`). */
  stop(): void {
    this.stopping = true;
    for (const res of this.#answering()) if (!res.headersSent) res.shouldKeepAlive = false;
  }

  /**
   * The shutdown grace is over: every API answer still running ends now, with an error in its
   * client's shape (an error event in a stream, a 503 before the answer began), not a reset.
   */
  cutInFlight(graceMs: number): void {
    const error = new GatewayError(
      'unavailable',
      `Swixter is stopping, and this answer was still running when its ${graceMs} ms shutdown grace ended: send the request again once the proxy runs`,
      'shutdown',
    );
    for (const res of this.#answering()) clientGoneOf(res)?.cut(error);
  }

  /** The answers the client connections are serving now (Node's own link from a socket to its response). */
  *#answering(): Generator<ServerResponse> {
    for (const socket of this.#connections) {
      const res = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
      if (res) yield res;
    }
  }

  /**
   * Stops, after the requests in flight have finished (their clients were cut off by now, so they
   * end at once; at most `graceMs`), so that their access-log lines are written.
   */
  async close(graceMs = 2000): Promise<void> {
    this.#watcher?.close();
    clearInterval(this.#poll);
    if (this.#active > 0) {
      await new Promise<void>((done) => {
        const timer = setTimeout(done, graceMs);
        timer.unref();
        this.#settled = () => {
          clearTimeout(timer);
          done();
        };
      });
    }
    await this.accessLog.close();
    await this.upstream.close().catch(() => this.upstream.destroy());
  }
}

/** Profiles a config change edited (or removed), and `*via route*` when the routes changed: their breakers start afresh. */
function changedTargets(before: ConfigFile, after: ConfigFile): string[] {
  const changed: string[] = [];
  for (const [name, profile] of Object.entries(before.profiles ?? {}))
    if (JSON.stringify(profile) !== JSON.stringify(after.profiles?.[name])) changed.push(name);
  if (JSON.stringify(before.proxy?.routes ?? []) !== JSON.stringify(after.proxy?.routes ?? [])) changed.push(ROUTED);
  return changed;
}
