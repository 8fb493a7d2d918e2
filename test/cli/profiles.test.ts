import { readFile, stat } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TempHome, tempHome } from '../helpers/cli.js';

let home: TempHome;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(() => home.cleanup());

type Json = Record<string, any>;

describe('swixter <coder> create', () => {
  it('creates a profile from flags, makes the first one active, writes mode 0600', async () => {
    const r = await home.run(
      'claude',
      'create',
      'main',
      '--provider',
      'groq',
      '--api-key',
      'sk-test-abcdefgh1234',
      '--model',
      'kimi-k2',
      '--header',
      'X-Org=team-a',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Profile "main" created');
    const config = (await home.readConfig()) as Json;
    expect(config.version).toBe('2.0.0');
    expect(config.profiles.main).toMatchObject({
      name: 'main',
      providerId: 'groq',
      apiKey: 'sk-test-abcdefgh1234',
      model: 'kimi-k2',
      headers: { 'X-Org': 'team-a' },
    });
    expect(typeof config.profiles.main.createdAt).toBe('string');
    expect(config.coders.claude.activeProfile).toBe('main');
    expect((await stat(home.configFile)).mode & 0o777).toBe(0o600);
  });

  it('stores tier models, api format, max tokens and an env-var key reference', async () => {
    const r = await home.run(
      'claude',
      'create',
      'ds',
      '--provider',
      'deepseek',
      '--api-key-env',
      'DEEPSEEK_API_KEY',
      '--model',
      'deepseek-chat',
      '--haiku-model',
      'h',
      '--sonnet-model',
      's',
      '--opus-model',
      'o',
      '--api-format',
      'anthropic_messages',
      '--max-tokens',
      '8000',
    );
    expect(r.code, r.stderr).toBe(0);
    const p = ((await home.readConfig()) as Json).profiles.ds;
    expect(p).toMatchObject({
      apiKey: '',
      apiKeyEnv: 'DEEPSEEK_API_KEY',
      apiFormat: 'anthropic_messages',
      maxTokens: 8000,
      models: {
        anthropicModel: 'deepseek-chat',
        defaultHaikuModel: 'h',
        defaultSonnetModel: 's',
        defaultOpusModel: 'o',
      },
    });
  });

  it('a second profile does not steal the active one; codex has its own active profile', async () => {
    await home.run('claude', 'create', 'a', '--provider', 'openai', '--api-key', 'k1');
    await home.run('claude', 'create', 'b', '--provider', 'openai', '--api-key', 'k2');
    await home.run('codex', 'create', 'c', '--provider', 'openai', '--api-key', 'k3');
    const config = (await home.readConfig()) as Json;
    expect(config.coders.claude.activeProfile).toBe('a');
    expect(config.coders.codex.activeProfile).toBe('c');
  });

  it('local providers need no key; custom needs --base-url', async () => {
    expect((await home.run('claude', 'create', 'local', '--provider', 'ollama')).code).toBe(0);
    const r = await home.run('claude', 'create', 'mine', '--provider', 'custom', '--api-key', 'k');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('needs --base-url');
  });

  it.each([
    [['claude', 'create', 'x', '--provider', 'nope', '--api-key', 'k'], 1, 'unknown provider "nope"'],
    [['claude', 'create', '-bad', '--provider', 'groq', '--api-key', 'k'], 2, ''],
    [['claude', 'create', 'bad.name', '--provider', 'groq', '--api-key', 'k'], 2, 'invalid profile name'],
    [['claude', 'create', 'x', '--provider', 'groq', '--api-key', 'k', '--base-url', 'not a url'], 2, 'invalid URL'],
    [
      ['claude', 'create', 'x', '--provider', 'groq', '--api-key', 'k', '--api-format', 'soap'],
      2,
      'unknown API format "soap"',
    ],
    [['claude', 'create', 'x', '--provider', 'groq', '--api-key', 'k', '--header', 'novalue'], 2, 'invalid --header'],
    [
      // curl style: the error names the header, never its value (a key)
      [
        'claude',
        'create',
        'x',
        '--provider',
        'groq',
        '--api-key',
        'k',
        '--header',
        'Authorization: Bearer sk-proj-SECRET123',
      ],
      2,
      'invalid --header "Authorization…"',
    ],
    [['claude', 'create', 'x', '--provider', 'groq'], 2, 'missing --api-key'],
    [['claude', 'create', '--provider', 'groq', '--api-key', 'k'], 2, 'missing profile name'],
    [['claude', 'create', 'x', '--api-key', 'k'], 2, 'missing --provider'],
  ])('rejects %j with exit %i and leaves the config unchanged', async (args, code, message) => {
    await home.run('claude', 'create', 'keep', '--provider', 'groq', '--api-key', 'k0');
    const before = await readFile(home.configFile, 'utf8');
    const r = await home.run(...args);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stderr).not.toContain('SECRET123');
    expect(await readFile(home.configFile, 'utf8')).toBe(before);
  });

  it('refuses a duplicate name', async () => {
    await home.run('claude', 'create', 'dup', '--provider', 'groq', '--api-key', 'k');
    const before = await readFile(home.configFile, 'utf8');
    const r = await home.run('codex', 'create', 'dup', '--provider', 'openai', '--api-key', 'k');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('profile "dup" already exists');
    expect(await readFile(home.configFile, 'utf8')).toBe(before);
  });
});

describe('edge cases a user runs into', () => {
  it('--max-tokens takes a whole number only: "8k" is a usage error, never a limit of 8', async () => {
    for (const value of ['8k', '1.5', '0', '-3', 'abc']) {
      const r = await home.run('claude', 'create', 'm', '--provider', 'groq', '--api-key', 'k', '--max-tokens', value);
      expect(r.code, `${value}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain('--max-tokens');
      expect(r.stderr).toContain('whole number above 0');
    }
    expect((await home.run('claude', 'list', '--json')).stdout).not.toContain('"m"');
    const ok = await home.run('claude', 'create', 'm', '--provider', 'groq', '--api-key', 'k', '--max-tokens', '8192');
    expect(ok.code, ok.stderr).toBe(0);
    expect(((await home.readConfig()) as Json).profiles.m.maxTokens).toBe(8192);
  });

  it('switching a profile from a stored key to --api-key-env drops the stored key, and back', async () => {
    await home.run('claude', 'create', 'w', '--provider', 'groq', '--api-key', 'sk-stored-key-1234');
    const toEnv = await home.run('claude', 'edit', 'w', '--api-key-env', 'GROQ_API_KEY');
    expect(toEnv.code, toEnv.stderr).toBe(0);
    expect(((await home.readConfig()) as Json).profiles.w).toMatchObject({ apiKey: '', apiKeyEnv: 'GROQ_API_KEY' });
    expect(await readFile(home.configFile, 'utf8')).not.toContain('sk-stored-key-1234');
    const back = await home.run('claude', 'edit', 'w', '--api-key', 'sk-new-key-5678');
    expect(back.code, back.stderr).toBe(0);
    const profile = ((await home.readConfig()) as Json).profiles.w;
    expect(profile.apiKey).toBe('sk-new-key-5678');
    expect(profile).not.toHaveProperty('apiKeyEnv');
  });

  it("an unknown profile's hint names the coder's own command; with profiles, it lists them", async () => {
    for (const [coder, args] of [
      ['codex', ['show', 'ghost']],
      ['codex', ['switch', 'ghost']],
      ['codex', ['edit', 'ghost', '--model', 'm']],
      ['codex', ['delete', 'ghost']],
      ['claude', ['show', 'ghost']],
    ] as const) {
      const r = await home.run(coder, ...args);
      expect(r.code, `${coder} ${args.join(' ')}`).toBe(1);
      expect(r.stderr).toContain('unknown profile "ghost"');
      expect(r.stderr).toContain(`swixter ${coder} create <name>`);
    }
    await home.run('claude', 'create', 'main', '--provider', 'groq', '--api-key', 'k-main');
    const r = await home.run('codex', 'show', 'ghost');
    expect(r.stderr).toContain('existing profiles: main');
  });

  it('a profile named like an object property (toString) exists only once created', async () => {
    const missing = await home.run('claude', 'show', 'toString');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('toString');
    const created = await home.run('claude', 'create', 'toString', '--provider', 'groq', '--api-key', 'k');
    expect(created.code, created.stderr).toBe(0);
    expect((await home.run('claude', 'show', 'toString', '--json')).stdout).toContain('"groq"');
  });
});

describe('list, show, current, switch', () => {
  beforeEach(async () => {
    await home.run('claude', 'create', 'main', '--provider', 'groq', '--api-key', 'sk-secret-value-9876');
    await home.run('claude', 'create', 'alt', '--provider', 'anthropic', '--api-key', 'sk-ant-other-5555');
  });

  it('list prints a table with masked keys and the active marker; --json too', async () => {
    const r = await home.run('claude', 'list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\*\s+main\s+groq\s+openai_chat/);
    expect(r.stdout).toContain('sk-…9876');
    expect(r.stdout).not.toContain('sk-secret-value-9876');
    const json = JSON.parse((await home.run('claude', 'ls', '--json')).stdout) as Json[];
    expect(json.map((p) => [p.name, p.active, p.apiKey, p.apiFormat])).toEqual([
      ['main', true, 'sk-…9876', 'openai_chat'],
      ['alt', false, 'sk-…5555', 'anthropic_messages'],
    ]);
  });

  it('show masks the key', async () => {
    const r = await home.run('claude', 'show', 'main');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sk-…9876');
    expect(r.stdout).not.toContain('secret');
    expect((await home.run('claude', 'show', 'ghost')).stderr).toContain('unknown profile "ghost"');
  });

  it('switch (alias sw) changes the active profile; current reports it', async () => {
    expect((await home.run('claude', 'sw', 'alt')).code).toBe(0);
    expect(((await home.readConfig()) as Json).coders.claude.activeProfile).toBe('alt');
    const current = JSON.parse((await home.run('claude', 'current', '--json')).stdout) as Json;
    expect(current.name).toBe('alt');
    const none = await home.run('codex', 'current');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no active profile for codex');
  });
});

describe('edit and delete', () => {
  beforeEach(async () => {
    await home.run('claude', 'create', 'main', '--provider', 'groq', '--api-key', 'k1', '--header', 'A=1');
  });

  it('edit (alias update) changes only the given fields', async () => {
    const before = ((await home.readConfig()) as Json).profiles.main;
    const r = await home.run(
      'claude',
      'update',
      'main',
      '--api-format',
      'openai_responses',
      '--model',
      'm2',
      '--header',
      'B=2',
    );
    expect(r.code, r.stderr).toBe(0);
    const after = ((await home.readConfig()) as Json).profiles.main;
    expect(after).toMatchObject({
      apiKey: 'k1',
      providerId: 'groq',
      apiFormat: 'openai_responses',
      model: 'm2',
      headers: { A: '1', B: '2' },
    });
    expect(after.createdAt).toBe(before.createdAt);
  });

  it('edit without flags and without a terminal explains what to do (no hang)', async () => {
    const r = await home.run('claude', 'edit', 'main');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(''); // an error: on stderr, like the others
    expect(r.stderr).toContain('nothing to change');
    expect(r.stderr).toContain('edit --help');
  });

  it('delete refuses while a group uses the profile; --force removes it from the group', async () => {
    await home.run('claude', 'create', 'backup', '--provider', 'openai', '--api-key', 'k2');
    await home.run('group', 'create', '--name', 'g', '--profiles', 'main,backup');
    const refused = await home.run('claude', 'rm', 'main');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('used by group(s) g');
    expect(((await home.readConfig()) as Json).profiles.main).toBeDefined();
    const forced = await home.run('claude', 'delete', 'main', '--force');
    expect(forced.code).toBe(0);
    const config = (await home.readConfig()) as Json;
    expect(config.profiles.main).toBeUndefined();
    expect(Object.values(config.groups as Json)[0].profiles).toEqual(['backup']);
    expect(config.coders.claude.activeProfile).toBeUndefined();
  });
});
