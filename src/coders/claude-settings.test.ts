import { describe, expect, it } from 'vitest';
import type { Profile } from '../config/schema.js';
import { claudeDirectCredential, claudeModelEnv, planEnvChange, updateClaudeSettings } from './claude-settings.js';

const profile = (p: Partial<Profile>): Profile => ({ name: 'p', providerId: 'anthropic', apiKey: '', ...p });

describe('claudeModelEnv', () => {
  it('maps the main model and the tiers', () => {
    expect(
      claudeModelEnv(
        profile({ model: 'm', models: { defaultHaikuModel: 'h', defaultSonnetModel: 's', defaultOpusModel: 'o' } }),
      ),
    ).toEqual({
      ANTHROPIC_MODEL: 'm',
      ANTHROPIC_DEFAULT_HAIKU_MODEL: 'h',
      ANTHROPIC_DEFAULT_SONNET_MODEL: 's',
      ANTHROPIC_DEFAULT_OPUS_MODEL: 'o',
    });
    expect(claudeModelEnv(profile({ models: { anthropicModel: 'a' }, model: 'm' }))).toEqual({ ANTHROPIC_MODEL: 'a' });
    expect(claudeModelEnv(profile({}))).toEqual({});
  });
});

describe('claudeDirectCredential', () => {
  it.each([
    [{ apiKey: 'k' }, 'x-api-key', { ANTHROPIC_API_KEY: 'k' }],
    [{ apiKey: 'k' }, 'bearer', { ANTHROPIC_AUTH_TOKEN: 'k' }],
    [{ authToken: 't' }, 'x-api-key', { ANTHROPIC_AUTH_TOKEN: 't' }],
    [{ apiKeyEnv: 'ANTHROPIC_API_KEY' }, 'x-api-key', {}],
    [{}, 'x-api-key', {}],
  ] as const)('%j with %s auth → %j', (p, auth, expected) => {
    expect(claudeDirectCredential(profile(p), auth)).toEqual(expected);
  });
});

describe('planEnvChange', () => {
  it('removes what was written before and is no longer wanted, and the other credential style', () => {
    const change = planEnvChange({ ANTHROPIC_BASE_URL: 'u', ANTHROPIC_AUTH_TOKEN: 't' }, [
      'ANTHROPIC_BASE_URL',
      'ANTHROPIC_MODEL',
    ]);
    expect(change.remove.sort()).toEqual(['ANTHROPIC_API_KEY', 'ANTHROPIC_MODEL']);
  });
});

describe('updateClaudeSettings', () => {
  const file = '/x/settings.json';
  it('edits only the env block, keeping every other byte', () => {
    const text =
      '{\n\t"permissions": { "allow": ["Bash"] },\n\t"env": { "A": "1", "ANTHROPIC_API_KEY": "old" },\n\t"x": 1.0\n}\n';
    const out = updateClaudeSettings(
      text,
      { set: { ANTHROPIC_BASE_URL: 'u' }, remove: ['ANTHROPIC_API_KEY', 'ANTHROPIC_MODEL'] },
      file,
    );
    expect(out.removed).toEqual(['ANTHROPIC_API_KEY']);
    expect(JSON.parse(out.text)).toEqual({
      permissions: { allow: ['Bash'] },
      env: { A: '1', ANTHROPIC_BASE_URL: 'u' },
      x: 1,
    });
    expect(out.text.startsWith('{\n\t"permissions": { "allow": ["Bash"] },\n')).toBe(true);
    expect(out.text.endsWith('\t"x": 1.0\n}\n')).toBe(true);
  });

  it('creates the file and the env block', () => {
    expect(JSON.parse(updateClaudeSettings(undefined, { set: { A: 'b' }, remove: [] }, file).text)).toEqual({
      env: { A: 'b' },
    });
    expect(JSON.parse(updateClaudeSettings('{"k":true}', { set: { A: 'b' }, remove: [] }, file).text)).toEqual({
      k: true,
      env: { A: 'b' },
    });
  });

  it('leaves the text as it is when nothing differs', () => {
    const text = '{ "env": { "A": "b" } }';
    expect(updateClaudeSettings(text, { set: { A: 'b' }, remove: [] }, file).text).toBe(text);
  });

  it.each([
    ['{ "env": ', /not valid JSON/],
    ['[1]', /top level is not a JSON object/],
    ['{ "env": [] }', /"env" is not an object/],
  ])('%s → a clear error naming the file', (text, message) => {
    expect(() => updateClaudeSettings(text, { set: {}, remove: [] }, file)).toThrow(message);
    expect(() => updateClaudeSettings(text, { set: {}, remove: [] }, file)).toThrow(file);
  });
});
