#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('swixter')
  .description('Local proxy gateway for AI coding assistants (Claude Code, Codex, any Anthropic/OpenAI client)')
  .version(pkg.version, '-v, --version', 'print the version')
  .showHelpAfterError('(add --help for usage)')
  // Options are read only where they belong (`swixter -v`, not `swixter proxy run claude -v`),
  // so `run` can hand the coder's own options over untouched.
  .enablePositionalOptions()
  .exitOverride();

// Each command group is loaded only when it is asked for: `swixter claude list` does not load the
// proxy's data path, and a running proxy holds none of the profile editors. Help, --version and
// anything unknown load them all (commander lists and suggests from what is registered).
const COMMAND_GROUPS: ReadonlyArray<{ names: readonly string[]; register: (program: Command) => Promise<unknown> }> = [
  { names: ['proxy'], register: async (p) => (await import('./commands/proxy.js')).registerProxy(p) },
  {
    names: ['claude'],
    register: async (p) => (await import('./commands/profiles.js')).registerCoderProfiles(p, 'claude'),
  },
  {
    names: ['codex'],
    register: async (p) => (await import('./commands/profiles.js')).registerCoderProfiles(p, 'codex'),
  },
  { names: ['group', 'groups'], register: async (p) => (await import('./commands/groups.js')).registerGroups(p) },
  {
    names: ['providers', 'provider'],
    register: async (p) => (await import('./commands/providers.js')).registerProviders(p),
  },
];
const asked = COMMAND_GROUPS.find((g) => g.names.includes(process.argv[2] ?? ''));
for (const group of asked ? [asked] : COMMAND_GROUPS) await group.register(program);

program.addHelpText(
  'after',
  `
Config: $SWIXTER_HOME, else $XDG_CONFIG_HOME/swixter, else ~/.config/swixter (config.json).
Docs:   docs/cli.md and docs/configuration.md in the package.`,
);

// `swixter proxy logs | head`: a reader that goes away is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

try {
  await program.parseAsync();
} catch (err) {
  if (err instanceof CommanderError) {
    // help and --version exit 0; usage errors (unknown option, missing argument) exit 2.
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else {
    throw err;
  }
}
