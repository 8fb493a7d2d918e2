import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/** How the child ended. */
export type ChildOutcome =
  | { kind: 'exited'; code: number }
  | { kind: 'signaled'; signal: NodeJS.Signals; code: number }
  /** The command could not be started: not found (127) or not executable (126). */
  | { kind: 'not-started'; reason: 'not-found' | 'not-executable' | 'failed'; message: string; code: number };

export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The shell convention for a death by signal: 128 + its number. */
export const signalExitCode = (signal: NodeJS.Signals): number => 128 + (constants.signals[signal] ?? 0);

/**
 * Runs the command with the terminal (stdio inherited) until it exits. SIGINT, SIGTERM and SIGHUP
 * sent to Swixter are passed on to it (a Ctrl-C at the terminal reaches it directly as well), and
 * Swixter itself keeps running so it can clean up after the child.
 */
export function runChild(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ChildOutcome> {
  return new Promise((done) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    const forward = (signal: NodeJS.Signals) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    const finish = (outcome: ChildOutcome) => {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
      done(outcome);
    };
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return; // started: 'exit' follows
      const reason = err.code === 'ENOENT' ? 'not-found' : err.code === 'EACCES' ? 'not-executable' : 'failed';
      finish({ kind: 'not-started', reason, message: err.message, code: reason === 'not-found' ? 127 : 126 });
    });
    child.once('exit', (code, signal) => {
      if (signal) finish({ kind: 'signaled', signal, code: signalExitCode(signal) });
      else finish({ kind: 'exited', code: code ?? 1 });
    });
  });
}
