import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { json, type MockUpstream, mockUpstream, sleep, writeSse } from '../helpers/mock-upstream.js';
import { configWith, startTestProxy, type TestProxy } from '../helpers/proxy.js';

let a: MockUpstream;
let b: MockUpstream;
let proxy: TestProxy;
afterEach(async () => {
  await proxy?.close();
  await a?.close();
  await b?.close();
});

const send = async (url: string, headers: Record<string, string> = {}) =>
  (await (
    await request(`${url}/v1/messages`, {
      method: 'POST',
      headers,
      body: '{"model":"claude-sonnet-4-5","messages":[]}',
    })
  ).body.json()) as { from: string };

/** Every log file of a proxy and its stderr, as one text (after its access log has two lines). */
async function everythingLogged(p: TestProxy): Promise<string> {
  await p.accessLog(2);
  const logDir = join(p.home, 'logs');
  const files = await readdir(logDir);
  return (await Promise.all(files.map((f) => readFile(join(logDir, f), 'utf8')))).join('\n') + p.stderr.join('');
}

describe('config hot reload', () => {
  it('switching the active profile while running sends the next request to the new upstream', async () => {
    a = await mockUpstream((_req, res) => json(res, 200, { from: 'a' }));
    b = await mockUpstream((_req, res) => json(res, 200, { from: 'b' }));
    proxy = await startTestProxy(
      configWith(
        {
          pa: { providerId: 'anthropic', apiKey: 'k-aaaaaaaaaa', baseURL: a.url },
          pb: { providerId: 'anthropic', apiKey: 'k-bbbbbbbbbb', baseURL: b.url },
        },
        { coders: { claude: { activeProfile: 'pa' } } },
      ),
    );
    expect((await send(proxy.url)).from).toBe('a');
    // Written by another process, as `swixter claude switch pb` does; the proxy notices by itself.
    const file = JSON.parse(await readFile(proxy.configFile, 'utf8'));
    file.coders.claude.activeProfile = 'pb';
    await writeFile(`${proxy.configFile}.tmp`, JSON.stringify(file));
    const { rename } = await import('node:fs/promises');
    await rename(`${proxy.configFile}.tmp`, proxy.configFile);
    const deadline = Date.now() + 3000;
    let from = 'a';
    while (from !== 'b' && Date.now() < deadline) {
      await sleep(50);
      from = (await send(proxy.url)).from;
    }
    expect(from).toBe('b');
  });

  it('a route or a routed profile edited while running applies to the next request for the same model', async () => {
    a = await mockUpstream((_req, res) => json(res, 200, { from: 'a' }));
    b = await mockUpstream((_req, res) => json(res, 200, { from: 'b' }));
    const c = await mockUpstream((_req, res) => json(res, 200, { from: 'c' }));
    try {
      proxy = await startTestProxy(
        configWith(
          {
            main: { providerId: 'anthropic', apiKey: 'k-aaaaaaaaaa', baseURL: a.url },
            side: { providerId: 'anthropic', apiKey: 'k-bbbbbbbbbb', baseURL: b.url },
          },
          { proxy: { routes: [{ match: { model: 'claude-sonnet-*' }, profile: 'side' }] } },
        ),
        { kind: 'profile', profile: 'main' },
      );
      expect((await send(proxy.url)).from).toBe('b'); // the plan for this model is made now…
      expect((await send(proxy.url)).from).toBe('b'); // …and used again
      const edit = async (change: (file: { profiles: Record<string, { baseURL: string }>; proxy: object }) => void) => {
        const file = JSON.parse(await readFile(proxy.configFile, 'utf8'));
        change(file);
        await writeFile(proxy.configFile, JSON.stringify(file));
        await proxy.proxy.runtime.reload();
      };
      await edit((file) => {
        file.profiles.side!.baseURL = c.url; // the routed profile moves
      });
      expect((await send(proxy.url)).from).toBe('c');
      await edit((file) => {
        file.proxy = { routes: [{ match: { model: 'claude-opus-*' }, profile: 'side' }] }; // the route no longer matches
      });
      expect((await send(proxy.url)).from).toBe('a');
    } finally {
      await c.close();
    }
  });

  it('a bad edit is reported and the last good config is kept', async () => {
    a = await mockUpstream((_req, res) => json(res, 200, { from: 'a' }));
    proxy = await startTestProxy(
      configWith({ pa: { providerId: 'anthropic', apiKey: 'k-aaaaaaaaaa', baseURL: a.url } }),
      { kind: 'profile', profile: 'pa' },
    );
    await writeFile(proxy.configFile, '{ "profiles": { broken');
    await proxy.proxy.runtime.reload();
    expect(proxy.stderr.join('')).toContain('config change ignored, keeping the last good config');
    expect((await send(proxy.url)).from).toBe('a');
  });
});

describe('access log', () => {
  it('has one JSON line per request with the documented fields, and bodies only at debug level, truncated', async () => {
    a = await mockUpstream((_req, res) => json(res, 200, { text: 'r'.repeat(500) }));
    proxy = await startTestProxy(
      configWith(
        { pa: { providerId: 'anthropic', apiKey: 'k-aaaaaaaaaa', baseURL: a.url } },
        { proxy: { maxBodyLogSize: 64 } },
      ),
      { kind: 'profile', profile: 'pa' },
      { logLevel: 'debug' },
    );
    await send(proxy.url, { 'user-agent': 'claude-cli/2.1.197 (external, sdk-cli)' });
    const [entry] = await proxy.accessLog();
    for (const key of [
      'timestamp',
      'method',
      'path',
      'status',
      'duration_ms',
      'request_size',
      'response_size',
      'ttfb_ms',
      'profile',
      'upstream',
      'model',
      'stream',
      'client',
    ]) {
      expect(entry, key).toHaveProperty(key);
    }
    expect(entry.client).toBe('claude-code/2.1.197');
    expect(entry.upstream).toBe(a.url);
    expect(entry.request_body.startsWith('{"model":"claude-sonnet-4-5"')).toBe(true);
    expect(entry.response_body.length).toBeLessThan(100);
    expect(entry.response_body).toContain('more]');
  });

  it('rotates at proxy.logMaxBytes and keeps proxy.logKeep older files', async () => {
    a = await mockUpstream((_req, res) => json(res, 200, { from: 'a' }));
    proxy = await startTestProxy(
      configWith(
        { pa: { providerId: 'anthropic', apiKey: 'k-aaaaaaaaaa', baseURL: a.url } },
        { coders: { claude: { activeProfile: 'pa' } }, proxy: { logMaxBytes: 1000, logKeep: 2 } },
      ),
    );
    // one line is ~400 bytes: each batch of requests, flushed, passes 1000 bytes and rotates
    for (let batch = 0; batch < 4; batch++) {
      for (let i = 0; i < 3; i++) expect((await send(proxy.url)).from).toBe('a');
      await proxy.proxy.runtime.accessLog.flush();
    }
    const files = (await readdir(join(proxy.home, 'logs'))).sort();
    expect(files).toEqual(['test.jsonl', 'test.jsonl.1', 'test.jsonl.2']);
    const rotated = await readFile(join(proxy.home, 'logs', 'test.jsonl.1'), 'utf8');
    expect(rotated.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(2);
  });

  it('keys of no known shape stay out of logs too: echoed, forwarded, in a query string, cut by the body limit', async () => {
    const profileKey = 'ZZPROFILEKEY1234567890abc';
    const clientKey = 'ClientKey9f8e7d6c5b4a3210';
    const queryKey = 'QUERYSECRET123456789xyz';
    // echoes the key it was sent, as some providers do
    a = await mockUpstream((req, res) =>
      json(res, 401, {
        type: 'error',
        error: { type: 'authentication_error', message: `invalid key ${String(req.headers['x-api-key'])} given` },
      }),
    );
    proxy = await startTestProxy(
      configWith(
        {
          withKey: { providerId: 'anthropic', apiKey: profileKey, baseURL: a.url },
          noKey: { providerId: 'anthropic', apiKey: '', baseURL: a.url },
        },
        { coders: { claude: { activeProfile: 'withKey' } }, proxy: { maxBodyLogSize: 60 } },
      ),
      { kind: 'default' },
      { logLevel: 'debug' },
    );
    const first = await request(`${proxy.url}/v1/messages?key=${queryKey}`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm' }),
    });
    // the client gets the upstream's error, but not the profile's key in it
    const answer = await first.body.text();
    expect(answer).toContain('authentication_error');
    expect(answer).not.toContain(profileKey);
    await proxy.updateConfig((c) => {
      c.coders!.claude!.activeProfile = 'noKey';
    });
    await request(`${proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': clientKey },
      body: JSON.stringify({ model: 'm' }),
    }).then((r) => r.body.text());
    const everything = await everythingLogged(proxy);
    expect(everything).toContain('/v1/messages?key=');
    for (const secret of [profileKey, clientKey, queryKey])
      for (let i = 0; i + 10 <= secret.length; i++) expect(everything).not.toContain(secret.slice(i, i + 10));
  });

  it('never writes an API key or auth header to the access log or stderr (debug level)', async () => {
    const profileKey = 'sk-ant-api03-PROFILEKEY-must-never-appear-0001';
    const clientKey = 'sk-ant-api03-CLIENTKEY-must-never-appear-0002';
    const bodySecret = 'sk-ant-api03-BODYKEY-must-never-appear-0003';
    a = await mockUpstream((req, res) => {
      if (req.url.includes('stream')) return writeSse(res, ['event: message_stop\ndata: {"type":"message_stop"}\n\n']);
      json(res, 401, {
        type: 'error',
        error: { type: 'authentication_error', message: `invalid x-api-key ${profileKey}` },
      });
    });
    proxy = await startTestProxy(
      configWith(
        {
          withKey: { providerId: 'anthropic', apiKey: profileKey, baseURL: a.url },
          noKey: { providerId: 'anthropic', apiKey: '', baseURL: a.url },
        },
        { coders: { claude: { activeProfile: 'withKey' } } },
      ),
      { kind: 'default' },
      { logLevel: 'debug' },
    );
    await request(`${proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': clientKey, authorization: `Bearer ${clientKey}` },
      body: JSON.stringify({ model: 'm', note: bodySecret }),
    }).then((r) => r.body.text());
    await proxy.updateConfig((c) => {
      c.coders!.claude!.activeProfile = 'noKey';
    });
    await request(`${proxy.url}/v1/messages?stream`, {
      method: 'POST',
      headers: { 'x-api-key': clientKey },
      body: JSON.stringify({ model: 'm', stream: true }),
    }).then((r) => r.body.text());
    const everything = await everythingLogged(proxy);
    expect(everything.length).toBeGreaterThan(200);
    for (const secret of [profileKey, clientKey, bodySecret]) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/PROFILEKEY|CLIENTKEY|BODYKEY/);
  });
});
