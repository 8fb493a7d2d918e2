import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse, patch } from '@decimalturn/toml-patch';
import { UserError } from '../config/errors.js';

// Codex's config: `$CODEX_HOME/config.toml`, else `~/.codex/config.toml`. Swixter owns one
// `[model_providers.swixter-<profile>]` table per applied profile and sets the top-level
// `model_provider` (and `model`). The file is edited with @decimalturn/toml-patch, which changes
// only what differs, so comments, blank lines, key order and every other table stay as they were.

/** The variable Codex reads the proxy token from when it talks to the proxy. */
export const PROXY_TOKEN_ENV = 'SWIXTER_PROXY_TOKEN';

export function codexHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.CODEX_HOME || join(env.HOME || homedir(), '.codex');
}

export const codexConfigPath = (env: NodeJS.ProcessEnv = process.env): string => join(codexHome(env), 'config.toml');

export const codexProviderId = (profileName: string): string => `swixter-${profileName}`;

/** One `[model_providers.<id>]` table. Codex 0.169 accepts only `wire_api = "responses"`. */
export interface CodexProvider {
  name: string;
  base_url: string;
  env_key: string;
  wire_api: 'responses';
}

export interface CodexChange {
  providerId: string;
  provider: CodexProvider;
  /** Sets the top-level `model`. */
  model?: string | undefined;
  /** Removes the top-level `model` (Swixter wrote it for a profile that had one; this one has none). */
  removeModel?: boolean;
}

type TomlTable = Record<string, unknown>;
const isTable = (v: unknown): v is TomlTable =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

function parseToml(text: string, file: string): TomlTable {
  try {
    return parse(text) as TomlTable;
  } catch (err) {
    const detail = (err as Error).message.split('\n').slice(0, 4).join(' ').replace(/\s+/g, ' ').trim();
    throw new UserError(
      `cannot update ${file}: it is not valid TOML (${detail})`,
      'fix the file (it was left unchanged), or move it away and run the command again',
    );
  }
}

/**
 * toml-patch puts a table that is new under an existing parent as a dotted inline key at the
 * top of the file. Appending an empty `[model_providers.<id>]` header first makes it fill a real
 * table section at the end instead, which is how people write Codex provider tables.
 */
function withTableHeader(text: string, id: string, file: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const gap = text === '' ? '' : text.endsWith(`${eol}${eol}`) ? '' : text.endsWith(eol) ? eol : `${eol}${eol}`;
  const candidate = `${text}${gap}[model_providers.${id}]${eol}`;
  try {
    parseToml(candidate, file);
    return candidate;
  } catch {
    return text; // e.g. `model_providers = { … }` inline: the patch adds the entry there instead
  }
}

export interface CodexUpdate {
  text: string;
  /** Top-level keys removed (`model`, when it was there). */
  removed: string[];
  /** The top-level `model` as it was. */
  before: { model: unknown };
}

const TABLE_HEADER = /^\s*\[/;
const COMMENT = /^\s*#/;

/** Top-level values compared as text (bigint-safe), to check an insertion changed nothing else. */
const snapshot = (doc: TomlTable, skip: readonly string[]): string =>
  JSON.stringify(Object.fromEntries(Object.entries(doc).filter(([k]) => !skip.includes(k))), (_k, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : v,
  );

/**
 * Inserts new top-level keys as lines right after the last line of the root section, so they
 * do not land between a table and the comment above it (where toml-patch would put them). The
 * result is parsed back and must differ from the original only by these keys; otherwise the
 * text is returned unchanged and the patch adds them its own way.
 */
function withRootKeys(text: string, keys: Record<string, string>, file: string): string {
  const entries = Object.entries(keys);
  if (entries.length === 0) return text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  const added = entries.map(([k, v]) => `${k} = ${JSON.stringify(v)}`);
  let header = lines.findIndex((l) => TABLE_HEADER.test(l));
  if (header < 0) header = lines.length;
  let at = header;
  while (at > 0 && COMMENT.test(lines[at - 1]!)) at--; // comments that belong to the table below
  while (at > 0 && lines[at - 1]!.trim() === '') at--;
  const next = lines[at];
  const tail = next !== undefined && next.trim() !== '' ? [''] : []; // a blank line before what follows
  const candidate = [...lines.slice(0, at), ...added, ...tail, ...lines.slice(at)].join(eol);
  try {
    const before = parseToml(text, file);
    const after = parseToml(candidate, file);
    const names = entries.map(([k]) => k);
    const same = snapshot(before, names) === snapshot(after, names) && entries.every(([k, v]) => after[k] === v);
    return same ? candidate : text;
  } catch {
    return text;
  }
}

/** The new config.toml text with the change applied; throws a UserError naming the file when it is not TOML. */
export function updateCodexConfig(text: string | undefined, change: CodexChange, file: string): CodexUpdate {
  let source = text ?? '';
  let doc = parseToml(source, file);
  const before = { model: doc.model };
  const providers = doc.model_providers;
  if (providers !== undefined && !isTable(providers))
    throw new UserError(
      `cannot update ${file}: "model_providers" is not a table`,
      'fix the file (it was left unchanged)',
    );
  if (!isTable(providers) || !(change.providerId in providers)) {
    source = withTableHeader(source, change.providerId, file);
    doc = parseToml(source, file);
  }
  const rootKeys: Record<string, string> = {};
  if (!('model_provider' in doc)) rootKeys.model_provider = change.providerId;
  if (change.model !== undefined && !('model' in doc)) rootKeys.model = change.model;
  if (Object.keys(rootKeys).length > 0) {
    source = withRootKeys(source, rootKeys, file);
    doc = parseToml(source, file);
  }
  const current = (doc.model_providers as TomlTable | undefined) ?? {};
  const existing = isTable(current[change.providerId]) ? (current[change.providerId] as TomlTable) : {};
  // Keys the user added to our table (retries, timeouts, headers) are kept.
  doc.model_providers = { ...current, [change.providerId]: { ...existing, ...change.provider } };
  doc.model_provider = change.providerId;
  const removed: string[] = [];
  if (change.model !== undefined) doc.model = change.model;
  else if (change.removeModel && 'model' in doc) {
    delete doc.model;
    removed.push('model');
  }
  const out = patch(source, doc);
  const wasEmpty = text === undefined || text.trim() === '';
  return { text: wasEmpty && !out.endsWith('\n') ? `${out}\n` : out, removed, before };
}

/** The `-c` overrides that point Codex at a provider without touching config.toml (for `run`). */
export function codexProviderOverrides(id: string, provider: CodexProvider): string[] {
  const inline = Object.entries(provider)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');
  return ['-c', `model_provider=${id}`, '-c', `model_providers.${id}={${inline}}`];
}
