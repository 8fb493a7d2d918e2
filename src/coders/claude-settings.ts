import { homedir } from 'node:os';
import { join } from 'node:path';
import { applyEdits, type FormattingOptions, modify } from 'jsonc-parser';
import { UserError } from '../config/errors.js';
import type { Profile } from '../config/schema.js';

// Claude Code's user settings: `$CLAUDE_CONFIG_DIR/settings.json`, else `~/.claude/settings.json`.
// Swixter writes only the `env` variables below; everything else in the file is left as it is.

export const CLAUDE_ENV = {
  baseURL: 'ANTHROPIC_BASE_URL',
  authToken: 'ANTHROPIC_AUTH_TOKEN',
  apiKey: 'ANTHROPIC_API_KEY',
  model: 'ANTHROPIC_MODEL',
  haiku: 'ANTHROPIC_DEFAULT_HAIKU_MODEL',
  sonnet: 'ANTHROPIC_DEFAULT_SONNET_MODEL',
  opus: 'ANTHROPIC_DEFAULT_OPUS_MODEL',
} as const;

export const CLAUDE_MODEL_VARS = [CLAUDE_ENV.model, CLAUDE_ENV.haiku, CLAUDE_ENV.sonnet, CLAUDE_ENV.opus] as const;
/** Variables that carry a secret: printed masked. */
export const CLAUDE_SECRET_VARS: readonly string[] = [CLAUDE_ENV.authToken, CLAUDE_ENV.apiKey];

export function claudeConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.CLAUDE_CONFIG_DIR || join(env.HOME || homedir(), '.claude');
}

export const claudeSettingsPath = (env: NodeJS.ProcessEnv = process.env): string =>
  join(claudeConfigDir(env), 'settings.json');

/** The model variables a profile sets: the main model and the per-tier ones. */
export function claudeModelEnv(profile: Profile): Record<string, string> {
  const out: Record<string, string> = {};
  const main = profile.models?.anthropicModel || profile.model || profile.openaiModel;
  if (main) out[CLAUDE_ENV.model] = main;
  if (profile.models?.defaultHaikuModel) out[CLAUDE_ENV.haiku] = profile.models.defaultHaikuModel;
  if (profile.models?.defaultSonnetModel) out[CLAUDE_ENV.sonnet] = profile.models.defaultSonnetModel;
  if (profile.models?.defaultOpusModel) out[CLAUDE_ENV.opus] = profile.models.defaultOpusModel;
  return out;
}

/**
 * The credential variable for a profile Claude Code reaches directly: a bearer token
 * (`authToken`, or a key for a bearer-style provider) as ANTHROPIC_AUTH_TOKEN, an x-api-key key as
 * ANTHROPIC_API_KEY. None when the key lives in a variable Claude Code reads itself, or when the
 * profile has no key (the user's own credentials are used).
 */
export function claudeDirectCredential(profile: Profile, auth: 'bearer' | 'x-api-key'): Record<string, string> {
  if (profile.apiKey) return { [auth === 'bearer' ? CLAUDE_ENV.authToken : CLAUDE_ENV.apiKey]: profile.apiKey };
  if (profile.authToken) return { [CLAUDE_ENV.authToken]: profile.authToken };
  return {};
}

export interface EnvChange {
  /** Variables to set, in this order. */
  set: Record<string, string>;
  /** Variables to delete (stale ones Swixter wrote before, and the credential style not in use). */
  remove: string[];
}

/**
 * What to change in the `env` block: set `desired`; remove what Swixter wrote last time and does
 * not write now, and the other credential variable (Claude Code would send both headers).
 */
export function planEnvChange(desired: Record<string, string>, previouslyWritten: readonly string[]): EnvChange {
  const remove = new Set(previouslyWritten.filter((k) => !(k in desired)));
  if (CLAUDE_ENV.authToken in desired) remove.add(CLAUDE_ENV.apiKey);
  if (CLAUDE_ENV.apiKey in desired) remove.add(CLAUDE_ENV.authToken);
  return { set: desired, remove: [...remove] };
}

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function malformed(file: string, what: string): UserError {
  return new UserError(
    `cannot update ${file}: ${what}`,
    'fix the file (it was left unchanged), or move it away and run the command again',
  );
}

/** The file's own layout for inserted lines: its indentation (two spaces when it cannot tell) and line ends. */
function formatting(text: string): FormattingOptions {
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  return {
    insertSpaces: !indent.startsWith('\t'),
    tabSize: indent.startsWith('\t') ? 1 : indent.length,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

export interface SettingsUpdate {
  text: string;
  /** Variables actually removed (they were present). */
  removed: string[];
  /** The `env` block as it was. */
  before: Record<string, unknown>;
}

/**
 * Applies an env change to settings.json text (undefined: no file yet) as minimal text edits
 * (jsonc-parser), so every other key, its order and its formatting stay byte for byte. Throws a
 * UserError naming the file when it is not a JSON object.
 */
export function updateClaudeSettings(text: string | undefined, change: EnvChange, file: string): SettingsUpdate {
  const fresh = text === undefined || text.trim() === '';
  let settings: unknown = {};
  if (!fresh) {
    try {
      settings = JSON.parse(text);
    } catch (err) {
      throw malformed(file, `it is not valid JSON (${(err as Error).message})`);
    }
  }
  if (!isObject(settings)) throw malformed(file, 'its top level is not a JSON object');
  const env = settings.env ?? {};
  if (!isObject(env)) throw malformed(file, '"env" is not an object');
  let out = fresh ? '{}' : text;
  const formattingOptions = formatting(out);
  const edit = (key: string, value: string | undefined) => {
    out = applyEdits(out, modify(out, ['env', key], value, { formattingOptions }));
  };
  const removed = change.remove.filter((key) => key in env && !(key in change.set));
  for (const key of removed) edit(key, undefined);
  for (const [key, value] of Object.entries(change.set)) if (env[key] !== value) edit(key, value);
  if (fresh) out = `${out}\n`;
  return { text: out, removed, before: env };
}
