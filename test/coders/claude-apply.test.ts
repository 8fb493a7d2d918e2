import { chmod, lstat, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TempHome, tempHome } from '../helpers/cli.js';

// `swixter claude apply` against a real settings.json in a temp HOME, through the built CLI.

const ORIGINAL = `{
  "$schema": "https://json.schemastore.org/claude-code-settings.json",
  "permissions": { "allow": ["Bash(npm test:*)", "Read(~/.zshrc)"], "deny": ["WebFetch"] },
  "env": { "BASH_DEFAULT_TIMEOUT_MS": "120000", "ANTHROPIC_API_KEY": "sk-ant-hand-set-0000" },
  "hooks": {
    "PreToolUse": [{ "matcher": "Bash", "hooks": [{ "type": "command", "command": "echo pre" }] }]
  },
  "mcpServers": { "fs": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"] } },
  "futureSetting": { "nested": [1, 2.50, true, null] },
  "model": "opus"
}
`;

const DIRECT_KEY = 'sk-ant-direct-key-1234';
const GROQ_KEY = 'gsk-groq-secret-5678';

let home: TempHome;
let settingsFile: string;

async function readSettings(file = settingsFile): Promise<Record<string, any>> {
  return JSON.parse(await readFile(file, 'utf8'));
}

/** The text with the "env" object taken out: everything Swixter must leave byte for byte. */
const outsideEnv = (text: string) => text.replace(/"env": \{[^}]*\}/, '"env": …');

beforeEach(async () => {
  home = await tempHome();
  settingsFile = join(home.dir, '.claude', 'settings.json');
  await mkdir(join(home.dir, '.claude'), { recursive: true });
  await writeFile(settingsFile, ORIGINAL);
  await chmod(settingsFile, 0o640);
  const create = (...args: string[]) =>
    home.run('claude', 'create', ...args).then((r) => expect(r.code, r.stderr).toBe(0));
  await create('direct', '--provider', 'anthropic', '--api-key', DIRECT_KEY, '--model', 'claude-sonnet-4-5');
  await create(
    'kimi',
    '--provider',
    'groq',
    '--api-key',
    GROQ_KEY,
    '--model',
    'kimi-k2',
    '--haiku-model',
    'kimi-small',
    '--opus-model',
    'kimi-large',
  );
});
afterEach(async () => {
  await home.cleanup();
});

describe('swixter claude apply', () => {
  it('direct profile: provider URL and key in env; every other key kept byte for byte; backup; mode kept', async () => {
    const r = await home.run('claude', 'apply', 'direct');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('directly');
    expect(r.stdout).not.toContain(DIRECT_KEY); // printed masked
    expect(r.stdout).toContain('sk-…1234');
    const text = await readFile(settingsFile, 'utf8');
    expect(outsideEnv(text)).toBe(outsideEnv(ORIGINAL));
    expect((await readSettings()).env).toEqual({
      BASH_DEFAULT_TIMEOUT_MS: '120000',
      ANTHROPIC_API_KEY: DIRECT_KEY,
      ANTHROPIC_BASE_URL: 'https://api.anthropic.com',
      ANTHROPIC_MODEL: 'claude-sonnet-4-5',
    });
    expect((await stat(settingsFile)).mode & 0o777).toBe(0o600); // 0640 before: it holds a key now, so others lose read access
    expect(await readFile(`${settingsFile}.swixter-backup`, 'utf8')).toBe(ORIGINAL);
    expect((await home.readConfig()).coders).toMatchObject({ claude: { activeProfile: 'direct' } });
  });

  it('switch after apply says that the settings still hold the applied profile, and how to write the new one', async () => {
    expect((await home.run('claude', 'apply', 'direct')).code).toBe(0);
    const r = await home.run('claude', 'switch', 'kimi');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`active profile is now "kimi"`);
    expect(r.stdout).toContain(settingsFile);
    expect(r.stdout).toContain('swixter claude apply');
    expect((await readSettings()).env.ANTHROPIC_API_KEY).toBe(DIRECT_KEY); // switch itself writes nothing there
    const fresh = await tempHome();
    try {
      await fresh.run('claude', 'create', 'a', '--provider', 'groq', '--api-key', 'k');
      await fresh.run('claude', 'create', 'b', '--provider', 'groq', '--api-key', 'k');
      const plain = await fresh.run('claude', 'switch', 'b');
      expect(plain.stdout.trim()).toBe(`Claude Code's active profile is now "b".`); // never applied: nothing to say
    } finally {
      await fresh.cleanup();
    }
  });

  it('a settings.json that is a symlink (dotfiles) stays a link; the file it points to is updated', async () => {
    const dotfiles = join(home.dir, 'dotfiles', 'claude-settings.json');
    await mkdir(dirname(dotfiles), { recursive: true });
    await writeFile(dotfiles, ORIGINAL);
    await rm(settingsFile);
    await symlink(dotfiles, settingsFile);
    const r = await home.run('claude', 'apply', 'direct');
    expect(r.code, r.stderr).toBe(0);
    expect((await lstat(settingsFile)).isSymbolicLink()).toBe(true);
    expect((await readSettings(dotfiles)).env.ANTHROPIC_API_KEY).toBe(DIRECT_KEY);
  });

  it('proxied profile: proxy URL on a fixed port, a swx- token, model variables; stale keys removed', async () => {
    expect((await home.run('claude', 'apply', 'direct')).code).toBe(0);
    const r = await home.run('claude', 'apply', 'kimi');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('openai_chat');
    expect(r.stdout).toContain('swixter proxy start --daemon'); // autoStart is off
    const config = (await home.readConfig()) as { proxy: { port: number; token: string } };
    expect(config.proxy.port).toBeGreaterThanOrEqual(15721);
    expect(config.proxy.token).toMatch(/^swx-[A-Za-z0-9_-]{20,}$/);
    expect(r.stdout).not.toContain(config.proxy.token);
    const settings = await readSettings();
    expect(settings.env).toEqual({
      BASH_DEFAULT_TIMEOUT_MS: '120000',
      ANTHROPIC_BASE_URL: `http://127.0.0.1:${config.proxy.port}`,
      ANTHROPIC_MODEL: 'kimi-k2',
      ANTHROPIC_AUTH_TOKEN: config.proxy.token,
      ANTHROPIC_DEFAULT_HAIKU_MODEL: 'kimi-small',
      ANTHROPIC_DEFAULT_OPUS_MODEL: 'kimi-large',
    }); // ANTHROPIC_API_KEY (the direct key) is gone: Claude Code would send it too
    expect(JSON.stringify(settings)).not.toContain(GROQ_KEY); // the proxy holds the provider key
    expect(outsideEnv(await readFile(settingsFile, 'utf8'))).toBe(outsideEnv(ORIGINAL));

    // Back to direct: the model tiers this tool wrote for kimi go, the hand-set variable stays.
    expect((await home.run('claude', 'apply', 'direct')).code).toBe(0);
    expect(Object.keys((await readSettings()).env).sort()).toEqual([
      'ANTHROPIC_API_KEY',
      'ANTHROPIC_BASE_URL',
      'ANTHROPIC_MODEL',
      'BASH_DEFAULT_TIMEOUT_MS',
    ]);
    // The backup is the file as it was before the first apply, never overwritten.
    expect(await readFile(`${settingsFile}.swixter-backup`, 'utf8')).toBe(ORIGINAL);
  });

  it("a model variable of the user's own that a profile replaced comes back when the next profile sets none", async () => {
    await writeFile(
      settingsFile,
      ORIGINAL.replace('"BASH_DEFAULT_TIMEOUT_MS": "120000"', '"ANTHROPIC_DEFAULT_HAIKU_MODEL": "my-haiku"'),
    );
    expect((await home.run('claude', 'apply', 'kimi')).code).toBe(0);
    expect((await readSettings()).env.ANTHROPIC_DEFAULT_HAIKU_MODEL).toBe('kimi-small');
    const r = await home.run('claude', 'apply', 'direct');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('ANTHROPIC_DEFAULT_HAIKU_MODEL = my-haiku (your own, put back)');
    expect(r.stdout).toContain('removed: ANTHROPIC_AUTH_TOKEN, ANTHROPIC_DEFAULT_OPUS_MODEL');
    const { env } = await readSettings();
    expect(env.ANTHROPIC_DEFAULT_HAIKU_MODEL).toBe('my-haiku');
    expect(env.ANTHROPIC_DEFAULT_OPUS_MODEL).toBeUndefined(); // Swixter's own, with nothing behind it
    // given back, it is the user's again: the next model-less apply leaves it alone
    expect((await home.run('claude', 'apply', 'direct')).code).toBe(0);
    expect((await readSettings()).env.ANTHROPIC_DEFAULT_HAIKU_MODEL).toBe('my-haiku');
  });

  it('the active profile by default; a second apply of the same profile changes nothing', async () => {
    expect((await home.run('claude', 'switch', 'kimi')).code).toBe(0);
    expect((await home.run('claude', 'apply')).code).toBe(0);
    const first = await readFile(settingsFile, 'utf8');
    const again = await home.run('claude', 'apply', '--json');
    expect(again.code, again.stderr).toBe(0);
    const result = JSON.parse(again.stdout);
    expect(result).toMatchObject({ profile: 'kimi', connection: 'proxy', changed: false, backup: null });
    expect(result.written.ANTHROPIC_AUTH_TOKEN).toMatch(/^swx…/);
    expect(await readFile(settingsFile, 'utf8')).toBe(first);
  });

  it('honours CLAUDE_CONFIG_DIR and creates a new settings.json with mode 0600', async () => {
    const dir = join(home.dir, 'elsewhere');
    const r = await home.runEnv({ CLAUDE_CONFIG_DIR: dir }, 'claude', 'apply', 'direct');
    expect(r.code, r.stderr).toBe(0);
    const file = join(dir, 'settings.json');
    expect((await readSettings(file)).env.ANTHROPIC_BASE_URL).toBe('https://api.anthropic.com');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(settingsFile, 'utf8')).toBe(ORIGINAL); // ~/.claude untouched
  });

  it('a malformed settings.json: a clear error, the file and config untouched', async () => {
    const broken = '{ "permissions": { "allow": [ }';
    await writeFile(settingsFile, broken);
    const r = await home.run('claude', 'apply', 'kimi');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(settingsFile);
    expect(r.stderr).toMatch(/not valid JSON/);
    expect(r.stderr).toContain('hint:');
    expect(await readFile(settingsFile, 'utf8')).toBe(broken);
    const config = await home.readConfig();
    expect(config.proxy).toBeUndefined(); // no token or port saved for a write that never happened
    expect(config.coders).toMatchObject({ claude: { activeProfile: 'direct' } });
  });

  it('no profile and no active one: an error with a hint', async () => {
    const empty = await tempHome();
    try {
      const r = await empty.run('claude', 'apply');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/no active profile/);
      expect(r.stderr).toContain('hint:');
    } finally {
      await empty.cleanup();
    }
  });
});

describe('swixter claude apply, several at once', () => {
  it('waits while another swixter process holds settings.json, then applies', async () => {
    // another apply in progress (a live pid in the lock): this one must not read or write until it is gone
    const lock = join(dirname(home.configFile), 'apply.lock');
    await writeFile(lock, String(process.pid));
    let exited = false;
    const run = home.run('claude', 'apply', 'direct').then((r) => {
      exited = true;
      return r;
    });
    await new Promise((done) => setTimeout(done, 700));
    expect(exited).toBe(false);
    expect(await readFile(settingsFile, 'utf8')).toBe(ORIGINAL);
    await rm(lock);
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expect((await readSettings()).env.ANTHROPIC_BASE_URL).toBe('https://api.anthropic.com');
    expect(await readFile(lock, 'utf8').catch(() => 'gone')).toBe('gone');
  });

  it('eight at once, alternating two profiles: all succeed (they queue on the lock), and settings.json and config.json name the same profile', async () => {
    const order = Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? 'direct' : 'kimi'));
    const results = await Promise.all(order.map((name) => home.run('claude', 'apply', name)));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const config = (await home.readConfig()) as { coders: { claude: { activeProfile: string } } };
    const env = (await readSettings()).env as Record<string, string>;
    const expected =
      config.coders.claude.activeProfile === 'direct' ? 'https://api.anthropic.com' : 'http://127.0.0.1:';
    expect(env.ANTHROPIC_BASE_URL?.startsWith(expected)).toBe(true);
  });
});
