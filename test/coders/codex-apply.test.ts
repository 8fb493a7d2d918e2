import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from '@decimalturn/toml-patch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TempHome, tempHome } from '../helpers/cli.js';

// `swixter codex apply` against a real config.toml with comments, through the built CLI.

const ORIGINAL = `# Codex settings — edited by hand, keep the comments!
model = "o3"            # my default model
approval_policy = "on-request"

# sandboxing
[sandbox_workspace_write]
network_access = false  # no network in the sandbox

[model_providers.azure]
# the work account
name = "Azure"
base_url = "https://example.openai.azure.com/openai"
env_key = "AZURE_OPENAI_API_KEY"
wire_api = "responses"

[profiles.fast]
model = "gpt-5-mini"

[mcp_servers.docs]
command = "npx"
args = ["-y", "docs-server"]   # trailing comment

# the end
`;

let home: TempHome;
let codexHome: string;
let configFile: string;

beforeEach(async () => {
  home = await tempHome();
  codexHome = join(home.dir, 'codex-home');
  configFile = join(codexHome, 'config.toml');
  await mkdir(codexHome, { recursive: true });
  await writeFile(configFile, ORIGINAL);
  await chmod(configFile, 0o644);
  const create = (...args: string[]) =>
    home.run('codex', 'create', ...args).then((r) => expect(r.code, r.stderr).toBe(0));
  await create('kimi', '--provider', 'groq', '--api-key', 'gsk-groq-secret-5678', '--model', 'kimi-k2');
  await create('oai', '--provider', 'openai', '--api-key-env', 'OPENAI_API_KEY', '--api-format', 'openai_responses');
});
afterEach(async () => {
  await home.cleanup();
});

const apply = (...args: string[]) => home.runEnv({ CODEX_HOME: codexHome }, 'codex', 'apply', ...args);

describe('swixter codex apply', () => {
  it('proxied profile: its own provider table and model_provider; comments and other content byte for byte', async () => {
    const r = await apply('kimi');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('export SWIXTER_PROXY_TOKEN="$(swixter proxy token)"');
    const { port } = (await home.readConfig()).proxy as { port: number };
    const text = await readFile(configFile, 'utf8');
    const expected = ORIGINAL.replace(
      'model = "o3"            # my default model\n',
      'model = "kimi-k2"            # my default model\n',
    )
      .replace('approval_policy = "on-request"\n', 'approval_policy = "on-request"\nmodel_provider = "swixter-kimi"\n')
      .concat(
        `\n[model_providers.swixter-kimi]\nname = "Swixter: kimi"\nbase_url = "http://127.0.0.1:${port}/v1"\nenv_key = "SWIXTER_PROXY_TOKEN"\nwire_api = "responses"\n`,
      );
    expect(text).toBe(expected);
    const doc = parse(text);
    expect(doc.model_provider).toBe('swixter-kimi');
    expect(doc.model_providers['swixter-kimi']).toEqual({
      name: 'Swixter: kimi',
      base_url: `http://127.0.0.1:${port}/v1`,
      env_key: 'SWIXTER_PROXY_TOKEN',
      wire_api: 'responses',
    });
    expect(text).not.toContain('gsk-groq-secret');
    expect((await stat(configFile)).mode & 0o777).toBe(0o644);
    expect(await readFile(`${configFile}.swixter-backup`, 'utf8')).toBe(ORIGINAL);
    expect((await home.readConfig()).coders).toMatchObject({ codex: { activeProfile: 'kimi' } });

    // Re-applying is idempotent: same bytes, no second backup.
    const again = await apply('kimi');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('unchanged');
    expect(await readFile(configFile, 'utf8')).toBe(expected);
  });

  it('direct profile: the provider URL and the key variable; switching puts back the model kimi replaced', async () => {
    expect((await apply('kimi')).code).toBe(0);
    expect((await apply('kimi')).code).toBe(0); // applied twice: "o3" is still the user's own
    const r = await apply('oai');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('directly');
    expect(r.stdout).toContain('$OPENAI_API_KEY');
    const doc = parse(await readFile(configFile, 'utf8'));
    expect(doc.model_provider).toBe('swixter-oai');
    expect(doc.model_providers['swixter-oai']).toMatchObject({
      base_url: 'https://api.openai.com/v1',
      env_key: 'OPENAI_API_KEY',
      wire_api: 'responses',
    });
    // kimi's model replaced the user's "o3"; oai sets none, so the user's own comes back
    expect(doc.model).toBe('o3');
    expect(r.stdout).toContain('model = o3 (your own, put back)');
    expect(doc.model_providers.azure.name).toBe('Azure');
    expect(doc.profiles.fast.model).toBe('gpt-5-mini');
    expect(await readFile(`${configFile}.swixter-backup`, 'utf8')).toBe(ORIGINAL);
  });

  it('a model Swixter wrote where the user had none is removed when the next profile sets none', async () => {
    await writeFile(configFile, 'approval_policy = "on-request"\n');
    expect((await apply('kimi')).code).toBe(0);
    expect(parse(await readFile(configFile, 'utf8')).model).toBe('kimi-k2');
    const r = await apply('oai');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('removed: model');
    expect(parse(await readFile(configFile, 'utf8')).model).toBeUndefined();
    // and the "o3" a user writes afterwards is theirs: kimi replaces it, oai gives it back
    await writeFile(configFile, `model = "o3"\n${await readFile(configFile, 'utf8')}`);
    expect((await apply('kimi')).code).toBe(0);
    expect((await apply('oai')).code).toBe(0);
    expect(parse(await readFile(configFile, 'utf8')).model).toBe('o3');
    expect((await home.readConfig()).coders).toMatchObject({
      codex: { applied: { keys: expect.not.arrayContaining(['model']) } },
    });
  });

  it('creates ~/.codex/config.toml (mode 0600) when CODEX_HOME is not set', async () => {
    const r = await home.run('codex', 'apply', 'oai');
    expect(r.code, r.stderr).toBe(0);
    const file = join(home.dir, '.codex', 'config.toml');
    expect(parse(await readFile(file, 'utf8')).model_provider).toBe('swixter-oai');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('a malformed config.toml: a clear error, the file untouched', async () => {
    const broken = `${ORIGINAL}\n[model_providers.azure]\nname = "dup"\n`;
    await writeFile(configFile, broken);
    const r = await apply('kimi');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(configFile);
    expect(r.stderr).toMatch(/not valid TOML/);
    expect(await readFile(configFile, 'utf8')).toBe(broken);
  });
});
