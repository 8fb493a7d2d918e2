import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { logsDir } from '../config/paths.js';
import { proxySettings } from '../config/proxy-settings.js';
import type { ConfigFile, LogLevel } from '../config/schema.js';
import { AccessLog } from './access-log.js';
import { tuneHeapForProxy } from './heap-tuning.js';
import { urlFor } from './listen-url.js';
import { Logger } from './logger.js';
import type { Mode } from './plan.js';
import { ProxyRuntime } from './runtime.js';
import { createProxyServer } from './server.js';

export interface StartOptions {
  config: ConfigFile;
  configFile: string;
  mode: Mode;
  host: string;
  port: number;
  instance: string;
  logLevel?: LogLevel | undefined;
  token?: string | undefined;
  requireToken?: boolean;
  logger?: Logger;
  /**
   * One stderr line per request at info level (default true). Off where stderr is a file nobody
   * rotates (a daemon's, `proxy run`'s): the access log has every request, rotated; warnings stay.
   */
  requestLines?: boolean;
}

export interface RunningProxy {
  server: Server;
  runtime: ProxyRuntime;
  host: string;
  port: number;
  url: string;
  logFile: string;
  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, then closes everything. */
  close(graceMs?: number): Promise<void>;
}

export class ListenError extends Error {
  override readonly name = 'ListenError';
}

/** After the shutdown grace: how long the error events of the answers cut get to reach their clients. */
const CUT_FLUSH_MS = 250;

export async function startProxy(opts: StartOptions): Promise<RunningProxy> {
  const logger = opts.logger ?? new Logger(opts.logLevel ?? 'info');
  const logFile = join(logsDir(), `${opts.instance}.jsonl`);
  const { logMaxBytes, logKeep } = proxySettings(opts.config);
  const accessLog = new AccessLog(logFile, { maxBytes: logMaxBytes, keep: logKeep });
  await accessLog.open();
  const runtime = new ProxyRuntime({
    config: opts.config,
    configFile: opts.configFile,
    mode: opts.mode,
    logger,
    accessLog,
    logLevelOverride: opts.logLevel,
    token: opts.token,
    requireToken: opts.requireToken ?? false,
    instance: opts.instance,
    requestLines: opts.requestLines ?? true,
  });
  const server = createProxyServer(runtime);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const where = `${opts.host}:${opts.port}`;
      if (err.code === 'EADDRINUSE')
        reject(
          new ListenError(
            `port ${opts.port} on ${opts.host} is already in use (another swixter proxy? see: swixter proxy status); pick another with --port`,
          ),
        );
      else if (err.code === 'EACCES')
        reject(new ListenError(`no permission to listen on ${where}; use a port above 1024`));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND')
        reject(new ListenError(`cannot listen on ${where}: this machine has no such address`));
      else reject(new ListenError(`cannot listen on ${where}: ${err.message}`));
    });
    server.listen(opts.port, opts.host, () => resolve());
  }).catch(async (err: unknown) => {
    await runtime.close();
    throw err;
  });
  tuneHeapForProxy(); // after start-up's own allocations, before the first request
  runtime.watchConfig();
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    server,
    runtime,
    host: opts.host,
    port: address.port,
    url: urlFor(opts.host, address.port),
    logFile,
    close(graceMs = 5000) {
      closing ??= (async () => {
        runtime.stop();
        const closed = new Promise<void>((done) => server.close(() => done()));
        // a kept-alive connection whose answer is over closes now, not when the grace is up: the
        // proxy stops as soon as the requests in flight are done
        server.closeIdleConnections();
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        // the grace is over: answers still running end with an error their clients can read; the
        // connections still open a moment later are cut
        let cut: NodeJS.Timeout | undefined;
        const timer = setTimeout(() => {
          runtime.cutInFlight(graceMs);
          cut = setTimeout(() => server.closeAllConnections(), CUT_FLUSH_MS);
        }, graceMs);
        await closed;
        clearInterval(sweep);
        clearTimeout(timer);
        clearTimeout(cut);
        await runtime.close();
      })();
      return closing;
    },
  };
}
