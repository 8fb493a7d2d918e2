import { describe, expect, it } from 'vitest';
import { type CodexChange, codexProviderOverrides, updateCodexConfig } from './codex-config.js';

const file = '/x/config.toml';
const change: CodexChange = {
  providerId: 'swixter-work',
  provider: {
    name: 'Swixter: work',
    base_url: 'http://127.0.0.1:15721/v1',
    env_key: 'SWIXTER_PROXY_TOKEN',
    wire_api: 'responses',
  },
  model: 'kimi-k2',
};
const TABLE = `[model_providers.swixter-work]
name = "Swixter: work"
base_url = "http://127.0.0.1:15721/v1"
env_key = "SWIXTER_PROXY_TOKEN"
wire_api = "responses"
`;

describe('updateCodexConfig', () => {
  it('writes a new file', () => {
    expect(updateCodexConfig(undefined, change, file).text).toBe(
      `model_provider = "swixter-work"\nmodel = "kimi-k2"\n\n${TABLE}`,
    );
  });

  it('keeps comments and other tables, puts the provider in its own table section', () => {
    const text = '# mine\nmodel = "o3" # fav\n\n[model_providers.azure]\nname = "A" # c\n\n# end\n';
    const out = updateCodexConfig(text, change, file).text;
    expect(out).toBe(
      `# mine\nmodel = "kimi-k2" # fav\nmodel_provider = "swixter-work"\n\n[model_providers.azure]\nname = "A" # c\n\n# end\n\n${TABLE}`,
    );
    expect(updateCodexConfig(out, change, file).text).toBe(out);
  });

  it.each([
    [
      'a comment above the first table stays with it',
      'a = 1\n\n# sandboxing\n[sandbox]\nx = 1\n',
      'a = 1\nmodel_provider = "swixter-work"\n\n# sandboxing\n[sandbox]\nx = 1\n',
    ],
    [
      'a file that starts with a table',
      '[features]\nx = 1\n',
      'model_provider = "swixter-work"\n\n[features]\nx = 1\n',
    ],
    ['a header comment only', '# hi\n', '# hi\nmodel_provider = "swixter-work"\n'],
    ['no trailing newline', 'a = 1', 'a = 1\nmodel_provider = "swixter-work"'],
  ])('new top-level keys go at the end of the root section: %s', (_what, text, start) => {
    const out = updateCodexConfig(text, { ...change, model: undefined }, file).text;
    expect(out.startsWith(start)).toBe(true);
    expect(out.endsWith(`\n${TABLE}`)).toBe(true);
  });

  it('updates its own table in place and keeps keys the user added to it', () => {
    const text = `${TABLE.replace('15721', '9999')}request_max_retries = 2 # mine\n`;
    const out = updateCodexConfig(text, { ...change, model: undefined }, file).text;
    expect(out).toContain('base_url = "http://127.0.0.1:15721/v1"');
    expect(out).toContain('request_max_retries = 2 # mine');
  });

  it('removes the model it wrote for an earlier profile', () => {
    const out = updateCodexConfig('model = "x"\n', { ...change, model: undefined, removeModel: true }, file);
    expect(out.removed).toEqual(['model']);
    expect(out.text).not.toMatch(/^model =/m);
  });

  it('keeps CRLF line ends', () => {
    const out = updateCodexConfig('# c\r\n[features]\r\nplugins = false\r\n', change, file).text;
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('rejects a file that is not TOML, naming it', () => {
    expect(() => updateCodexConfig('model = \n[x', change, file)).toThrow(/not valid TOML/);
    expect(() => updateCodexConfig('model_providers = 3\n', change, file)).toThrow(/not a table/);
  });
});

describe('codexProviderOverrides', () => {
  it('is the -c pair Codex takes on its command line', () => {
    expect(codexProviderOverrides('swixter-run', { ...change.provider, name: 'swixter' })).toEqual([
      '-c',
      'model_provider=swixter-run',
      '-c',
      'model_providers.swixter-run={name="swixter",base_url="http://127.0.0.1:15721/v1",env_key="SWIXTER_PROXY_TOKEN",wire_api="responses"}',
    ]);
  });
});
