import type { Command } from 'commander';
import type { RunRequest } from '../../coders/run-coder.js';
import { UserError } from '../../config/errors.js';
import type { Mode } from '../../proxy/plan.js';
import { action, dim, printNote, red } from '../output.js';
import { parsePort, resolveMode } from './proxy-start.js';

/**
 * Runs a coder through the proxy and exits with its exit code (128 + signal when it was killed;
 * 127 when it is not installed). Nothing goes to stdout: the coder owns the terminal.
 */
export async function runAndExit(mode: Mode, port: number | undefined, command: string, args: string[]): Promise<void> {
  const onReady: RunRequest['onReady'] = ({ proxy, tokenCreated }) => {
    if (tokenCreated) printNote(dim('swixter: generated a proxy token and saved it as proxy.token', process.stderr));
    if (process.stderr.isTTY)
      printNote(
        dim(
          `swixter: ${proxy.reused ? 'using the running proxy' : 'temporary proxy'} "${proxy.name}" at ${proxy.url} (swixter proxy logs ${proxy.name})`,
          process.stderr,
        ),
      );
  };
  const { runThroughProxy } = await import('../../coders/run-coder.js'); // the proxy, only when a coder runs
  const result = await runThroughProxy({ mode, port, command, args, onReady });
  const { outcome } = result;
  if (outcome.kind === 'not-started') {
    process.stderr.write(
      `${red('swixter:', process.stderr)} ${
        outcome.reason === 'not-found'
          ? `${command}: command not found`
          : outcome.reason === 'not-executable'
            ? `${command}: permission denied`
            : `cannot start ${command}: ${outcome.message}`
      }\n`,
    );
    const hint = result.installHint ? `install it: ${result.installHint}` : 'check the command name and your PATH';
    process.stderr.write(`  ${dim(`hint: ${hint}`, process.stderr)}\n`);
  }
  process.exitCode = outcome.code;
  // Everything of ours is closed; if a stray handle kept the loop alive, still leave promptly.
  setTimeout(() => process.exit(outcome.code), 1000).unref();
}

interface RunFlags {
  group?: string;
  profile?: string;
  port?: string;
}

export function registerProxyRun(proxy: Command): void {
  proxy.enablePositionalOptions(); // lets `run` pass the coder's own options through untouched
  proxy
    .command('run')
    .description('Run a coder (or any command) through a temporary proxy; stops it when the coder exits')
    .usage('[--group <g> | --profile <p>] [--port <n>] -- <coder> [args…]')
    .argument('<command>', 'the coder to launch: claude, codex, or any command')
    .argument('[args...]', 'its arguments, passed through untouched')
    .option('--group <name>', 'serve the coder through this failover group')
    .option('--profile <name>', 'send every request to this profile')
    .option('--port <n>', 'port for the temporary proxy (default: any free port)')
    .passThroughOptions()
    .addHelpText(
      'after',
      `
Reuses a running proxy serving the same group/profile, else starts a temporary one in this
process (listed by "swixter proxy status", traffic in "swixter proxy logs"). The coder gets the
proxy URL and the proxy token:
  claude   ANTHROPIC_BASE_URL, ANTHROPIC_AUTH_TOKEN, the profile's model variables
           (also through --settings, which wins over ~/.claude/settings.json)
  codex    -c model_provider=swixter-run -c model_providers.swixter-run={…wire_api="responses"}
           (and -m <model>), the token in $SWIXTER_PROXY_TOKEN
  other    ANTHROPIC_BASE_URL, OPENAI_BASE_URL (…/v1) and the token variables
Exits with the coder's exit code.

Examples:
  swixter proxy run -- claude
  swixter proxy run --profile kimi -- claude -p "fix the tests"
  swixter proxy run --group everyday -- codex exec "summarise this repo"`,
    )
    .action(
      action(async (command: string, args: string[], flags: RunFlags) => {
        if (!command) throw new UserError('no command to run', 'swixter proxy run -- claude', true);
        const mode = await resolveMode(flags);
        await runAndExit(mode, parsePort(flags.port), command, args);
      }),
    );
}
