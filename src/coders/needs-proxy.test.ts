import { describe, expect, it } from 'vitest';
import type { ConfigFile, Profile } from '../config/schema.js';
import { connectionFor } from './needs-proxy.js';

const config = (extra: Partial<ConfigFile> = {}): ConfigFile => ({ version: '2.0.0', profiles: {}, ...extra });
const p = (x: Partial<Profile>): Profile => ({ name: 'p', providerId: 'anthropic', apiKey: 'k', ...x });

describe('connectionFor: Claude Code', () => {
  it('an Anthropic-format profile goes direct, with the base URL Claude Code expects', () => {
    expect(connectionFor(config(), p({}), 'claude')).toEqual({
      kind: 'direct',
      format: 'anthropic_messages',
      baseURL: 'https://api.anthropic.com',
    });
    const v1 = connectionFor(config(), p({ baseURL: 'https://gw.example.com/anthropic/v1/' }), 'claude');
    expect(v1).toMatchObject({ kind: 'direct', baseURL: 'https://gw.example.com/anthropic' });
  });

  it.each([
    [config(), p({ providerId: 'groq' }), /speaks openai_chat/],
    [config(), p({ apiFormat: 'openai_responses' }), /speaks openai_responses/],
    [
      config({ groups: { g: { id: 'g', name: 'team', profiles: ['p'], isDefault: true } } }),
      p({}),
      /default group "team"/,
    ],
    [config({ proxy: { routes: [{ match: { model: 'x*' }, profile: 'p' }] } }), p({}), /routes/],
    [config(), p({ apiKey: '', apiKeyEnv: 'MY_KEY' }), /\$MY_KEY/],
    [config(), p({ headers: { 'x-a': '1' } }), /headers/],
  ] as const)('needs the proxy: %#', (c, profile, reason) => {
    const conn = connectionFor(c, profile, 'claude');
    expect(conn.kind).toBe('proxy');
    expect(conn.kind === 'proxy' && conn.reasons.join('\n')).toMatch(reason);
  });

  it('a key in ANTHROPIC_API_KEY needs no proxy: Claude Code reads it itself', () => {
    expect(connectionFor(config(), p({ apiKey: '', apiKeyEnv: 'ANTHROPIC_API_KEY' }), 'claude').kind).toBe('direct');
  });
});

describe('connectionFor: Codex', () => {
  it('direct only for a Responses upstream with the key in an environment variable', () => {
    expect(
      connectionFor(config(), p({ providerId: 'openai', apiKey: '', apiKeyEnv: 'OPENAI_API_KEY' }), 'codex'),
    ).toEqual({
      kind: 'direct',
      format: 'openai_responses',
      baseURL: 'https://api.openai.com/v1',
    });
    expect(connectionFor(config(), p({ providerId: 'openai' }), 'codex').kind).toBe('proxy');
    expect(connectionFor(config(), p({ providerId: 'groq', apiKey: '', apiKeyEnv: 'G' }), 'codex').kind).toBe('proxy');
  });
});
