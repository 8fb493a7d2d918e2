import { afterEach, describe, expect, it } from 'vitest';
import { ask, closeTracked, groupConfig, text, track } from '../helpers/failover-group.js';
import { answerFault, anthropicMessage, healthyAnthropic } from '../helpers/faults.js';
import { json, mockUpstream, sleep } from '../helpers/mock-upstream.js';
import { startTestProxy, type TestProxy } from '../helpers/proxy.js';

// Retries on the same profile, and the holds an upstream's Retry-After puts on its breaker.

let proxy: TestProxy;
afterEach(async () => {
  await proxy?.close();
  await closeTracked();
});

/** A 429 asking to wait `ms` (as a string, the header's value). */
const slowDown = (res: Parameters<typeof json>[0], ms: string) =>
  json(
    res,
    429,
    { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
    { 'retry-after-ms': ms },
  );

/** The group, with one retry on the same profile. */
const withOneRetry = (primaryURL: string, backupURL: string) =>
  startTestProxy(groupConfig(primaryURL, backupURL, { failover: { retries: 1 } }), { kind: 'group', group: 'main' });

describe('retries and Retry-After holds', () => {
  it('429 with Retry-After keeps the profile open for at least that long, even below the threshold', async () => {
    const primary = track(await mockUpstream((_req, res) => answerFault('http-429-retry-after', res)));
    const backup = track(await healthyAnthropic('backup'));
    proxy = await startTestProxy(
      groupConfig(primary.url, backup.url, { breaker: { failureThreshold: 5, cooldownMs: 100 } }),
      { kind: 'group', group: 'main' },
    );
    await ask(proxy);
    const snap = proxy.proxy.runtime.breakers.get('primary').snapshot(Date.now());
    expect(snap.state).toBe('open');
    expect(snap.retryInMs).toBeGreaterThan(19_000); // Retry-After: 20
    await ask(proxy);
    expect(primary.requests).toHaveLength(1);
  });

  it('a breaker held only by Retry-After closes when the wait is over: the next failure does not trip it', async () => {
    const primary = track(await mockUpstream((_req, res) => slowDown(res, '100')));
    const backup = track(await healthyAnthropic('backup'));
    proxy = await startTestProxy(
      groupConfig(primary.url, backup.url, { breaker: { failureThreshold: 3, cooldownMs: 60_000 } }),
      { kind: 'group', group: 'main' },
    );
    const breaker = proxy.proxy.runtime.breakers.get('primary');
    expect(text(await ask(proxy))).toBe('backup');
    expect(breaker.state).toMatchObject({ kind: 'open', held: true });
    await sleep(150);
    expect(breaker.snapshot(Date.now()).state).toBe('closed');
    expect(text(await ask(proxy))).toBe('backup'); // the primary was asked (no probe), and held again
    expect(primary.requests).toHaveLength(2);
    expect(breaker.consecutiveFailures).toBe(2);
    // below the threshold: held for its 100 ms again, not tripped for the 60 s cooldown
    expect(breaker.state).toMatchObject({ kind: 'open', held: true });
    expect(breaker.snapshot(Date.now()).retryInMs).toBeLessThanOrEqual(100);
  });

  it('retries on the same profile (with backoff) before moving on', async () => {
    let calls = 0;
    const primary = track(
      await mockUpstream((_req, res) => {
        calls++;
        if (calls < 3) return answerFault('http-500', res);
        json(res, 200, {
          id: 'msg_p',
          type: 'message',
          role: 'assistant',
          model: 'claude-x',
          content: [{ type: 'text', text: 'primary after retries' }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 1, output_tokens: 1 },
        });
      }),
    );
    const backup = track(await healthyAnthropic('backup'));
    proxy = await startTestProxy(
      groupConfig(primary.url, backup.url, {
        failover: { retries: 2, retryBackoffMs: 20 },
        breaker: { failureThreshold: 5 },
      }),
      { kind: 'group', group: 'main' },
    );
    expect(text(await ask(proxy))).toBe('primary after retries');
    expect(backup.requests).toHaveLength(0);
    const [entry] = await proxy.accessLog();
    expect(entry.attempts.map((a: any) => [a.profile, a.outcome])).toEqual([
      ['primary', 'http_status'],
      ['primary', 'http_status'],
      ['primary', 'ok'],
    ]);
  });

  it('a 429 with Retry-After is retried on the same profile once that time has passed (its breaker held only that long)', async () => {
    let calls = 0;
    const primary = track(
      await mockUpstream((_req, res) => {
        calls++;
        if (calls === 1) return slowDown(res, '150');
        json(res, 200, anthropicMessage('primary after waiting'));
      }),
    );
    const backup = track(await healthyAnthropic('backup'));
    proxy = await withOneRetry(primary.url, backup.url);
    const started = Date.now();
    expect(text(await ask(proxy))).toBe('primary after waiting');
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(primary.requests).toHaveLength(2);
    expect(backup.requests).toHaveLength(0);
  });

  it('a retry also waits out a longer Retry-After another request got meanwhile: the upstream is not asked before it said', async () => {
    const at: number[] = [];
    let longHoldSent = 0;
    const primary = track(
      await mockUpstream(async (_req, res) => {
        at.push(Date.now());
        const call = at.length;
        if (call === 1) await sleep(60); // answered after the second request's shorter hold began
        if (call <= 2) {
          if (call === 1) longHoldSent = Date.now();
          return slowDown(res, call === 1 ? '400' : '100');
        }
        json(res, 200, anthropicMessage('primary after waiting'));
      }),
    );
    const backup = track(await healthyAnthropic('backup'));
    proxy = await withOneRetry(primary.url, backup.url);
    const first = ask(proxy);
    await sleep(10);
    const second = ask(proxy);
    expect((await Promise.all([first, second])).map(text)).toEqual(['primary after waiting', 'primary after waiting']);
    expect(backup.requests).toHaveLength(0);
    // both retries came after the 400 ms the slower answer asked for
    expect(Math.min(at[2]!, at[3]!)).toBeGreaterThanOrEqual(longHoldSent + 400 - 5);
  });

  it('two requests held by the same Retry-After both retry on the profile (the later hold does not turn the first away)', async () => {
    let calls = 0;
    const primary = track(
      await mockUpstream(async (_req, res) => {
        calls++;
        const call = calls;
        await sleep(call <= 2 ? 30 * call : 0); // both are in flight before either is answered
        if (call <= 2) return slowDown(res, '150');
        json(res, 200, anthropicMessage('primary after waiting'));
      }),
    );
    const backup = track(await healthyAnthropic('backup'));
    proxy = await withOneRetry(primary.url, backup.url);
    const first = ask(proxy);
    const second = ask(proxy);
    expect((await Promise.all([first, second])).map(text)).toEqual(['primary after waiting', 'primary after waiting']);
    expect(backup.requests).toHaveLength(0);
  });
});
