import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempHome, tempHome } from '../helpers/cli.js';
import { answerFault, healthyAnthropic } from '../helpers/faults.js';
import { type MockUpstream, mockUpstream } from '../helpers/mock-upstream.js';

let home: TempHome;
let bad: MockUpstream;
let good: MockUpstream;
let url: string;

beforeAll(async () => {
  home = await tempHome();
  bad = await mockUpstream((_req, res) => answerFault('http-503-retry-after', res));
  good = await healthyAnthropic('from backup');
  await home.run(
    'claude',
    'create',
    'flaky',
    '--provider',
    'anthropic',
    '--api-key',
    'k-flaky-123456',
    '--base-url',
    bad.url,
  );
  await home.run(
    'claude',
    'create',
    'steady',
    '--provider',
    'anthropic',
    '--api-key',
    'k-steady-12345',
    '--base-url',
    good.url,
  );
  await home.run('group', 'create', '--name', 'duo', '--profiles', 'flaky,steady');
  const started = await home.run('proxy', 'start', '--daemon', '--group', 'duo');
  url = /url:\s+(\S+)/.exec(started.stdout)![1]!;
  await request(`${url}/v1/messages`, {
    method: 'POST',
    body: '{"model":"claude-x","max_tokens":5,"messages":[]}',
  }).then((r) => r.body.text());
});
afterAll(async () => {
  await home.run('proxy', 'stop', '--all');
  await bad.close();
  await good.close();
  await home.cleanup();
});

describe('failover in the CLI', () => {
  it('status shows each group profile’s breaker: state, failures, last error, time until half-open', async () => {
    const [status] = JSON.parse((await home.run('proxy', 'status', '--json')).stdout);
    expect(status.mode).toEqual({ kind: 'group', group: 'duo', groupId: expect.any(String) });
    expect(status.breakers).toEqual([
      expect.objectContaining({
        profile: 'flaky',
        state: 'open',
        consecutiveFailures: 1,
        lastError: expect.stringContaining('HTTP 503'),
      }),
      expect.objectContaining({ profile: 'steady', state: 'closed', consecutiveFailures: 0 }),
    ]);
    expect(status.breakers[0].retryInMs).toBeGreaterThan(20_000); // Retry-After: 30
    const text = (await home.run('proxy', 'status')).stdout;
    expect(text).toMatch(/flaky\s+open\s+1\s+\d+s\s+profile "flaky"/);
    expect(text).toMatch(/steady\s+closed\s+0/);
  });

  it('renaming the group does not lose it: the daemon keeps serving it', async () => {
    expect((await home.run('group', 'edit', 'duo', '--name', 'pair')).code).toBe(0);
    await new Promise((done) => setTimeout(done, 1500)); // the proxy reads config changes within a second
    const res = await request(`${url}/v1/messages`, {
      method: 'POST',
      body: '{"model":"claude-x","max_tokens":5,"messages":[]}',
    });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    const [status] = JSON.parse((await home.run('proxy', 'status', '--json')).stdout);
    expect(status.mode.group).toBe('pair'); // shown under its name of now
    expect((await home.run('group', 'edit', 'pair', '--name', 'duo')).code).toBe(0);
  });

  it('logs shows the attempts under their request', async () => {
    const text = (await home.run('proxy', 'logs')).stdout;
    expect(text).toMatch(/POST\s+\/v1\/messages\s+200/);
    expect(text).toMatch(/↳ attempt 1: flaky 503 http_status/);
    expect(text).toMatch(/↳ attempt 2: steady 200 ok/);
  });

  it('reset closes the breaker on the running instance', async () => {
    const r = await home.run('proxy', 'reset', 'flaky');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Closed breaker(s) on "duo": flaky');
    const [status] = JSON.parse((await home.run('proxy', 'status', '--json')).stdout);
    expect(status.breakers[0]).toMatchObject({ profile: 'flaky', state: 'closed', consecutiveFailures: 0 });
    const unknown = await home.run('proxy', 'reset', 'nobody');
    expect(unknown.code).toBe(1);
    const unknownJson = await home.run('proxy', 'reset', 'nobody', '--json');
    expect(unknownJson.code).toBe(1); // the same failure, not `{"reset":[]}` with exit 0
    expect(JSON.parse(unknownJson.stderr).error.message).toContain('no breaker for profile "nobody"'); // as JSON
  });
});
