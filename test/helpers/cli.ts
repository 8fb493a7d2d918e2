import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CLI = resolve(import.meta.dirname, '../../dist/cli/main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (dist/) as a user would, with its own SWIXTER_HOME and no TTY. */
export function runCli(home: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        env: { PATH: process.env.PATH, HOME: home, SWIXTER_HOME: join(home, 'swixter'), NO_COLOR: '1', ...env },
        timeout: 30_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

export interface TempHome {
  dir: string;
  configFile: string;
  run: (...args: string[]) => Promise<CliResult>;
  runEnv: (env: NodeJS.ProcessEnv, ...args: string[]) => Promise<CliResult>;
  readConfig: () => Promise<Record<string, unknown>>;
  cleanup: () => Promise<void>;
}

export async function tempHome(): Promise<TempHome> {
  const dir = await mkdtemp(join(tmpdir(), 'swixter-test-'));
  const configFile = join(dir, 'swixter', 'config.json');
  return {
    dir,
    configFile,
    run: (...args) => runCli(dir, args),
    runEnv: (env, ...args) => runCli(dir, args, env),
    readConfig: async () => JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
