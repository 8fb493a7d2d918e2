import type { Command } from 'commander';
import { UserError } from '../../config/errors.js';
import { createGroup, defaultGroup, deleteGroup, editGroup, getGroup, setDefaultGroup } from '../../config/groups.js';
import type { ConfigFile, Group } from '../../config/schema.js';
import { loadConfig, updateConfig } from '../../config/store.js';
import { action, green, printJson, printLine, printTable } from '../output.js';

function groupView(config: ConfigFile, g: Group) {
  return {
    id: g.id,
    name: g.name,
    profiles: g.profiles,
    isDefault: defaultGroup(config)?.id === g.id,
    createdAt: g.createdAt ?? null,
    updatedAt: g.updatedAt ?? null,
  };
}

export function registerGroups(program: Command): void {
  const group = program
    .command('group')
    .alias('groups')
    .description('Manage failover groups: ordered lists of profiles');

  group
    .command('create')
    .description('Create a group; profiles are tried in the order given')
    .requiredOption('--name <name>', 'group name')
    .requiredOption('--profiles <a,b,c>', 'profile names in priority order')
    .action(
      action(async (opts: { name: string; profiles: string }) => {
        const now = new Date().toISOString();
        const g = await updateConfig((config) => createGroup(config, opts.name, opts.profiles, now));
        printLine(`Group "${g.name}" created: ${g.profiles.join(' → ')}`);
      }),
    );

  group
    .command('list')
    .alias('ls')
    .description('List groups with their profiles in priority order (* = default)')
    .option('--json', 'print JSON instead of a table')
    .action(
      action(async (opts: { json?: boolean }) => {
        const config = await loadConfig();
        const views = Object.values(config.groups ?? {}).map((g) => groupView(config, g));
        if (opts.json) return printJson(views);
        if (views.length === 0)
          return printLine('No groups yet. Create one: swixter group create --name <n> --profiles a,b');
        printTable(
          ['', 'NAME', 'PROFILES (priority order)'],
          views.map((v) => [v.isDefault ? green('*') : ' ', v.name, v.profiles.join(' → ')]),
        );
      }),
    );

  group
    .command('show <name>')
    .description('Show one group')
    .option('--json', 'print JSON')
    .action(
      action(async (name: string, opts: { json?: boolean }) => {
        const config = await loadConfig();
        const view = groupView(config, getGroup(config, name));
        if (opts.json) return printJson(view);
        printLine(`name      ${view.name}`);
        printLine(`id        ${view.id}`);
        printLine(`default   ${view.isDefault ? 'yes' : 'no'}`);
        printLine('profiles');
        for (const [i, p] of view.profiles.entries()) printLine(`  ${i + 1}. ${p}`);
      }),
    );

  group
    .command('edit <name>')
    .alias('update')
    .description('Rename a group or replace its profile list')
    .option('--name <new>', 'new name')
    .option('--profiles <a,b,c>', 'new profile list, in priority order')
    .action(
      action(async (name: string, opts: { name?: string; profiles?: string }) => {
        if (opts.name === undefined && opts.profiles === undefined)
          throw new UserError(
            `nothing to change in group "${name}"`,
            'give --name <new> and/or --profiles <a,b,c>',
            true,
          );
        const now = new Date().toISOString();
        const g = await updateConfig((config) => editGroup(config, name, opts, now));
        printLine(`Group "${g.name}" updated: ${g.profiles.join(' → ')}`);
      }),
    );

  group
    .command('delete <name>')
    .alias('rm')
    .description('Delete a group (its profiles stay)')
    .action(
      action(async (name: string) => {
        const g = await updateConfig((config) => deleteGroup(config, name));
        printLine(`Group "${g.name}" deleted.`);
      }),
    );

  group
    .command('set-default <name>')
    .description('Make a group the default: the proxy uses it when started without --group/--profile')
    .action(
      action(async (name: string) => {
        const now = new Date().toISOString();
        const g = await updateConfig((config) => setDefaultGroup(config, name, now));
        printLine(`Group "${g.name}" is now the default.`);
      }),
    );
}
