import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Swixter keeps its files: `$SWIXTER_HOME`, else `$XDG_CONFIG_HOME/swixter`, else
 * `~/.config/swixter`. Read on every call so tests (and users) can switch it per process.
 */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SWIXTER_HOME) return env.SWIXTER_HOME;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'swixter');
  return join(env.HOME || homedir(), '.config', 'swixter');
}

export const configPath = (env?: NodeJS.ProcessEnv): string => join(configDir(env), 'config.json');
export const logsDir = (env?: NodeJS.ProcessEnv): string => join(configDir(env), 'logs');
export const runDir = (env?: NodeJS.ProcessEnv): string => join(configDir(env), 'run');
