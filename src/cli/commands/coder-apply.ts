import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { type ApplyResult, applyProfile } from '../../coders/apply.js';
import { CODER_TITLE } from '../../coders/needs-proxy.js';
import type { Coder } from '../../config/profiles.js';
import { action, dim, printJson, printLine } from '../output.js';

const CLI_PATH = fileURLToPath(new URL('../main.js', import.meta.url));

function printResult(r: ApplyResult): void {
  const title = CODER_TITLE[r.coder];
  printLine(
    r.changed
      ? `Wrote profile "${r.profile}" into ${title}'s ${r.file}`
      : `${r.file} already uses profile "${r.profile}" (unchanged)`,
  );
  if (r.backup) printLine(`  backup of the previous file: ${r.backup}`);
  if (r.connection === 'direct') printLine(`  ${title} talks to the provider directly (no proxy needed)`);
  else {
    printLine(`  ${title} goes through the Swixter proxy:`);
    for (const reason of r.reasons) printLine(`    - ${reason}`);
  }
  for (const [key, value] of Object.entries(r.written)) printLine(`  ${key} = ${value}`);
  if (r.removed.length > 0) printLine(`  removed: ${r.removed.join(', ')}`);
  for (const [key, value] of Object.entries(r.restored)) printLine(`  ${key} = ${value} (your own, put back)`);
  for (const note of r.notes) printLine(`  note: ${note}`);
  if (r.proxy?.state === 'running') printLine(`Proxy "${r.proxy.instance}" is running at ${r.proxy.url}`);
  if (r.proxy?.state === 'started')
    printLine(`Started the proxy "${r.proxy.instance}" (pid ${r.proxy.pid}) at ${r.proxy.url} (proxy.autoStart)`);
  if (r.proxy?.state === 'not-running') {
    printLine(`The proxy is not running. Start it with: ${r.proxy.startCommand}`);
    printLine(dim('  (or set "proxy": { "autoStart": true } in config.json to have apply start it)'));
  }
  if (r.coder === 'codex' && r.envKey) {
    if (r.connection === 'proxy')
      printLine(
        `Codex reads the proxy token from $${r.envKey}; export it in your shell: export ${r.envKey}="$(swixter proxy token)"`,
      );
    else printLine(`Codex reads the key from $${r.envKey}; make sure it is exported where you run codex.`);
  }
  printLine(`${title}'s active profile is now "${r.profile}".`);
}

/** `swixter claude apply [profile]` / `swixter codex apply [profile]`. */
export function registerCoderApply(parent: Command, coder: Coder): void {
  const file =
    coder === 'claude'
      ? '$CLAUDE_CONFIG_DIR/settings.json or ~/.claude/settings.json'
      : '$CODEX_HOME/config.toml or ~/.codex/config.toml';
  parent
    .command('apply [profile]')
    .description(`Write a profile (default: the active one) into ${CODER_TITLE[coder]}'s own config and make it active`)
    .option('--json', 'print what was written as JSON (secrets masked)')
    .addHelpText(
      'after',
      `
Writes ${file}, keeping everything else in it (a backup of the first version is kept as
<file>.swixter-backup). Profiles ${CODER_TITLE[coder]} cannot reach as they are (another API format,
a default group, routes) are pointed at the local proxy, with proxy.token as the credential; with
proxy.autoStart the proxy daemon is started.`,
    )
    .action(
      action(async (profile: string | undefined, opts: { json?: boolean }) => {
        const result = await applyProfile(coder, profile, { cliPath: CLI_PATH });
        if (opts.json) return printJson(result);
        printResult(result);
      }),
    );
}
