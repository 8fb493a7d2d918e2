import { randomUUID } from 'node:crypto';
import { UserError } from './errors.js';
import { checkName, getProfile } from './profiles.js';
import { type ConfigFile, type Group, withEntry } from './schema.js';

/** Finds a group by name (what users type) or by id (what the file is keyed by). */
export function findGroup(config: ConfigFile, nameOrId: string): Group | undefined {
  const groups = config.groups ?? {};
  return (
    (Object.hasOwn(groups, nameOrId) ? groups[nameOrId] : undefined) ??
    Object.values(groups).find((g) => g.name === nameOrId)
  );
}

export function getGroup(config: ConfigFile, nameOrId: string): Group {
  const group = findGroup(config, nameOrId);
  if (!group) {
    const names = Object.values(config.groups ?? {}).map((g) => g.name);
    throw new UserError(
      `unknown group "${nameOrId}"`,
      names.length > 0
        ? `existing groups: ${names.join(', ')}`
        : 'create one with: swixter group create --name <n> --profiles a,b',
    );
  }
  return group;
}

/** The default group: `activeGroup`, else the one flagged isDefault (2.0.0 files). */
export function defaultGroup(config: ConfigFile): Group | undefined {
  if (config.activeGroup) {
    const active = findGroup(config, config.activeGroup);
    if (active) return active;
  }
  return Object.values(config.groups ?? {}).find((g) => g.isDefault === true);
}

export function parseProfileList(config: ConfigFile, list: string): string[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (names.length === 0)
    throw new UserError(
      '--profiles is empty',
      'list profile names in priority order, e.g. --profiles main,backup',
      true,
    );
  const seen = new Set<string>();
  for (const name of names) {
    getProfile(config, name);
    if (seen.has(name))
      throw new UserError(
        `profile "${name}" is listed twice in --profiles`,
        'list each profile once, in priority order',
        true,
      );
    seen.add(name);
  }
  return names;
}

export function createGroup(config: ConfigFile, name: string, profileList: string, now: string): Group {
  checkName('group', name);
  if (findGroup(config, name))
    throw new UserError(`group "${name}" already exists`, `edit it with: swixter group edit ${name} --profiles …`);
  const group: Group = {
    id: randomUUID(),
    name,
    profiles: parseProfileList(config, profileList),
    isDefault: false,
    createdAt: now,
    updatedAt: now,
  };
  config.groups = withEntry(config.groups, group.id, group);
  return group;
}

export function editGroup(
  config: ConfigFile,
  nameOrId: string,
  changes: { name?: string | undefined; profiles?: string | undefined },
  now: string,
): Group {
  const group = getGroup(config, nameOrId);
  if (changes.name !== undefined && changes.name !== group.name) {
    checkName('group', changes.name);
    if (findGroup(config, changes.name))
      throw new UserError(`group "${changes.name}" already exists`, 'pick another name');
    group.name = changes.name;
  }
  if (changes.profiles !== undefined) group.profiles = parseProfileList(config, changes.profiles);
  group.updatedAt = now;
  return group;
}

export function deleteGroup(config: ConfigFile, nameOrId: string): Group {
  const group = getGroup(config, nameOrId);
  delete config.groups?.[group.id];
  if (config.activeGroup === group.id || config.activeGroup === group.name) config.activeGroup = null;
  return group;
}

export function setDefaultGroup(config: ConfigFile, nameOrId: string, now: string): Group {
  const group = getGroup(config, nameOrId);
  for (const g of Object.values(config.groups ?? {})) {
    const isDefault = g.id === group.id;
    if ((g.isDefault ?? false) !== isDefault) {
      g.isDefault = isDefault;
      g.updatedAt = now;
    }
  }
  config.activeGroup = group.id;
  return group;
}
