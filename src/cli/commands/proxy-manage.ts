import type { Command } from 'commander';
import { UserError } from '../../config/errors.js';
import type { ConfigFile } from '../../config/schema.js';
import { loadConfig } from '../../config/store.js';
import { stopInstance } from '../../daemon/control.js';
import { type InstanceRecord, listInstances } from '../../daemon/registry.js';
import { action, formatTable, printJson, printLine } from '../output.js';

/** The instance a command means: the named one, else the only one running. */
/** `usage`: how to name the instance for this verb (reset takes it as `--instance`, its argument being a profile). */
export async function pickInstance(
  name: string | undefined,
  verb: string,
  usage = `swixter proxy ${verb} <instance>`,
): Promise<InstanceRecord> {
  const running = await listInstances();
  if (name) {
    const found = running.find((r) => r.name === name);
    if (!found) {
      throw new UserError(
        `no running proxy named "${name}"`,
        running.length > 0 ? `running: ${running.map((r) => r.name).join(', ')}` : 'none is running',
      );
    }
    return found;
  }
  if (running.length === 0)
    throw new UserError('no Swixter proxy is running', 'start one with: swixter proxy start --daemon');
  if (running.length > 1) {
    throw new UserError(
      `several proxies are running; say which one to ${verb}: ${running.map((r) => `${r.name} (${r.url})`).join(', ')}`,
      usage,
      true,
    );
  }
  return running[0]!;
}

interface StatusView {
  name: string;
  pid: number;
  host: string;
  port: number;
  url: string;
  daemon: boolean;
  /** Started by `proxy run`; stops when its coder exits. */
  temporary: boolean;
  startedAt: string;
  uptimeSeconds: number | null;
  mode: InstanceRecord['mode'];
  activeBackend: { profile: string; upstream: string; status: number; at: string } | null;
  requests: Record<string, number> | null;
  coders: Array<{ name: string; client: string; requests: number; lastSeen: string }>;
  breakers: Array<Record<string, unknown>>;
  logFile: string;
  reachable: boolean;
  /** It answered 401: up, but this shell lacks the token its details need. */
  needsToken?: boolean;
}

async function liveStatus(record: InstanceRecord): Promise<StatusView> {
  const base: StatusView = {
    name: record.name,
    pid: record.pid,
    host: record.host,
    port: record.port,
    url: record.url,
    daemon: record.daemon,
    temporary: record.temporary === true,
    startedAt: record.startedAt,
    uptimeSeconds: null,
    mode: record.mode,
    activeBackend: null,
    requests: null,
    coders: [],
    breakers: [],
    logFile: record.logFile,
    reachable: false,
  };
  try {
    const res = await fetch(`${record.url}/_swixter/status`, {
      signal: AbortSignal.timeout(2000),
      headers: await adminHeaders(),
    });
    // it answered, but wants the token this shell does not have: up, with nothing more to say
    if (res.status === 401) return { ...base, reachable: true, needsToken: true };
    if (!res.ok) return base;
    const live = (await res.json()) as Partial<StatusView>;
    return { ...base, ...live, name: record.name, mode: record.mode, logFile: record.logFile, reachable: true };
  } catch {
    return base;
  }
}

/**
 * Admin calls carry the proxy token (non-loopback instances require it), chosen as `proxy start`
 * chooses it: proxy.token from config.json, else $SWIXTER_PROXY_TOKEN.
 */
export async function adminHeaders(): Promise<Record<string, string>> {
  const configured = await loadConfig().then(
    (c) => c.proxy?.token,
    () => undefined,
  );
  const token = configured || process.env.SWIXTER_PROXY_TOKEN;
  return token ? { 'x-swixter-token': token } : {};
}

const modeText = (mode: InstanceRecord['mode']): string =>
  mode.kind === 'profile' ? `profile ${mode.profile}` : mode.kind === 'group' ? `group ${mode.group}` : 'default';
const ago = (iso: string): string => {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.round(s / 60)}m ago` : `${Math.round(s / 3600)}h ago`;
};
const duration = (s: number | null): string =>
  s === null
    ? '?'
    : s < 60
      ? `${s}s`
      : s < 3600
        ? `${Math.floor(s / 60)}m${s % 60}s`
        : `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;

function printStatus(v: StatusView): void {
  printLine(
    `${v.name}  ${v.url}  pid ${v.pid}${v.daemon ? ' (daemon)' : ''}${v.temporary ? ' (temporary: proxy run)' : ''}${v.reachable ? '' : '  [not answering]'}`,
  );
  if (v.needsToken)
    printLine('  (it requires its token for details: set SWIXTER_PROXY_TOKEN, or proxy.token in config.json)');
  printLine(`  mode:     ${modeText(v.mode)}`);
  printLine(`  uptime:   ${duration(v.uptimeSeconds)}`);
  if (v.requests)
    printLine(
      `  requests: ${v.requests.total ?? 0} (2xx ${v.requests['2xx'] ?? 0}, 4xx ${v.requests['4xx'] ?? 0}, 5xx ${v.requests['5xx'] ?? 0})`,
    );
  printLine(
    `  backend:  ${v.activeBackend ? `${v.activeBackend.profile} → ${v.activeBackend.upstream} (HTTP ${v.activeBackend.status}, ${ago(v.activeBackend.at)})` : '(no request yet)'}`,
  );
  if (v.coders.length > 0) {
    printLine('  coders:');
    for (const c of v.coders)
      printLine(`    ${c.client.padEnd(28)} ${String(c.requests).padStart(6)} requests, last ${ago(c.lastSeen)}`);
  }
  if (v.breakers.length > 0) {
    printLine('  breakers:');
    const rows = v.breakers.map((b) => [
      String(b.profile),
      String(b.state),
      String(b.consecutiveFailures ?? 0),
      b.retryInMs ? `${Math.ceil(Number(b.retryInMs) / 1000)}s` : '-',
      String(b.lastError ?? '-'),
    ]);
    printLine(
      formatTable(['PROFILE', 'STATE', 'FAILS', 'HALF-OPEN IN', 'LAST ERROR'], rows)
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n'),
    );
  }
  printLine(`  log:      ${v.logFile}`);
}

export function registerProxyManage(proxy: Command): void {
  proxy
    .command('stop [instance]')
    .description('Stop a running proxy (SIGTERM, then SIGKILL after a grace period)')
    .option('--all', 'stop every running instance')
    .action(
      action(async (name: string | undefined, opts: { all?: boolean }) => {
        const targets = opts.all ? await listInstances() : [await pickInstance(name, 'stop')];
        if (targets.length === 0) return printLine('No Swixter proxy is running.');
        for (const record of targets) {
          const how = await stopInstance(record);
          printLine(
            how === 'gone'
              ? `"${record.name}" was not running (entry removed).`
              : `Stopped "${record.name}" (pid ${record.pid}${how === 'killed' ? ', killed after the grace period' : ''}).`,
          );
        }
      }),
    );

  proxy
    .command('status')
    .description('Show running proxies: port, mode, active backend, traffic, connected coders, breakers')
    .option('--json', 'print JSON')
    .action(
      action(async (opts: { json?: boolean }) => {
        const config = await loadConfig().catch(() => undefined);
        const views = (await Promise.all((await listInstances()).map(liveStatus))).map((v) => withGroupName(v, config));
        if (opts.json) return printJson(views);
        if (views.length === 0) return printLine('No Swixter proxy is running. Start one with: swixter proxy start');
        views.forEach((v, i) => {
          if (i > 0) printLine();
          printStatus(v);
        });
      }),
    );
}

/** A group-mode proxy's group under its current name (a rename keeps its id). */
function withGroupName(view: StatusView, config: ConfigFile | undefined): StatusView {
  const id = view.mode.groupId;
  const current = id !== undefined && config ? config.groups?.[id]?.name : undefined;
  return current !== undefined && current !== view.mode.group
    ? { ...view, mode: { ...view.mode, group: current } }
    : view;
}

export function registerProxyReset(proxy: Command): void {
  proxy
    .command('reset [profile]')
    .description('Close circuit breakers on a running proxy (one profile, or all)')
    .option('--instance <name>', 'which running proxy (needed when several run)')
    .option('--json', 'print JSON')
    .action(
      action(async (profile: string | undefined, opts: { instance?: string; json?: boolean }) => {
        const record = await pickInstance(
          opts.instance,
          'reset',
          'swixter proxy reset [profile] --instance <instance>',
        );
        const query = profile ? `?profile=${encodeURIComponent(profile)}` : '';
        const res = await fetch(`${record.url}/_swixter/reset${query}`, {
          method: 'POST',
          headers: await adminHeaders(),
          signal: AbortSignal.timeout(3000),
        });
        if (!res.ok)
          throw new UserError(
            `proxy "${record.name}" refused the reset (HTTP ${res.status})`,
            'is SWIXTER_PROXY_TOKEN set for a proxy that requires a token?',
          );
        const { reset } = (await res.json()) as { reset: string[] };
        // the same failure with or without --json
        if (profile && reset.length === 0)
          throw new UserError(
            `proxy "${record.name}" has no breaker for profile "${profile}" yet`,
            'a breaker appears once the profile served a request',
          );
        if (opts.json) return printJson({ instance: record.name, reset });
        printLine(
          reset.length > 0
            ? `Closed breaker(s) on "${record.name}": ${reset.join(', ')}`
            : `No breakers on "${record.name}" yet.`,
        );
      }),
    );
}
