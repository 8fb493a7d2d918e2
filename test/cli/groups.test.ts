import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TempHome, tempHome } from '../helpers/cli.js';

type Json = Record<string, any>;
let home: TempHome;
beforeEach(async () => {
  home = await tempHome();
  for (const name of ['a', 'b', 'c'])
    await home.run('claude', 'create', name, '--provider', 'groq', '--api-key', `k-${name}`);
});
afterEach(() => home.cleanup());

const groupsOf = async () => Object.values(((await home.readConfig()) as Json).groups as Json) as Json[];

describe('swixter group', () => {
  it('create stores the profiles in priority order with an id; list and show print them', async () => {
    const r = await home.run('group', 'create', '--name', 'main', '--profiles', 'b, a,c');
    expect(r.code, r.stderr).toBe(0);
    const [g] = await groupsOf();
    expect(g).toMatchObject({ name: 'main', profiles: ['b', 'a', 'c'], isDefault: false });
    expect(typeof g!.id).toBe('string');
    expect(((await home.readConfig()) as Json).groups[g!.id].name).toBe('main');
    expect((await home.run('group', 'list')).stdout).toContain('b → a → c');
    const shown = JSON.parse((await home.run('group', 'show', 'main', '--json')).stdout) as Json;
    expect(shown).toMatchObject({ name: 'main', profiles: ['b', 'a', 'c'], isDefault: false });
  });

  it('edit renames and reorders; set-default sets activeGroup and the isDefault flags', async () => {
    await home.run('group', 'create', '--name', 'g1', '--profiles', 'a,b');
    await home.run('group', 'create', '--name', 'g2', '--profiles', 'c');
    expect((await home.run('group', 'edit', 'g1', '--name', 'primary', '--profiles', 'b,a')).code).toBe(0);
    expect((await home.run('group', 'set-default', 'primary')).code).toBe(0);
    const config = (await home.readConfig()) as Json;
    const primary = (Object.values(config.groups) as Json[]).find((g) => g.name === 'primary')!;
    expect(primary.profiles).toEqual(['b', 'a']);
    expect(config.activeGroup).toBe(primary.id);
    expect((Object.values(config.groups) as Json[]).map((g) => [g.name, g.isDefault])).toEqual([
      ['primary', true],
      ['g2', false],
    ]);
    const list = JSON.parse((await home.run('group', 'ls', '--json')).stdout) as Json[];
    expect(list.filter((g) => g.isDefault).map((g) => g.name)).toEqual(['primary']);
  });

  it('delete removes the group and clears activeGroup when it was the default', async () => {
    await home.run('group', 'create', '--name', 'g1', '--profiles', 'a');
    await home.run('group', 'set-default', 'g1');
    expect((await home.run('group', 'delete', 'g1')).code).toBe(0);
    const config = (await home.readConfig()) as Json;
    expect(config.groups).toEqual({});
    expect(config.activeGroup).toBeNull();
  });

  it.each([
    [['group', 'create', '--name', 'g', '--profiles', 'a,ghost'], 'unknown profile "ghost"'],
    [['group', 'create', '--name', 'g', '--profiles', 'a,a'], 'listed twice'],
    [['group', 'create', '--name', 'bad name', '--profiles', 'a'], 'invalid group name'],
    [['group', 'create', '--name', 'g'], "required option '--profiles"],
    [['group', 'show', 'ghost'], 'unknown group "ghost"'],
    [['group', 'set-default', 'ghost'], 'unknown group "ghost"'],
    [['group', 'edit', 'ghost', '--profiles', 'a'], 'unknown group "ghost"'],
    [['group', 'edit', 'g1'], 'nothing to change in group "g1"'],
  ])('rejects %j and leaves the config unchanged', async (args, message) => {
    const before = await readFile(home.configFile, 'utf8');
    const r = await home.run(...args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
    expect(await readFile(home.configFile, 'utf8')).toBe(before);
  });

  it('refuses a duplicate group name', async () => {
    await home.run('group', 'create', '--name', 'g', '--profiles', 'a');
    const r = await home.run('group', 'create', '--name', 'g', '--profiles', 'b');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already exists');
  });
});
