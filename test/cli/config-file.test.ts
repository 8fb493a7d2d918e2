import { spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, type TempHome, tempHome } from '../helpers/cli.js';

type Json = Record<string, any>;
const FIXTURE = join(import.meta.dirname, '../fixtures/config/swixter-2.0.0.json');

let home: TempHome;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(() => home.cleanup());

async function install(text: string): Promise<void> {
  await mkdir(dirname(home.configFile), { recursive: true });
  await writeFile(home.configFile, text);
}

describe('Swixter 2.0.0 config files', () => {
  beforeEach(async () => {
    await mkdir(dirname(home.configFile), { recursive: true });
    await copyFile(FIXTURE, home.configFile);
  });

  it('load and list with no migration step', async () => {
    const list = JSON.parse((await home.run('claude', 'list', '--json')).stdout) as Json[];
    expect(list.map((p) => [p.name, p.provider, p.active])).toEqual([
      ['kimi', 'moonshot', true],
      ['ollama-local', 'ollama', false],
    ]);
    const groups = JSON.parse((await home.run('group', 'list', '--json')).stdout) as Json[];
    expect(groups).toMatchObject([
      { id: 'grp-1', name: 'everyday', profiles: ['kimi', 'ollama-local'], isDefault: true },
    ]);
    expect(JSON.parse((await home.run('codex', 'current', '--json')).stdout).name).toBe('ollama-local');
  });

  it('save back keeps every unknown field intact', async () => {
    const original = JSON.parse(await readFile(FIXTURE, 'utf8')) as Json;
    expect((await home.run('claude', 'create', 'extra', '--provider', 'groq', '--api-key', 'k')).code).toBe(0);
    expect((await home.run('claude', 'edit', 'kimi', '--model', 'kimi-k2-0905')).code).toBe(0);
    expect((await home.run('group', 'edit', 'everyday', '--profiles', 'ollama-local,kimi')).code).toBe(0);
    const saved = (await home.readConfig()) as Json;
    expect(saved.syncMeta).toEqual(original.syncMeta);
    expect(saved.telemetry).toBe(false);
    expect(saved.profiles.kimi.favourite).toBe(true);
    expect(saved.profiles.kimi.ui).toEqual({ color: 'purple' });
    expect(saved.profiles.kimi.model).toBe('kimi-k2-0905');
    expect(saved.coders.claude.lastApplied).toBe(original.coders.claude.lastApplied);
    expect(saved.coders.qwen).toEqual(original.coders.qwen);
    expect(saved.groups['grp-1'].notes).toBe('kept by 2.0.0');
    expect(saved.groups['grp-1'].profiles).toEqual(['ollama-local', 'kimi']);
    expect(saved.activeGroup).toBe('grp-1');
    expect(saved.profiles['ollama-local']).toEqual(original.profiles['ollama-local']);
  });
});

describe('a bad config file', () => {
  it.each([
    ['malformed JSON', '{ "version": "2.0.0", "profiles": { ', 'not valid JSON'],
    [
      'wrong type',
      JSON.stringify({ version: '2.0.0', profiles: { a: { name: 'a', providerId: 'groq', apiKey: 42 } } }),
      'profiles.a.apiKey',
    ],
    [
      'unknown format',
      JSON.stringify({
        version: '2.0.0',
        profiles: { a: { name: 'a', providerId: 'groq', apiKey: '', apiFormat: 'soap' } },
      }),
      'profiles.a.apiFormat',
    ],
    ['bad proxy port', JSON.stringify({ version: '2.0.0', proxy: { port: 70000 } }), 'proxy.port'],
  ])('%s: one clear message naming the file and key path, exit 1, file untouched', async (_name, text, keyPath) => {
    await install(text);
    for (const args of [
      ['claude', 'list'],
      ['claude', 'create', 'x', '--provider', 'groq', '--api-key', 'k'],
      ['group', 'list'],
    ]) {
      const r = await home.run(...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(home.configFile);
      expect(r.stderr).toContain(keyPath);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(await readFile(home.configFile, 'utf8')).toBe(text);
    }
  });
});

describe('concurrent writers', () => {
  it('twelve CLI processes creating profiles at once lose no edit and leave valid JSON', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `p${i}`);
    const runs = names.map(
      (name) =>
        new Promise<number>((done) => {
          const child = spawn(
            process.execPath,
            [CLI, 'claude', 'create', name, '--provider', 'groq', '--api-key', `key-${name}`],
            {
              env: { PATH: process.env.PATH, HOME: home.dir, SWIXTER_HOME: dirname(home.configFile) },
              stdio: 'ignore',
            },
          );
          child.on('exit', (code) => done(code ?? 1));
        }),
    );
    expect(await Promise.all(runs)).toEqual(names.map(() => 0));
    const config = (await home.readConfig()) as Json;
    expect(Object.keys(config.profiles).sort()).toEqual([...names].sort());
    for (const name of names) expect(config.profiles[name].apiKey).toBe(`key-${name}`);
  });
});
