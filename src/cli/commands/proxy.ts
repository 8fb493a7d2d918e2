import type { Command } from 'commander';
import { registerProxyLogs } from './proxy-logs.js';
import { registerProxyManage, registerProxyReset } from './proxy-manage.js';
import { registerProxyRun } from './proxy-run.js';
import { registerProxyStart } from './proxy-start.js';
import { registerProxyToken } from './proxy-token.js';

export function registerProxy(program: Command): Command {
  const proxy = program
    .command('proxy')
    .description('Run and inspect the local proxy: start, stop, status, logs, reset, run');
  registerProxyStart(proxy);
  registerProxyManage(proxy);
  registerProxyReset(proxy);
  registerProxyLogs(proxy);
  registerProxyRun(proxy);
  registerProxyToken(proxy);
  return proxy;
}
