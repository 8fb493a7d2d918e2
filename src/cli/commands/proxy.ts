import type { Command } from 'commander';
import { registerProxyLogs } from './proxy-logs.js';
import { registerProxyManage, registerProxyReset } from './proxy-manage.js';
import { registerProxyStart } from './proxy-start.js';

export function registerProxy(program: Command): Command {
  const proxy = program
    .command('proxy')
    .description('Run and inspect the local proxy: start, stop, status, logs, reset');
  registerProxyStart(proxy);
  registerProxyManage(proxy);
  registerProxyReset(proxy);
  registerProxyLogs(proxy);
  return proxy;
}
