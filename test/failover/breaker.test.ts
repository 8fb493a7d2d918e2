import Anthropic from '@anthropic-ai/sdk';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ask, client, closeTracked, groupConfig, otherFormatPrimary, text, track } from '../helpers/failover-group.js';
import { answerFault, anthropicMessage, healthyAnthropic } from '../helpers/faults.js';
import { json, mockUpstream, sleep } from '../helpers/mock-upstream.js';
import { configWith, startTestProxy, type TestProxy } from '../helpers/proxy.js';

let proxy: TestProxy;
afterEach(async () => {
  await proxy?.close();
  await closeTracked();
});

describe('circuit breaker per profile', () => {
  it('opens after 3 consecutive failures: later requests skip the profile without connecting; after the cooldown exactly one probe goes through under concurrent load; success closes it', async () => {
    let primaryHealthy = false;
    const primary = track(
      await mockUpstream(async (_req, res) => {
        if (!primaryHealthy) return answerFault('http-500', res);
        await sleep(150); // a slow probe, so concurrent requests arrive while it is in flight
        json(res, 200, {
          id: 'msg_p',
          type: 'message',
          role: 'assistant',
          model: 'claude-x',
          content: [{ type: 'text', text: 'primary' }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 1, output_tokens: 1 },
        });
      }),
    );
    const backup = track(await healthyAnthropic('backup'));
    proxy = await startTestProxy(
      groupConfig(primary.url, backup.url, { breaker: { failureThreshold: 3, cooldownMs: 400 } }),
      { kind: 'group', group: 'main' },
    );

    for (let i = 0; i < 3; i++) expect(text(await ask(proxy))).toBe('backup');
    expect(primary.requests).toHaveLength(3);
    const connectionsWhenOpened = primary.connections;
    const breaker = proxy.proxy.runtime.breakers.get('primary');
    expect(breaker.state.kind).toBe('open');

    for (let i = 0; i < 4; i++) expect(text(await ask(proxy))).toBe('backup');
    expect(primary.requests).toHaveLength(3); // skipped: no request …
    expect(primary.connections).toBe(connectionsWhenOpened); // … and no new connection attempt
    const [status] = await Promise.all([
      request(`${proxy.url}/_swixter/status`).then((r) => r.body.json() as Promise<any>),
    ]);
    expect(status.breakers.find((b: any) => b.profile === 'primary')).toMatchObject({
      state: 'open',
      consecutiveFailures: 3,
      lastError: expect.stringContaining('HTTP 500'),
    });
    expect(status.breakers.find((b: any) => b.profile === 'primary').retryInMs).toBeGreaterThan(0);

    await sleep(450); // cooldown over
    primaryHealthy = true;
    const burst = await Promise.all(Array.from({ length: 6 }, () => ask(proxy)));
    expect(primary.requests).toHaveLength(4); // exactly one probe
    expect(burst.map(text).filter((t) => t === 'primary')).toHaveLength(1);
    expect(burst.map(text).filter((t) => t === 'backup')).toHaveLength(5);
    expect(breaker.state.kind).toBe('closed');
    expect(text(await ask(proxy))).toBe('primary'); // back to the first profile

    const log = await proxy.accessLog(14);
    const skipped = log.find((e) => e.attempts?.[0]?.outcome === 'breaker_open');
    expect(skipped.attempts).toEqual([
      {
        profile: 'primary',
        upstream: primary.url,
        status: null,
        outcome: 'breaker_open',
        duration_ms: 0,
        breaker: 'open',
      },
      expect.objectContaining({ profile: 'backup', outcome: 'ok', status: 200 }),
    ]);
  });

  it('a failed half-open probe re-opens the breaker', async () => {
    const primary = track(await mockUpstream((_req, res) => answerFault('http-500', res)));
    const backup = track(await healthyAnthropic('backup'));
    proxy = await startTestProxy(
      groupConfig(primary.url, backup.url, { breaker: { failureThreshold: 1, cooldownMs: 200 } }),
      { kind: 'group', group: 'main' },
    );
    await ask(proxy);
    const breaker = proxy.proxy.runtime.breakers.get('primary');
    expect(breaker.state.kind).toBe('open');
    await sleep(250);
    expect(text(await ask(proxy))).toBe('backup'); // the probe failed, the backup answered
    expect(primary.requests).toHaveLength(2);
    expect(breaker.state.kind).toBe('open');
  });

  it('only the half-open probe frees the probe slot: a request admitted before the trip that leaves does not', async () => {
    let calls = 0;
    const primary = track(
      await mockUpstream(async (_req, res) => {
        calls++;
        if (calls === 1 || calls === 5) return; // X, then the probe: both stall
        answerFault('http-500', res);
      }),
    );
    const backup = track(await healthyAnthropic('backup'));
    proxy = await startTestProxy(
      groupConfig(primary.url, backup.url, { breaker: { failureThreshold: 3, cooldownMs: 100 } }),
      { kind: 'group', group: 'main' },
    );
    const breaker = proxy.proxy.runtime.breakers.get('primary');
    const body = JSON.stringify({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    const leaving = new AbortController();
    const x = request(`${proxy.url}/v1/messages`, { method: 'POST', body, signal: leaving.signal }).catch(() => 'gone');
    await sleep(50);
    for (let i = 0; i < 3; i++) expect(text(await ask(proxy))).toBe('backup'); // three 500s: open
    expect(breaker.state.kind).toBe('open');
    await sleep(120);
    const probe = new AbortController();
    const p = request(`${proxy.url}/v1/messages`, { method: 'POST', body, signal: probe.signal }).catch(() => 'gone');
    await sleep(50);
    expect(breaker.state).toEqual({ kind: 'half_open', probeInFlight: true });
    leaving.abort();
    expect(await x).toBe('gone');
    await sleep(50);
    expect(breaker.state).toEqual({ kind: 'half_open', probeInFlight: true }); // still the probe's
    expect(text(await ask(proxy))).toBe('backup'); // skips the primary: one probe at a time
    expect(primary.requests).toHaveLength(5);
    probe.abort();
    await p;
  });

  it('a request refused before it is sent (no converter for the profile) fails over without counting against the profile', async () => {
    const responsesOnly = track(await mockUpstream((_req, res) => json(res, 500, {})));
    const backup = track(await healthyAnthropic('backup'));
    proxy = await startTestProxy(otherFormatPrimary('openai_responses', responsesOnly.url, backup.url, 60_000), {
      kind: 'group',
      group: 'main',
    });
    for (let i = 0; i < 3; i++) expect(text(await ask(proxy))).toBe('backup');
    expect(responsesOnly.requests).toHaveLength(0);
    const breaker = proxy.proxy.runtime.breakers.get('primary');
    expect(breaker.state.kind).toBe('closed'); // a Responses client would still be served by it
    expect(breaker.consecutiveFailures).toBe(0);
    const [line] = await proxy.accessLog(1);
    expect(line.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['config', 'ok']);
  });

  it('every profile open → 503 in the client shape naming the profiles and when the first half-opens', async () => {
    const a = track(await mockUpstream((_req, res) => answerFault('http-500', res)));
    const b = track(await mockUpstream((_req, res) => answerFault('http-529', res)));
    proxy = await startTestProxy(groupConfig(a.url, b.url, { breaker: { failureThreshold: 1, cooldownMs: 30_000 } }), {
      kind: 'group',
      group: 'main',
    });
    await ask(proxy).catch(() => undefined); // both fail once → both open
    const res = await request(`${proxy.url}/v1/messages`, {
      method: 'POST',
      body: '{"model":"m","max_tokens":1,"messages":[]}',
    });
    expect(res.statusCode).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(25);
    const body = (await res.body.json()) as any;
    expect(body).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    expect(body.error.message).toMatch(/all profiles are unavailable/);
    expect(body.error.message).toContain('primary (circuit open, retry in');
    expect(body.error.message).toContain('backup (circuit open');
    const chat = await request(`${proxy.url}/v1/chat/completions`, {
      method: 'POST',
      body: '{"model":"m","messages":[]}',
    });
    expect(chat.statusCode).toBe(503);
    expect(await chat.body.json()).toMatchObject({
      error: { type: 'api_error', message: expect.stringContaining('all profiles are unavailable') },
    });
    expect(a.requests.length + b.requests.length).toBe(2);
  });

  it('reset closes a breaker on the running proxy', async () => {
    const primary = track(await mockUpstream((_req, res) => answerFault('http-500', res)));
    const backup = track(await healthyAnthropic('backup'));
    proxy = await startTestProxy(
      groupConfig(primary.url, backup.url, { breaker: { failureThreshold: 1, cooldownMs: 60_000 } }),
      { kind: 'group', group: 'main' },
    );
    await ask(proxy);
    expect(proxy.proxy.runtime.breakers.get('primary').state.kind).toBe('open');
    const res = await request(`${proxy.url}/_swixter/reset?profile=primary`, { method: 'POST' });
    expect(await res.body.json()).toEqual({ reset: ['primary'] });
    expect(proxy.proxy.runtime.breakers.get('primary').state.kind).toBe('closed');
    await ask(proxy);
    expect(primary.requests).toHaveLength(2);
  });

  it('editing a profile (its key fixed) closes its breaker: the next request tries it at once', async () => {
    const primary = track(
      await mockUpstream((req, res) =>
        req.headers['x-api-key'] === 'k-primary-fixed-01'
          ? json(res, 200, anthropicMessage('primary'))
          : json(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }),
      ),
    );
    const backup = track(await healthyAnthropic('backup'));
    proxy = await startTestProxy(
      groupConfig(primary.url, backup.url, { breaker: { failureThreshold: 1, cooldownMs: 60_000 } }),
      { kind: 'group', group: 'main' },
    );
    expect(text(await ask(proxy))).toBe('backup');
    expect(proxy.proxy.runtime.breakers.get('primary').state.kind).toBe('open');
    await proxy.updateConfig((c) => {
      c.groups!.g1!.name = 'main'; // an unrelated touch leaves nothing to reset…
    });
    expect(proxy.proxy.runtime.breakers.get('primary').state.kind).toBe('open');
    await proxy.updateConfig((c) => {
      c.profiles!.primary!.apiKey = 'k-primary-fixed-01'; // …the fixed key does
    });
    expect(text(await ask(proxy))).toBe('primary');
  });

  it('a route-redirected target has a breaker of its own: proxy status lists it, and reset <profile> closes it', async () => {
    const relay = track(await mockUpstream((_req, res) => answerFault('http-500', res)));
    const primary = track(await healthyAnthropic('primary'));
    const backup = track(await healthyAnthropic('backup'));
    proxy = await startTestProxy(
      groupConfig(primary.url, backup.url, {
        breaker: { failureThreshold: 1, cooldownMs: 60_000 },
        routes: [{ match: { model: 'claude-*', provider: 'anthropic' }, upstream: relay.url }],
      }),
      { kind: 'group', group: 'main' },
    );
    expect(await ask(proxy).catch((e: unknown) => (e as { status: number }).status)).toBe(500);
    const status = await (await request(`${proxy.url}/_swixter/status`)).body.json();
    const breakers = (status as { breakers: Array<{ profile: string; state: string }> }).breakers;
    expect(breakers.map((b) => [b.profile, b.state])).toEqual([
      ['primary', 'closed'],
      ['backup', 'closed'],
      ['primary via route 1', 'open'],
      ['backup via route 1', 'open'],
    ]);
    const res = await request(`${proxy.url}/_swixter/reset?profile=primary`, { method: 'POST' });
    expect(await res.body.json()).toEqual({ reset: ['primary via route 1', 'primary'] });
    expect(proxy.proxy.runtime.breakers.get('primary via route 1').state.kind).toBe('closed');
    expect(proxy.proxy.runtime.breakers.get('backup via route 1').state.kind).toBe('open');
  });

  it('a request that cannot be converted for a half-open profile gives its breaker no verdict', async () => {
    const chat = track(await mockUpstream((_req, res) => json(res, 500, { error: { message: 'down' } })));
    const backup = track(await healthyAnthropic('backup'));
    proxy = await startTestProxy(otherFormatPrimary('openai_chat', chat.url, backup.url, 50), {
      kind: 'group',
      group: 'main',
    });
    expect(text(await ask(proxy))).toBe('backup'); // primary failed once: open
    const breaker = proxy.proxy.runtime.breakers.get('primary');
    expect(breaker.state.kind).toBe('open');
    await sleep(80);
    // a document part Chat cannot take: refused before anything is sent to the primary
    const refused = await client(proxy)
      .messages.create({
        model: 'claude-x',
        max_tokens: 10,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } },
            ],
          },
        ],
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
    expect(chat.requests).toHaveLength(1);
    expect(breaker.state).toEqual({ kind: 'half_open', probeInFlight: false }); // not closed: it was never asked
  });

  it('the failover status list is configurable: with 500 removed, a 500 is answered at once', async () => {
    const primary = track(await mockUpstream((_req, res) => answerFault('http-500', res)));
    const backup = track(await healthyAnthropic('backup'));
    proxy = await startTestProxy(groupConfig(primary.url, backup.url, { failover: { failoverOn: [429, 503] } }), {
      kind: 'group',
      group: 'main',
    });
    const err = await ask(proxy).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.InternalServerError);
    expect(backup.requests).toHaveLength(0);
  });

  it('count_tokens failing over to a Chat-format profile is estimated locally, never sent there as a chat request', async () => {
    const primary = track(await mockUpstream((_req, res) => answerFault('http-500', res)));
    const chat = track(await mockUpstream((_req, res) => json(res, 200, { id: 'c', object: 'chat.completion' })));
    proxy = await startTestProxy(
      configWith(
        {
          primary: { providerId: 'anthropic', apiKey: 'k-primary-000001', baseURL: primary.url },
          backup: {
            providerId: 'custom',
            apiFormat: 'openai_chat',
            apiKey: 'k-backup-0000002',
            baseURL: `${chat.url}/v1`,
          },
        },
        { groups: { g1: { id: 'g1', name: 'main', profiles: ['primary', 'backup'] } } },
      ),
      { kind: 'group', group: 'main' },
    );
    const counted = await client(proxy).messages.countTokens({
      model: 'claude-x',
      messages: [{ role: 'user', content: 'hello there' }],
    });
    expect(counted.input_tokens).toBeGreaterThan(0);
    expect(primary.requests.map((r) => r.url)).toEqual(['/v1/messages/count_tokens']);
    expect(chat.requests).toHaveLength(0);
    const [entry] = await proxy.accessLog();
    expect(entry).toMatchObject({ status: 200, profile: 'backup', attempts: [{ profile: 'primary', status: 500 }] });
  });

  it('count_tokens to an Anthropic-format endpoint that has none (404) is estimated locally, never a 404 to Claude Code', async () => {
    const glm = track(
      await mockUpstream((req, res) =>
        req.url.includes('count_tokens')
          ? json(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'no such route' } })
          : json(res, 200, anthropicMessage('glm')),
      ),
    );
    proxy = await startTestProxy(
      configWith({
        glm: { providerId: 'custom', apiFormat: 'anthropic_messages', apiKey: 'k-glm-00000001', baseURL: glm.url },
      }),
      { kind: 'profile', profile: 'glm' },
    );
    const counted = await client(proxy).messages.countTokens({
      model: 'glm-4.6',
      messages: [{ role: 'user', content: 'hello there' }],
    });
    expect(counted.input_tokens).toBeGreaterThan(0);
    expect(glm.requests.map((r) => r.url)).toEqual(['/v1/messages/count_tokens']); // asked first
  });

  it('editing the group while the proxy runs takes effect on the next request', async () => {
    const primary = track(await healthyAnthropic('primary'));
    const backup = track(await healthyAnthropic('backup'));
    proxy = await startTestProxy(groupConfig(primary.url, backup.url), { kind: 'group', group: 'main' });
    expect(text(await ask(proxy))).toBe('primary');
    await proxy.updateConfig((c) => {
      c.groups!.g1!.profiles = ['backup', 'primary'];
    });
    expect(text(await ask(proxy))).toBe('backup');
  });

  it('a group renamed while a --group proxy serves it is still found (by its id, as `proxy start --group` records it)', async () => {
    const primary = track(await healthyAnthropic('primary'));
    const backup = track(await healthyAnthropic('backup'));
    proxy = await startTestProxy(groupConfig(primary.url, backup.url), { kind: 'group', group: 'main', id: 'g1' });
    expect(text(await ask(proxy))).toBe('primary');
    await proxy.updateConfig((c) => {
      c.groups!.g1!.name = 'primary-first';
    });
    expect(text(await ask(proxy))).toBe('primary');
  });
});
