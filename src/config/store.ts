import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as v from 'valibot';
import { ConfigError } from './errors.js';
import { withFileLock } from './lock.js';
import { configPath } from './paths.js';
import { ConfigFile, emptyConfig, withNameRecords } from './schema.js';

function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues.map((issue) => `  - ${v.getDotPath(issue) ?? '(top level)'}: ${issue.message}`).join('\n');
}

/** Parses config text; throws ConfigError naming the file, the key path and what was expected. */
export function parseConfig(text: string, file: string): ConfigFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(file, `  - not valid JSON: ${(err as Error).message}`);
  }
  const parsed = v.safeParse(ConfigFile, json);
  if (!parsed.success) throw new ConfigError(file, describeIssues(parsed.issues));
  return withNameRecords(parsed.output);
}

/** Loads and validates the config. A missing file is an empty config (nothing is written). */
export async function loadConfig(file = configPath()): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyConfig();
    throw new ConfigError(file, `  - cannot be read: ${(err as Error).message}`);
  }
  return parseConfig(text, file);
}

/**
 * Writes a JSON file atomically: a temp file in the same directory (mode 0600), then rename, so
 * readers see the old file or the new one, never half of it.
 */
/**
 * Where to write `file`: the file a symlink points to, so that the link stays a link (dotfiles),
 * unless that file's folder cannot be written (a read-only store such as Nix's): then the link
 * itself is replaced, as before.
 */
export async function writeTarget(file: string): Promise<string> {
  const target = await realpath(file).catch(() => file);
  if (target === file) return file;
  return access(dirname(target), constants.W_OK).then(
    () => target,
    () => file,
  );
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const target = await writeTarget(file);
  const temp = `${target}.${randomUUID()}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: 'wx', flush: true });
    await rename(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
}

/** Validates before writing: what could not be loaded back is never written. */
export async function saveConfig(config: ConfigFile, file = configPath()): Promise<void> {
  const parsed = v.safeParse(ConfigFile, config);
  if (!parsed.success) throw new ConfigError(file, describeIssues(parsed.issues));
  await writeJsonAtomic(file, parsed.output);
}

/**
 * Load → change → save under a lock, so concurrent CLI processes never lose an edit. If
 * `mutate` throws, nothing is written. Returns what `mutate` returned.
 */
export async function updateConfig<T>(mutate: (config: ConfigFile) => T | Promise<T>, file = configPath()): Promise<T> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  return withFileLock(file, async () => {
    const config = await loadConfig(file);
    const result = await mutate(config);
    await saveConfig(config, file);
    return result;
  });
}
