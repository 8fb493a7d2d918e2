#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerGroups } from './commands/groups.js';
import { registerCoderProfiles } from './commands/profiles.js';
import { registerProviders } from './commands/providers.js';
import { registerProxy } from './commands/proxy.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('swixter')
  .description('Local proxy gateway for AI coding assistants (Claude Code, Codex, any Anthropic/OpenAI client)')
  .version(pkg.version, '-v, --version', 'print the version')
  .showHelpAfterError('(add --help for usage)')
  // Options are read only where they belong (`swixter -v`, not `swixter proxy run claude -v`),
  // so `run` can hand the coder's own options over untouched.
  .enablePositionalOptions()
  .exitOverride();

registerProxy(program);
registerCoderProfiles(program, 'claude');
registerCoderProfiles(program, 'codex');
registerGroups(program);
registerProviders(program);

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
