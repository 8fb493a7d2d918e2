import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import * as v from 'valibot';
import { ensureProxyToken } from '../../coders/proxy-endpoint.js';
import { UserError } from '../../config/errors.js';
import { findGroup } from '../../config/groups.js';
import { configPath } from '../../config/paths.js';
import { checkName } from '../../config/profiles.js';
import { proxySettings, tokenRequired } from '../../config/proxy-settings.js';
import { LogLevel } from '../../config/schema.js';
import { loadConfig } from '../../config/store.js';
import { startDaemon } from '../../daemon/control.js';
import { claimInstanceName, recordMode, removeInstance, writeInstance } from '../../daemon/registry.js';
import type { Mode } from '../../proxy/plan.js';
import { action, printJson, printLine, printNote } from '../output.js';

export interface StartFlags {
  group?: string;
  profile?: string;
  port?: string;
  host?: string;
  daemon?: boolean;
  logLevel?: string;
  name?: string;
  json?: boolean;
}

export { isLoopback } from '../../config/proxy-settings.js';

export function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN; // no `1e4`, `0x2711` or ''
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UserError(`invalid --port "${value}"`, 'use 0 (any free port) to 65535', true);
  return port;
}

/** The flags a child `proxy start` would refuse, refused here: a daemon's own error ends in its log file. */
function checkFlags(flags: StartFlags): void {
  parsePort(flags.port);
  if (flags.name !== undefined) checkName('instance', flags.name); // a name is a file name: no `../`, no `/`
  if (flags.logLevel !== undefined && !v.safeParse(LogLevel, flags.logLevel).success)
    throw new UserError(`invalid --log-level "${flags.logLevel}"`, 'use debug, info, warn or error', true);
}

/** The arguments that reproduce these flags for a child `proxy start` (the daemon). */
function childArgs(flags: StartFlags): string[] {
  const args: string[] = [];
  if (flags.group) args.push('--group', flags.group);
  if (flags.profile) args.push('--profile', flags.profile);
  if (flags.port !== undefined) args.push('--port', flags.port);
  if (flags.host) args.push('--host', flags.host);
  if (flags.logLevel) args.push('--log-level', flags.logLevel);
  if (flags.name) args.push('--name', flags.name);
  return args;
}

export async function resolveMode(flags: { group?: string | undefined; profile?: string | undefined }): Promise<Mode> {
  if (flags.group && flags.profile)
    throw new UserError('--group and --profile cannot be used together', 'pick one', true);
  const config = await loadConfig();
  if (flags.profile) {
    if (!config.profiles?.[flags.profile])
      throw new UserError(`unknown profile "${flags.profile}"`, 'see: swixter claude list');
    return { kind: 'profile', profile: flags.profile };
  }
  if (flags.group) {
    const group = findGroup(config, flags.group);
    if (!group) throw new UserError(`unknown group "${flags.group}"`, 'see: swixter group list');
    return { kind: 'group', group: group.name, id: group.id };
  }
  return { kind: 'default' };
}

export const describeMode = (mode: Mode): string =>
  mode.kind === 'profile'
    ? `profile ${mode.profile}`
    : mode.kind === 'group'
      ? `group ${mode.group}`
      : 'default (default group, else each coder’s active profile, else transparent)';

const CLI_PATH = fileURLToPath(new URL('../main.js', import.meta.url));

/** Runs the proxy in this process until SIGINT/SIGTERM. */
async function runForeground(flags: StartFlags): Promise<void> {
  const mode = await resolveMode(flags);
  const config = await loadConfig();
  const settings = proxySettings(config);
  const host = flags.host ?? settings.host;
  const port = parsePort(flags.port) ?? settings.port;
  const requireToken = tokenRequired(settings, host);
  // A required token is saved in the config (generated on first use), so `proxy status`, `apply`
  // and `run` can present it too.
  const token =
    settings.token ?? process.env.SWIXTER_PROXY_TOKEN ?? (requireToken ? (await ensureProxyToken()).token : undefined);
  const base = flags.name ?? (mode.kind === 'profile' ? mode.profile : mode.kind === 'group' ? mode.group : 'default');
  const instance = await claimInstanceName(base);
  // loaded here, not at the top: `proxy status`, `stop` and `logs` need none of the data path
  const { startProxy } = await import('../../proxy/start-proxy.js');
  const proxy = await startProxy({
    config,
    configFile: configPath(),
    mode,
    host,
    port,
    instance,
    logLevel: flags.logLevel as LogLevel | undefined,
    token,
    requireToken,
    // a daemon's stderr is a file nobody rotates: requests are in the (rotated) access log
    requestLines: process.env.SWIXTER_DAEMON !== '1',
  }).catch(async (err: unknown) => {
    await removeInstance(instance, process.pid);
    throw err;
  });
  await writeInstance({
    name: instance,
    pid: process.pid,
    host,
    port: proxy.port,
    url: proxy.url,
    mode: recordMode(mode),
    daemon: process.env.SWIXTER_DAEMON === '1',
    startedAt: new Date().toISOString(),
    logFile: proxy.logFile,
  });
  if (flags.json) printJson({ name: instance, pid: process.pid, host, port: proxy.port, url: proxy.url, mode });
  else {
    printLine(`Swixter proxy "${instance}" listening on ${proxy.url}`);
    printLine(`  mode: ${describeMode(mode)}`);
    printLine(`  access log: ${proxy.logFile}`);
    // never the token itself: a daemon's stdout is a log file
    if (requireToken)
      printLine(
        settings.token === undefined && process.env.SWIXTER_PROXY_TOKEN
          ? '  clients must send the proxy token (x-swixter-token or as their API key): the one in $SWIXTER_PROXY_TOKEN'
          : '  clients must send the proxy token (x-swixter-token or as their API key): swixter proxy token prints it',
      );
    printNote('Press Ctrl-C to stop.');
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    proxy.runtime.logger.info(`${signal}: stopping (in-flight requests get up to 5 s)`);
    void proxy
      .close(5000)
      .then(() => removeInstance(instance, process.pid))
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

export function registerProxyStart(proxy: Command): void {
  proxy
    .command('start')
    .description('Start the proxy (foreground by default; --daemon to detach)')
    .option('--group <name>', 'serve every request through this failover group')
    .option('--profile <name>', 'gateway mode: every request goes to this profile')
    .option('--port <n>', 'port to listen on (0 = any free port; default: proxy.port)')
    .option('--host <host>', 'address to bind (default: proxy.host, 127.0.0.1)')
    .option('--daemon', 'run in the background; prints pid, port and URL once it answers')
    .option('--log-level <level>', 'debug | info | warn | error (default: proxy.logLevel)')
    .option('--name <name>', 'instance name for status/stop/logs (default: the profile or group name, or "default")')
    .option('--json', 'print the started instance as JSON')
    .addHelpText(
      'after',
      `
Without --group or --profile the proxy uses the default group; without one, each request goes to
the active profile of its coder (Anthropic Messages → claude, OpenAI APIs → codex); without
that, it is a transparent inspection proxy to api.anthropic.com / api.openai.com that forwards
the client's own credentials.`,
    )
    .action(
      action(async (flags: StartFlags) => {
        checkFlags(flags);
        if (!flags.daemon) return runForeground(flags);
        await resolveMode(flags); // fail here, not in the background
        const record = await startDaemon({ cliPath: CLI_PATH, args: childArgs(flags) });
        if (flags.json) return printJson(record);
        printLine(`Swixter proxy "${record.name}" started in the background`);
        printLine(`  pid:  ${record.pid}`);
        printLine(`  port: ${record.port}`);
        printLine(`  url:  ${record.url}`);
        printLine(`Stop it with: swixter proxy stop ${record.name}`);
      }),
    );
}
