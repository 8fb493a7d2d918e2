import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pidAlive } from '../../src/daemon/registry.js';
import { CLI, type TempHome, tempHome } from '../helpers/cli.js';
import { json, type MockUpstream, mockUpstream, sleep } from '../helpers/mock-upstream.js';

let home: TempHome;
let upstream: MockUpstream;

beforeAll(async () => {
  home = await tempHome();
  upstream = await mockUpstream((req, res) => {
    if (req.json?.model === 'fail')
      return json(res, 500, { type: 'error', error: { type: 'api_error', message: 'boom' } });
    json(res, 200, { id: 'msg_1', type: 'message', content: [], usage: { input_tokens: 5, output_tokens: 2 } });
  });
  await home.run(
    'claude',
    'create',
    'mock',
    '--provider',
    'anthropic',
    '--api-key',
    'sk-ant-cli-test-key-777',
    '--base-url',
    upstream.url,
  );
});
afterAll(async () => {
  await home.run('proxy', 'stop', '--all');
  await upstream.close();
  await home.cleanup();
});

describe('swixter proxy (daemon lifecycle)', () => {
  let first: { name: string; pid: number; port: number; url: string };

  it('start --daemon waits for health, prints pid, port and URL, and exits 0', async () => {
    const r = await home.run('proxy', 'start', '--daemon', '--profile', 'mock', '--port', '0');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/pid:\s+\d+/);
    expect(r.stdout).toMatch(/port:\s+\d+/);
    const url = /url:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(r.stdout)?.[1];
    expect(url).toBeDefined();
    const health = await request(`${url}/health`);
    expect(health.statusCode).toBe(200);
    const [status] = JSON.parse((await home.run('proxy', 'status', '--json')).stdout);
    first = status;
    expect(status).toMatchObject({
      name: 'mock',
      url,
      mode: { kind: 'profile', profile: 'mock' },
      reachable: true,
      daemon: true,
      activeBackend: null,
    });
  });

  it('status shows the active backend and the connected coder after a Claude Code request', async () => {
    await request(`${first.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { 'user-agent': 'claude-cli/2.1.197 (external, sdk-cli)' },
      body: '{"model":"claude-sonnet-4-5","messages":[]}',
    }).then((r) => r.body.text());
    await request(`${first.url}/v1/messages`, {
      method: 'POST',
      headers: { 'user-agent': 'claude-cli/2.1.197' },
      body: '{"model":"fail"}',
    }).then((r) => r.body.text());
    const [status] = JSON.parse((await home.run('proxy', 'status', '--json')).stdout);
    expect(status.activeBackend).toMatchObject({ profile: 'mock', upstream: upstream.url });
    expect(status.requests).toMatchObject({ total: 2, '2xx': 1, '5xx': 1 });
    expect(status.coders).toEqual([
      expect.objectContaining({ name: 'claude-code', client: 'claude-code/2.1.197', requests: 2 }),
    ]);
    const text = (await home.run('proxy', 'status')).stdout;
    expect(text).toContain('claude-code/2.1.197');
    expect(text).toContain(`mock → ${upstream.url}`);
    // the daemon's stderr log, which nobody rotates, gets no line per request (the access log has them)
    const stderrLog = await readFile(join(home.dir, 'swixter', 'logs', `${status.name}.stderr.log`), 'utf8');
    expect(stderrLog).not.toContain('POST /v1/messages 200');
    expect(stderrLog).not.toContain('POST /v1/messages 5'); // failed ones neither: it would grow with a flaky upstream
  });

  it('logs: table by default, --json lines, --status and --last filters', async () => {
    const table = (await home.run('proxy', 'logs')).stdout;
    expect(table).toMatch(/TIME\s+METHOD\s+PATH\s+STATUS/);
    expect(table).toMatch(/POST\s+\/v1\/messages\?beta=true\s+200/);
    const lines = (await home.run('proxy', 'logs', 'mock', '--json')).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.status)).toEqual([200, 500]);
    const errors = (await home.run('proxy', 'logs', '--json', '--status', '5xx')).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(errors.map((l) => l.model)).toEqual(['fail']);
    const exact = (await home.run('proxy', 'logs', '--json', '--status', '200')).stdout.trim().split('\n');
    expect(exact).toHaveLength(1);
    const last = (await home.run('proxy', 'logs', '--json', '--last', '1')).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(last.map((l) => l.model)).toEqual(['fail']);
    expect((await home.run('proxy', 'logs', '--status', 'abc')).code).toBe(2);
  });

  it('logs --last reaches into the rotated files when the current one holds fewer entries', async () => {
    const logs = join(home.dir, 'swixter', 'logs');
    mkdirSync(logs, { recursive: true });
    const line = (n: number, status = 200) =>
      `${JSON.stringify({ timestamp: `2026-11-26T10:00:0${n}.000Z`, method: 'POST', path: '/v1/messages', status, duration_ms: 1, request_size: 2, response_size: 3, model: `m${n}` })}\n`;
    await writeFile(join(logs, 'rotated.jsonl.2'), line(1) + line(2));
    await writeFile(join(logs, 'rotated.jsonl.1'), line(3) + line(4, 500) + line(5));
    await writeFile(join(logs, 'rotated.jsonl'), line(6));
    const models = async (...args: string[]) =>
      (await home.run('proxy', 'logs', 'rotated', '--json', ...args)).stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).model);
    expect(await models('--last', '3')).toEqual(['m4', 'm5', 'm6']);
    expect(await models('--last', '50')).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    expect(await models('--last', '1')).toEqual(['m6']);
    expect(await models('--status', '5xx')).toEqual(['m4']);
  });

  it('logs --follow goes on across rotations (two between its looks) without losing a line', async () => {
    const logs = join(home.dir, 'swixter', 'logs');
    mkdirSync(logs, { recursive: true });
    const file = join(logs, 'followed.jsonl');
    const line = (model: string) =>
      `${JSON.stringify({ timestamp: '2026-11-26T10:00:00.000Z', method: 'POST', path: '/v1/messages', status: 200, duration_ms: 1, request_size: 2, response_size: 3, model })}\n`;
    writeFileSync(file, line('before-start'));
    const child = spawn(process.execPath, [CLI, 'proxy', 'logs', 'followed', '--follow', '--json', '--last', '0'], {
      env: { PATH: process.env.PATH, HOME: home.dir, SWIXTER_HOME: join(home.dir, 'swixter') },
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d.toString();
    });
    const printed = () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).model);
    await sleep(600);
    appendFileSync(file, line('one'));
    const deadline = Date.now() + 5000;
    while (!printed().includes('one') && Date.now() < deadline) await sleep(20);
    // as AccessLog rotates: the last lines go to the old file, which becomes .1; a new file starts,
    // and under heavy traffic rotates too before follow looks again (200 ms): .1 → .2, and a third file
    appendFileSync(file, line('two') + line('three'));
    renameSync(file, `${file}.1`);
    writeFileSync(file, line('four'));
    renameSync(`${file}.1`, `${file}.2`);
    renameSync(file, `${file}.1`);
    writeFileSync(file, line('five'));
    while (!printed().includes('five') && Date.now() < deadline) await sleep(20);
    child.kill('SIGINT');
    expect(printed()).toEqual(['one', 'two', 'three', 'four', 'five']);
  });

  it('logs --follow prints an entry made after it started', async () => {
    const child = spawn(process.execPath, [CLI, 'proxy', 'logs', '--follow', '--json', '--last', '0'], {
      env: { PATH: process.env.PATH, HOME: home.dir, SWIXTER_HOME: join(home.dir, 'swixter') },
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d.toString();
    });
    await sleep(600);
    expect(out).toBe('');
    await request(`${first.url}/v1/messages`, { method: 'POST', body: '{"model":"followed-model"}' }).then((r) =>
      r.body.text(),
    );
    const deadline = Date.now() + 5000;
    while (!out.includes('followed-model') && Date.now() < deadline) await sleep(50);
    child.kill('SIGINT');
    expect(JSON.parse(out.trim().split('\n')[0]!).model).toBe('followed-model');
  });

  it('a second instance on another port; port in use is a clear error; stop needs a name when several run', async () => {
    const second = await home.run('proxy', 'start', '--daemon', '--profile', 'mock', '--name', 'other');
    expect(second.code, second.stderr).toBe(0);
    const statuses = JSON.parse((await home.run('proxy', 'status', '--json')).stdout) as Array<{
      name: string;
      port: number;
    }>;
    expect(statuses.map((s) => s.name).sort()).toEqual(['mock', 'other']);
    expect(new Set(statuses.map((s) => s.port)).size).toBe(2);

    const clash = await home.run('proxy', 'start', '--profile', 'mock', '--port', String(first.port));
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain(`port ${first.port} on 127.0.0.1 is already in use`);
    expect(clash.stderr).not.toMatch(/\n\s+at /);
    const clashDaemon = await home.run('proxy', 'start', '--daemon', '--profile', 'mock', '--port', String(first.port));
    expect(clashDaemon.code).toBe(1);
    expect(clashDaemon.stderr).toContain('already in use');

    const ambiguous = await home.run('proxy', 'stop');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('mock');
    expect(ambiguous.stderr).toContain('other');
  });

  it('stop <name> ends the process and cleans the registry', async () => {
    const statuses = JSON.parse((await home.run('proxy', 'status', '--json')).stdout) as Array<{
      name: string;
      pid: number;
    }>;
    for (const s of statuses) {
      const r = await home.run('proxy', 'stop', s.name);
      expect(r.code, r.stderr).toBe(0);
      expect(pidAlive(s.pid)).toBe(false);
    }
    expect(JSON.parse((await home.run('proxy', 'status', '--json')).stdout)).toEqual([]);
    expect((await readdir(join(home.dir, 'swixter', 'run'))).filter((f) => f.endsWith('.json'))).toEqual([]);
    const none = await home.run('proxy', 'stop');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no Swixter proxy is running');
  });

  it('a dead instance is cleaned from the registry when read', async () => {
    const r = await home.run('proxy', 'start', '--daemon', '--profile', 'mock');
    const pid = Number(/pid:\s+(\d+)/.exec(r.stdout)?.[1]);
    process.kill(pid, 'SIGKILL');
    await sleep(200);
    expect(JSON.parse((await home.run('proxy', 'status', '--json')).stdout)).toEqual([]);
  });

  it('a stale entry whose pid another program took over (after a reboot or a kill -9) is no proxy: never listed, never signalled', async () => {
    // an unrelated process now holds the pid a stale record names
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      await sleep(100);
      const runDir = join(home.dir, 'swixter', 'run');
      mkdirSync(runDir, { recursive: true });
      writeFileSync(
        join(runDir, 'stale.json'),
        JSON.stringify({
          name: 'stale',
          pid: other.pid,
          host: '127.0.0.1',
          port: 1,
          url: 'http://127.0.0.1:1',
          mode: { kind: 'default' },
          daemon: true,
          startedAt: new Date(0).toISOString(),
          logFile: join(home.dir, 'stale.jsonl'),
        }),
      );
      // the record is no proxy's any more: status does not list it, and reading it removed it
      const status = await home.run('proxy', 'status', '--json');
      expect(JSON.parse(status.stdout)).toEqual([]);
      const r = await home.run('proxy', 'stop', 'stale');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('no running proxy named "stale"');
      await sleep(100);
      expect(pidAlive(other.pid!)).toBe(true);
      expect((await readdir(runDir)).filter((f) => f === 'stale.json')).toEqual([]);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('start with an unknown profile fails before forking', async () => {
    const r = await home.run('proxy', 'start', '--daemon', '--profile', 'ghost');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown profile "ghost"');
  });

  it.each([
    [['--name', '../outside'], 'invalid instance name "../outside"'], // a name is a file name in the registry
    [['--name', 'a/b'], 'invalid instance name "a/b"'],
    [['--name', ''], 'invalid instance name ""'],
    [['--port', '1e4'], 'invalid --port "1e4"'],
    [['--port', '0x2711'], 'invalid --port "0x2711"'],
    [['--log-level', 'loud'], 'invalid --log-level "loud"'],
  ])('start %j is refused at once, in the foreground and as a daemon, with exit 2', async (flags, message) => {
    for (const daemon of [[], ['--daemon']]) {
      const r = await home.run('proxy', 'start', ...daemon, '--port', '0', ...flags);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(message);
    }
    expect(await readdir(join(home.dir, 'swixter')).catch(() => [])).not.toContain('outside.json');
  });
});

describe('a proxy that requires a token this shell lacks', () => {
  it('status lists it as up (it answered 401), with a hint, not as "not answering"', async () => {
    const h = await tempHome();
    try {
      expect((await h.run('claude', 'create', 'p', '--provider', 'anthropic', '--api-key', 'k-1234567890')).code).toBe(
        0,
      );
      const config = await h.readConfig();
      await writeFile(h.configFile, JSON.stringify({ ...config, proxy: { requireToken: true } }));
      const env = { SWIXTER_PROXY_TOKEN: 'swx-env-token-0123456789abcdef' };
      const started = await h.runEnv(env, 'proxy', 'start', '--daemon', '--port', '0', '--profile', 'p');
      expect(started.code, started.stderr).toBe(0);
      const status = await h.run('proxy', 'status');
      expect(status.stdout).not.toContain('[not answering]');
      expect(status.stdout).toContain('it requires its token');
      expect(status.stdout).not.toContain(env.SWIXTER_PROXY_TOKEN);
    } finally {
      await h.run('proxy', 'stop', '--all');
      await h.cleanup();
    }
  });
});

describe('foreground start', () => {
  it('prints the real URL for port 0, serves, and shuts down cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'proxy', 'start', '--profile', 'mock', '--port', '0', '--log-level', 'info'],
      {
        env: { PATH: process.env.PATH, HOME: home.dir, SWIXTER_HOME: join(home.dir, 'swixter') },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d.toString();
    });
    child.stderr.on('data', (d) => {
      err += d.toString();
    });
    const deadline = Date.now() + 5000;
    while (!/listening on http/.test(out) && Date.now() < deadline) await sleep(20);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(url).toMatch(/:\d{2,5}$/);
    expect(url).not.toMatch(/:0$/);
    await request(`${url}/v1/messages`, { method: 'POST', body: '{"model":"claude-x"}' }).then((r) => r.body.text());
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(err).toMatch(/INFO\s+POST \/v1\/messages 200/);
    expect(JSON.parse((await home.run('proxy', 'status', '--json')).stdout)).toEqual([]);
  });
});
