import type { Command } from 'commander';
import { ensureProxyToken } from '../../coders/proxy-endpoint.js';
import { action, dim, printLine, printNote } from '../output.js';

/**
 * `swixter proxy token`: prints proxy.token (generating and saving it on first use), for shells
 * and scripts: export SWIXTER_PROXY_TOKEN="$(swixter proxy token)".
 */
export function registerProxyToken(proxy: Command): void {
  proxy
    .command('token')
    .description('Print the proxy token clients send (proxy.token; generated and saved on first use)')
    .action(
      action(async () => {
        const { token, created } = await ensureProxyToken();
        if (created)
          printNote(dim('generated a proxy token and saved it as proxy.token in config.json', process.stderr));
        printLine(token);
      }),
    );
}
