import type { Command } from 'commander';
import { CODER_TITLE } from '../../coders/needs-proxy.js';
import { UserError } from '../../config/errors.js';
import { activeProfileName, type Coder } from '../../config/profiles.js';
import { loadConfig } from '../../config/store.js';
import { action } from '../output.js';
import { runAndExit } from './proxy-run.js';

/** `swixter claude run [args…]` / `swixter codex run [args…]`: `proxy run --profile <active> -- <coder> args…`. */
export function registerCoderRun(parent: Command, coder: Coder): void {
  parent.enablePositionalOptions(); // lets `run` pass the coder's own options through untouched
  parent
    .command('run')
    .description(`Run ${CODER_TITLE[coder]} with its active profile through a temporary proxy`)
    .usage('[args…]')
    .argument('[args...]', `${coder}'s own arguments, passed through untouched (use -- before --help)`)
    .allowUnknownOption()
    .passThroughOptions()
    .addHelpText(
      'after',
      `
The same as: swixter proxy run --profile <${coder}'s active profile> -- ${coder} [args…]
Example: swixter ${coder} run ${coder === 'claude' ? '-p "explain this repo"' : 'exec "explain this repo"'}`,
    )
    .action(
      action(async (args: string[]) => {
        const config = await loadConfig();
        const profile = activeProfileName(config, coder);
        if (!profile)
          throw new UserError(
            `${coder} has no active profile`,
            `pick one: swixter ${coder} switch <name> (or create one: swixter ${coder} create <name> --provider <id>)`,
          );
        await runAndExit({ kind: 'profile', profile }, undefined, coder, args);
      }),
    );
}
