import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigFile } from '../../src/config/schema.js';
import { loadConfig, saveConfig } from '../../src/config/store.js';
import { Logger } from '../../src/proxy/logger.js';
import type { Mode } from '../../src/proxy/plan.js';
import { type RunningProxy, startProxy } from '../../src/proxy/start-proxy.js';

export interface TestProxy {
  url: string;
  proxy: RunningProxy;
  home: string;
  configFile: string;
  stderr: string[];
  /** Rewrites config.json (as a CLI command would) and waits until the proxy picked it up. */
  updateConfig(mutate: (c: ConfigFile) => void): Promise<void>;
  /** The access-log entries; waits (up to 2 s) until at least `min` are there. */
  accessLog(min?: number): Promise<any[]>;
  close(): Promise<void>;
}

/**
 * Starts the real proxy (server, handler, upstream client, access log) in this test process on
 * 127.0.0.1:0, with its own SWIXTER_HOME. Stderr lines are captured for secret checks.
 */
export async function startTestProxy(
  config: ConfigFile,
  mode: Mode = { kind: 'default' },
  opts: {
    logLevel?: 'debug' | 'info' /** Required of every client, as on a non-loopback host. */;
    token?: string;
  } = {},
): Promise<TestProxy> {
  const home = await mkdtemp(join(tmpdir(), 'swixter-proxy-'));
  process.env.SWIXTER_HOME = home;
  const configFile = join(home, 'config.json');
  await mkdir(home, { recursive: true });
  await saveConfig(config, configFile);
  const stderr: string[] = [];
  const sink = { write: (s: string) => stderr.push(s) } as unknown as NodeJS.WritableStream;
  const logger = new Logger(opts.logLevel ?? 'info', sink);
  const proxy = await startProxy({
    config: await loadConfig(configFile),
    configFile,
    mode,
    host: '127.0.0.1',
    port: 0,
    instance: 'test',
    logLevel: opts.logLevel,
    logger,
    ...(opts.token ? { token: opts.token, requireToken: true } : {}),
  });
  return {
    url: proxy.url,
    proxy,
    home,
    configFile,
    stderr,
    async updateConfig(mutate) {
      const next = await loadConfig(configFile);
      mutate(next);
      await saveConfig(next, configFile);
      await proxy.runtime.reload();
    },
    async accessLog(min = 1) {
      const deadline = Date.now() + 2000;
      for (;;) {
        await proxy.runtime.accessLog.flush();
        const text = await readFile(proxy.logFile, 'utf8').catch(() => '');
        const entries = text
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l));
        if (entries.length >= min || Date.now() > deadline) return entries;
        await new Promise((done) => setTimeout(done, 20));
      }
    },
    async close() {
      await proxy.close(100);
      await rm(home, { recursive: true, force: true });
    },
  };
}

export async function writeRawConfig(file: string, text: string): Promise<void> {
  await writeFile(file, text);
}

/** A profile for an OpenAI Chat upstream at `upstreamUrl` (its API under /v1), main model `gpt-mock`. */
export function chatProfile(upstreamUrl: string, apiKey = 'sk-upstream-key-123456'): Record<string, unknown> {
  return { providerId: 'openai', apiKey, baseURL: `${upstreamUrl}/v1`, apiFormat: 'openai_chat', model: 'gpt-mock' };
}

/** A minimal config with the given profiles (name → partial profile). */
export function configWith(
  profiles: Record<string, Record<string, unknown>>,
  extra: Partial<ConfigFile> = {},
): ConfigFile {
  const out: ConfigFile = { version: '2.0.0', profiles: {}, coders: {}, groups: {}, ...extra };
  for (const [name, p] of Object.entries(profiles))
    out.profiles![name] = { name, providerId: 'custom', apiKey: '', ...p } as never;
  return out;
}
