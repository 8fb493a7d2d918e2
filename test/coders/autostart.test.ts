import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempHome, tempHome } from '../helpers/cli.js';

// proxy.autoStart: `apply` of a profile that needs the proxy starts the daemon, or reuses it.

let home: TempHome;
let port: number;

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function status(): Promise<Array<{ name: string; pid: number; port: number; daemon: boolean; mode: unknown }>> {
  return JSON.parse((await home.run('proxy', 'status', '--json')).stdout);
}

beforeAll(async () => {
  home = await tempHome();
  for (const args of [
    ['claude', 'create', 'kimi', '--provider', 'groq', '--api-key', 'gsk-groq-secret-5678', '--model', 'kimi-k2'],
    ['claude', 'create', 'direct', '--provider', 'anthropic', '--api-key', 'sk-ant-direct-key-1234'],
  ]) {
    const r = await home.run(...args);
    expect(r.code, r.stderr).toBe(0);
  }
  // A fixed port of our own, so parallel test files never race for 15721.
  port = await freePort();
  const config = await home.readConfig();
  await writeFile(home.configFile, JSON.stringify({ ...config, proxy: { autoStart: true, port } }, null, 2));
});
afterAll(async () => {
  await home.run('proxy', 'stop', '--all');
  await home.cleanup();
});

describe('proxy.autoStart', () => {
  it('a direct profile starts nothing', async () => {
    const r = await home.run('claude', 'apply', 'direct', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ connection: 'direct', proxy: null });
    expect(await status()).toEqual([]);
  });

  it('apply of a proxied profile starts the daemon in default mode and prints its URL', async () => {
    const r = await home.run('claude', 'apply', 'kimi');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Started the proxy "default"`);
    expect(r.stdout).toContain(`http://127.0.0.1:${port}`);
    const running = await status();
    expect(running).toEqual([
      expect.objectContaining({ name: 'default', port, daemon: true, mode: { kind: 'default' } }),
    ]);
    const settings = JSON.parse(await readFile(join(home.dir, '.claude', 'settings.json'), 'utf8'));
    expect(settings.env.ANTHROPIC_BASE_URL).toBe(`http://127.0.0.1:${port}`);
    // The daemon serves the profile claude now uses, with the token apply wrote.
    const res = await fetch(`http://127.0.0.1:${port}/_swixter/status`, {
      headers: { 'x-swixter-token': settings.env.ANTHROPIC_AUTH_TOKEN },
    });
    expect(res.status).toBe(200);
  });

  it('a second apply (claude or codex) reuses the running daemon: same pid', async () => {
    const [before] = await status();
    const again = await home.run('claude', 'apply', 'kimi', '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).proxy).toMatchObject({ state: 'running', instance: 'default', pid: before!.pid });
    const codex = await home.runEnv({ CODEX_HOME: join(home.dir, 'codex') }, 'codex', 'apply', 'kimi');
    expect(codex.code, codex.stderr).toBe(0);
    expect(codex.stdout).toContain(`Proxy "default" is running at http://127.0.0.1:${port}`);
    expect(await status()).toEqual([expect.objectContaining({ pid: before!.pid })]);
  });
});

describe('proxy.autoStart, claude and codex applied at the same moment', () => {
  it('one daemon is started, and both applies use it', async () => {
    await home.run('proxy', 'stop', '--all');
    expect(await status()).toEqual([]);
    const [claude, codex] = await Promise.all([
      home.run('claude', 'apply', 'kimi', '--json'),
      home.runEnv({ CODEX_HOME: join(home.dir, 'codex') }, 'codex', 'apply', 'kimi', '--json'),
    ]);
    expect(claude.code, claude.stderr).toBe(0);
    expect(codex.code, codex.stderr).toBe(0);
    const running = await status();
    expect(running).toEqual([expect.objectContaining({ name: 'default', port, daemon: true })]);
    const states = [JSON.parse(claude.stdout).proxy.state, JSON.parse(codex.stdout).proxy.state].sort();
    expect(states).toEqual(['running', 'started']);
  });
});

describe('proxy.port held by something other than a default-mode proxy', () => {
  it('a proxy started for one profile there: apply refuses (the coder would reach that profile), files untouched', async () => {
    await home.run('proxy', 'stop', '--all');
    const settingsFile = join(home.dir, '.claude', 'settings.json');
    const before = await readFile(settingsFile, 'utf8');
    const solo = await home.run('proxy', 'start', '--profile', 'direct', '--daemon', '--name', 'solo');
    expect(solo.code, solo.stderr).toBe(0);
    expect(await status()).toEqual([expect.objectContaining({ name: 'solo', port })]);
    const r = await home.run('claude', 'apply', 'kimi');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`port ${port} (proxy.port) is held by proxy "solo", started for profile "direct"`);
    expect(r.stderr).toContain('swixter proxy stop solo');
    expect(await readFile(settingsFile, 'utf8')).toBe(before);
    await home.run('proxy', 'stop', 'solo');
  });

  it('another program there: apply writes the URL and says the proxy cannot start until the port is free', async () => {
    await home.run('proxy', 'stop', '--all');
    const config = await home.readConfig();
    await writeFile(
      home.configFile,
      JSON.stringify({ ...config, proxy: { ...(config.proxy as object), autoStart: false } }),
    );
    const squatter = createServer();
    await new Promise<void>((done) => squatter.listen(port, '127.0.0.1', () => done()));
    try {
      const r = await home.run('claude', 'apply', 'kimi');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`port ${port} (proxy.port) is in use by another program`);
    } finally {
      await new Promise<void>((done) => squatter.close(() => done()));
    }
  });
});
