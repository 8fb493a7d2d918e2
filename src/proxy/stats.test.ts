import { describe, expect, it } from 'vitest';
import { MAX_CLIENT_LENGTH, MAX_CLIENTS, Stats } from './stats.js';

describe('Stats: connected coders stay bounded whatever clients send', () => {
  it('keeps the latest MAX_CLIENTS client strings; a client seen again stays', () => {
    const stats = new Stats();
    stats.record(200, 'claude-cli/2.1.0', undefined);
    for (let i = 0; i < 10_000; i++) {
      stats.record(401, `scanner-${i}/1.0`, undefined);
      if (i % 10 === 0) stats.record(200, 'claude-cli/2.1.0', undefined);
    }
    const clients = stats.coders().map((c) => c.client);
    expect(clients.length).toBeLessThanOrEqual(MAX_CLIENTS);
    expect(clients).toContain('claude-cli/2.1.0');
    expect(clients).toContain('scanner-9999/1.0');
    expect(clients).not.toContain('scanner-0/1.0');
    expect(stats.total).toBe(11_001);
  });

  it('cuts a long client string', () => {
    const stats = new Stats();
    stats.record(200, `x/${'9'.repeat(4096)}`, undefined);
    stats.record(200, `x/${'9'.repeat(5000)}`, undefined);
    const [coder] = stats.coders();
    expect(coder!.client.length).toBe(MAX_CLIENT_LENGTH);
    expect(coder!.requests).toBe(2);
  });
});
