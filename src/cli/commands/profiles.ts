import type { Command } from 'commander';
import { UserError } from '../../config/errors.js';
import { activeProfileName, type Coder, deleteProfile, getProfile, switchProfile } from '../../config/profiles.js';
import { loadConfig, updateConfig } from '../../config/store.js';
import { action, green, printJson, printLine, printTable } from '../output.js';
import { registerCoderApply } from './coder-apply.js';
import { registerCoderRun } from './coder-run.js';
import { registerProfileCreate } from './profile-create.js';
import { registerProfileEdit } from './profile-edit.js';
import { keyColumn, profileView } from './profile-view.js';

const CODER_TITLE: Record<Coder, string> = { claude: 'Claude Code', codex: 'Codex CLI' };

function printProfile(view: ReturnType<typeof profileView>): void {
  const rows: Array<[string, unknown]> = [
    ['name', view.name],
    ['provider', view.provider],
    ['apiFormat', `${view.apiFormat}${view.apiFormatSource === 'provider' ? ' (provider default)' : ''}`],
    ['baseURL', view.baseURL],
    ['model', view.model ?? '(client chooses)'],
    ['haiku', view.models?.defaultHaikuModel],
    ['sonnet', view.models?.defaultSonnetModel],
    ['opus', view.models?.defaultOpusModel],
    ['apiKey', keyColumn(view)],
    ['authToken', view.authToken],
    ['headers', view.headers.join(', ')],
    ['maxTokens', view.maxTokens],
    ['active', view.active ? 'yes' : 'no'],
    ['groups', view.groups.join(', ')],
    ['updatedAt', view.updatedAt],
  ];
  for (const [key, value] of rows) {
    if (value !== undefined && value !== null && value !== '') printLine(`${key.padEnd(10)} ${String(value)}`);
  }
}

/** `swixter claude …` / `swixter codex …`: the profile commands, the same for each coder. */
export function registerCoderProfiles(program: Command, coder: Coder): Command {
  const parent = program.command(coder).description(`Manage ${CODER_TITLE[coder]} profiles`);
  registerProfileCreate(parent, coder);
  registerProfileEdit(parent, coder);

  parent
    .command('list')
    .alias('ls')
    .description(`List profiles (* marks ${coder}'s active one)`)
    .option('--json', 'print JSON (keys masked) instead of a table')
    .action(
      action(async (opts: { json?: boolean }) => {
        const config = await loadConfig();
        const views = Object.values(config.profiles ?? {}).map((p) => profileView(config, p, coder));
        if (opts.json) return printJson(views);
        if (views.length === 0)
          return printLine(
            `No profiles yet. Create one: swixter ${coder} create <name> --provider <id> --api-key <key>`,
          );
        printTable(
          ['', 'NAME', 'PROVIDER', 'FORMAT', 'MODEL', 'KEY', 'BASE URL'],
          views.map((v) => [
            v.active ? green('*') : ' ',
            v.name,
            v.provider,
            v.apiFormat ?? '-',
            v.model ?? '-',
            keyColumn(v),
            v.baseURL ?? '-',
          ]),
        );
      }),
    );

  parent
    .command('show <name>')
    .description('Show one profile (the key is masked)')
    .option('--json', 'print JSON')
    .action(
      action(async (name: string, opts: { json?: boolean }) => {
        const config = await loadConfig();
        const view = profileView(config, getProfile(config, name, coder), coder);
        if (opts.json) return printJson(view);
        printProfile(view);
      }),
    );

  parent
    .command('delete <name>')
    .alias('rm')
    .description('Delete a profile (refused while a group or route uses it, unless --force)')
    .option('--force', 'also remove it from the groups and routes that use it')
    .action(
      action(async (name: string, opts: { force?: boolean }) => {
        const { removedFromGroups, removedRoutes } = await updateConfig((config) =>
          deleteProfile(config, name, opts.force === true, coder),
        );
        const groupsNote =
          removedFromGroups.length > 0 ? ` Removed from group(s): ${removedFromGroups.join(', ')}.` : '';
        const note = `${groupsNote}${removedRoutes > 0 ? ` Removed ${removedRoutes} route(s) naming it.` : ''}`;
        printLine(`Profile "${name}" deleted.${note}`);
      }),
    );

  parent
    .command('switch <name>')
    .alias('sw')
    .description(`Make a profile ${coder}'s active profile`)
    .action(
      action(async (name: string) => {
        const applied = await updateConfig((config) => {
          switchProfile(config, coder, name);
          return config.coders?.[coder]?.applied;
        });
        printLine(`${CODER_TITLE[coder]}'s active profile is now "${name}".`);
        // what `apply` wrote into the coder's own file (a direct URL and key, model pins) stays there
        if (applied)
          printLine(
            `${applied.file} still holds what "apply" wrote for the profile before; to write this one there: swixter ${coder} apply`,
          );
      }),
    );

  parent
    .command('current')
    .description(`Show ${coder}'s active profile`)
    .option('--json', 'print JSON')
    .action(
      action(async (opts: { json?: boolean }) => {
        const config = await loadConfig();
        const name = activeProfileName(config, coder);
        if (!name) throw new UserError(`no active profile for ${coder}`, `pick one: swixter ${coder} switch <name>`);
        const view = profileView(config, getProfile(config, name, coder), coder);
        if (opts.json) return printJson(view);
        printProfile(view);
      }),
    );
  registerCoderApply(parent, coder);
  registerCoderRun(parent, coder);
  return parent;
}
