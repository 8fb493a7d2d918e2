import Anthropic from '@anthropic-ai/sdk';
import { configWith, startTestProxy, type TestProxy } from './proxy.js';

// A two-profile group ("main": primary, then backup) for the failover tests, and a client for it.

const closers: Array<() => Promise<void>> = [];

/** Closes `m` after the test (closeTracked, in afterEach). */
export const track = <T extends { close: () => Promise<void> }>(m: T): T => {
  closers.push(() => m.close());
  return m;
};

export async function closeTracked(): Promise<void> {
  for (const close of closers.splice(0)) await close();
}

export function groupConfig(primaryURL: string, backupURL: string, proxySection: Record<string, unknown> = {}) {
  return configWith(
    {
      primary: { providerId: 'anthropic', apiKey: 'k-primary-000001', baseURL: primaryURL },
      backup: { providerId: 'anthropic', apiKey: 'k-backup-0000002', baseURL: backupURL },
    },
    { groups: { g1: { id: 'g1', name: 'main', profiles: ['primary', 'backup'] } }, proxy: proxySection },
  );
}

/** The group with a primary of another API format (a custom provider at `primaryURL`/v1) and a breaker that trips at once. */
export function otherFormatPrimary(
  apiFormat: 'openai_chat' | 'openai_responses',
  primaryURL: string,
  backupURL: string,
  cooldownMs: number,
) {
  return configWith(
    {
      primary: { providerId: 'custom', apiFormat, apiKey: 'k-primary-000001', baseURL: `${primaryURL}/v1` },
      backup: { providerId: 'anthropic', apiKey: 'k-backup-0000002', baseURL: backupURL },
    },
    {
      groups: { g1: { id: 'g1', name: 'main', profiles: ['primary', 'backup'] } },
      proxy: { breaker: { failureThreshold: 1, cooldownMs } },
    },
  );
}

/** The group "pair": Anthropic profiles a, then b (the failover gate is on), started. */
export const startPair = (aURL: string, bURL: string) =>
  startTestProxy(
    configWith(
      {
        a: { providerId: 'anthropic', apiKey: 'k-aaaaaaaaaaaa', baseURL: aURL },
        b: { providerId: 'anthropic', apiKey: 'k-bbbbbbbbbbbb', baseURL: bURL },
      },
      { groups: { g: { id: 'g', name: 'pair', profiles: ['a', 'b'] } } },
    ),
    { kind: 'group', group: 'pair' },
  );

export const client = (p: TestProxy) => new Anthropic({ baseURL: p.url, apiKey: 'client', maxRetries: 0 });
export const ask = (p: TestProxy) =>
  client(p).messages.create({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
export const text = (m: Anthropic.Message) => (m.content[0] as Anthropic.TextBlock).text;
