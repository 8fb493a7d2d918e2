import { basename } from 'node:path';
import type { Profile } from '../config/schema.js';
import { CLAUDE_ENV, CLAUDE_MODEL_VARS, claudeModelEnv } from './claude-settings.js';
import { type CodexProvider, codexProviderOverrides, PROXY_TOKEN_ENV } from './codex-config.js';

// How `swixter proxy run` launches a coder against a proxy: pure builders of the child's
// arguments and environment, tested with plain data.

export type LaunchKind = 'claude' | 'codex' | 'other';

/** Install commands shown when a coder binary is missing. */
export const INSTALL_HINT: Record<Exclude<LaunchKind, 'other'>, string> = {
  claude: 'npm install -g @anthropic-ai/claude-code',
  codex: 'npm install -g @openai/codex',
};

/** `claude`, `/usr/local/bin/claude`, `claude.exe` → claude; `codex`, `codex.js` → codex; else other. */
export function launchKind(command: string): LaunchKind {
  const name = basename(command)
    .toLowerCase()
    .replace(/\.(exe|cmd|bat|js|mjs|cjs)$/, '');
  return name === 'claude' || name === 'codex' ? name : 'other';
}

/**
 * Whose credentials the coder sends. `token`: the proxy token (the proxy puts the profile's key
 * on the way out). `client`: the coder's own login or key, for the transparent proxy that
 * forwards them (only when the proxy does not require its token).
 */
export type Credentials = 'token' | 'client';

export interface LaunchInput {
  command: string;
  args: readonly string[];
  parentEnv: NodeJS.ProcessEnv;
  /** The proxy's URL, without /v1. */
  url: string;
  token: string;
  credentials: Credentials;
  /** The profile whose models the coder should ask for (none for a group or the transparent proxy). */
  profile?: Profile | undefined;
  /** Where the Claude Code flag-settings file will be written (see `flagSettings`). */
  claudeSettingsFile?: string | undefined;
}

export interface LaunchSpec {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /**
   * Claude Code applies the `env` of its settings.json over the process environment, so a
   * settings.json written by `claude apply` would win over ours. Settings passed with
   * `--settings <file>` win over settings.json: the caller writes this object there.
   */
  flagSettings: { env: Record<string, string> } | undefined;
}

export const RUN_PROVIDER_ID = 'swixter-run';

/** The Claude Code variables for a run; '' clears a value a settings file may hold. */
function claudeVars(input: LaunchInput): Record<string, string> {
  const vars: Record<string, string> = { [CLAUDE_ENV.baseURL]: input.url };
  if (input.credentials === 'token') {
    vars[CLAUDE_ENV.authToken] = input.token;
    vars[CLAUDE_ENV.apiKey] = '';
  }
  if (input.profile) {
    for (const name of CLAUDE_MODEL_VARS) vars[name] = '';
    Object.assign(vars, claudeModelEnv(input.profile));
  }
  return vars;
}

/** Sets non-empty values, deletes cleared ones. */
function withVars(env: NodeJS.ProcessEnv, vars: Record<string, string>): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const [k, v] of Object.entries(vars)) {
    if (v === '') delete out[k];
    else out[k] = v;
  }
  return out;
}

const hasFlag = (args: readonly string[], ...names: string[]): boolean =>
  args.some((a) => names.includes(a) || names.some((n) => n.startsWith('--') && a.startsWith(`${n}=`)));

/** Did the user pick a Codex model (`-m x`, `--model x`, `--model=x`, `-c model=…`)? */
function codexModelGiven(args: readonly string[]): boolean {
  if (hasFlag(args, '-m', '--model')) return true;
  return args.some((a, i) => (a === '-c' || a === '--config') && /^model\s*=/.test(args[i + 1] ?? ''));
}

function launchClaude(input: LaunchInput): LaunchSpec {
  const vars = claudeVars(input);
  const useFlagSettings = input.claudeSettingsFile !== undefined && !hasFlag(input.args, '--settings');
  return {
    command: input.command,
    args: useFlagSettings ? ['--settings', input.claudeSettingsFile!, ...input.args] : [...input.args],
    env: withVars(input.parentEnv, vars),
    flagSettings: useFlagSettings ? { env: vars } : undefined,
  };
}

function launchCodex(input: LaunchInput): LaunchSpec {
  const ownKey = input.credentials === 'client' && input.parentEnv.OPENAI_API_KEY ? 'OPENAI_API_KEY' : undefined;
  const provider: CodexProvider = {
    name: 'swixter',
    base_url: `${input.url}/v1`,
    env_key: ownKey ?? PROXY_TOKEN_ENV,
    wire_api: 'responses',
  };
  const model = input.profile?.model || input.profile?.openaiModel;
  const modelArgs = model && !codexModelGiven(input.args) ? ['-m', model] : [];
  return {
    command: input.command,
    args: [...codexProviderOverrides(RUN_PROVIDER_ID, provider), ...modelArgs, ...input.args],
    env: { ...input.parentEnv, [PROXY_TOKEN_ENV]: input.token },
    flagSettings: undefined,
  };
}

function launchOther(input: LaunchInput): LaunchSpec {
  const vars: Record<string, string> = {
    ANTHROPIC_BASE_URL: input.url,
    OPENAI_BASE_URL: `${input.url}/v1`,
    [PROXY_TOKEN_ENV]: input.token,
  };
  if (input.credentials === 'token')
    Object.assign(vars, { ANTHROPIC_AUTH_TOKEN: input.token, ANTHROPIC_API_KEY: '', OPENAI_API_KEY: input.token });
  return {
    command: input.command,
    args: [...input.args],
    env: withVars(input.parentEnv, vars),
    flagSettings: undefined,
  };
}

/** The command line and environment that point a coder (or any command) at the proxy. */
export function buildLaunch(input: LaunchInput): LaunchSpec {
  switch (launchKind(input.command)) {
    case 'claude':
      return launchClaude(input);
    case 'codex':
      return launchCodex(input);
    case 'other':
      return launchOther(input);
  }
}
