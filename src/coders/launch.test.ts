import { describe, expect, it } from 'vitest';
import type { Profile } from '../config/schema.js';
import { buildLaunch, type LaunchInput, launchKind } from './launch.js';

const profile: Profile = {
  name: 'kimi',
  providerId: 'groq',
  apiKey: 'k',
  model: 'kimi-k2',
  models: { defaultHaikuModel: 'small' },
};
const base: LaunchInput = {
  command: 'claude',
  args: ['-p', 'hi', '--', '--x'],
  parentEnv: { PATH: '/bin', ANTHROPIC_API_KEY: 'sk-parent', ANTHROPIC_MODEL: 'shell-model' },
  url: 'http://127.0.0.1:4000',
  token: 'swx-t',
  credentials: 'token',
  profile,
  claudeSettingsFile: '/tmp/s.json',
};

describe('launchKind', () => {
  it.each([
    ['claude', 'claude'],
    ['/usr/local/bin/claude', 'claude'],
    ['claude.exe', 'claude'],
    ['codex', 'codex'],
    ['codex.js', 'codex'],
    ['node', 'other'],
    ['claude-code', 'other'],
  ] as const)('%s → %s', (command, kind) => expect(launchKind(command)).toBe(kind));
});

describe('buildLaunch: Claude Code', () => {
  it('token, URL, models; no parent API key; --settings before the user args, which pass untouched', () => {
    const spec = buildLaunch(base);
    expect(spec.args).toEqual(['--settings', '/tmp/s.json', '-p', 'hi', '--', '--x']);
    expect(spec.env).toEqual({
      PATH: '/bin',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:4000',
      ANTHROPIC_AUTH_TOKEN: 'swx-t',
      ANTHROPIC_MODEL: 'kimi-k2',
      ANTHROPIC_DEFAULT_HAIKU_MODEL: 'small',
    });
    // settings.json env wins over the process env; the flag settings win over settings.json
    expect(spec.flagSettings?.env).toMatchObject({ ANTHROPIC_API_KEY: '', ANTHROPIC_DEFAULT_OPUS_MODEL: '' });
  });

  it('does not add --settings when the user passes their own', () => {
    const spec = buildLaunch({ ...base, args: ['--settings=/mine.json'] });
    expect(spec.args).toEqual(['--settings=/mine.json']);
    expect(spec.flagSettings).toBeUndefined();
  });

  it("keeps the coder's own credentials for the transparent proxy", () => {
    const spec = buildLaunch({ ...base, credentials: 'client', profile: undefined });
    expect(spec.env.ANTHROPIC_API_KEY).toBe('sk-parent');
    expect(spec.env.ANTHROPIC_AUTH_TOKEN).toBeUndefined();
    expect(spec.env.ANTHROPIC_MODEL).toBe('shell-model');
  });
});

describe('buildLaunch: Codex', () => {
  it('provider overrides and -m before the user args; the token in SWIXTER_PROXY_TOKEN', () => {
    const spec = buildLaunch({ ...base, command: 'codex', args: ['exec', 'hi'] });
    expect(spec.args).toEqual([
      '-c',
      'model_provider=swixter-run',
      '-c',
      'model_providers.swixter-run={name="swixter",base_url="http://127.0.0.1:4000/v1",env_key="SWIXTER_PROXY_TOKEN",wire_api="responses"}',
      '-m',
      'kimi-k2',
      'exec',
      'hi',
    ]);
    expect(spec.env.SWIXTER_PROXY_TOKEN).toBe('swx-t');
  });

  it.each([[['-m', 'x']], [['exec', '--model', 'x']], [['--model=x']], [['-c', 'model="x"']]])(
    'no -m when the user chose a model: %j',
    (args) => {
      expect(buildLaunch({ ...base, command: 'codex', args }).args).not.toContain('kimi-k2');
    },
  );
});

describe('buildLaunch: other commands', () => {
  it('both base URLs and the token variables', () => {
    const spec = buildLaunch({ ...base, command: 'node', args: ['app.js'] });
    expect(spec.args).toEqual(['app.js']);
    expect(spec.env).toMatchObject({
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:4000',
      OPENAI_BASE_URL: 'http://127.0.0.1:4000/v1',
      ANTHROPIC_AUTH_TOKEN: 'swx-t',
      OPENAI_API_KEY: 'swx-t',
      SWIXTER_PROXY_TOKEN: 'swx-t',
    });
    expect(spec.env.ANTHROPIC_API_KEY).toBeUndefined();
  });
});
