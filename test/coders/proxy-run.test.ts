import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, type TempHome, tempHome } from '../helpers/cli.js';
import { json, type MockUpstream, mockUpstream } from '../helpers/mock-upstream.js';
import { type FakeReport, parseReport, writeFakeCoders } from './fake-coder.js';

// `swixter proxy run -- <coder>` and `swixter claude|codex run` with fake coder scripts.

const UPSTREAM_KEY = 'sk-upstream-key-4321';

let home: TempHome;
let bin: string;
let upstream: MockUpstream;
let token: string;

const runWith = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  home.runEnv({ PATH: `${bin}:${process.env.PATH}`, ANTHROPIC_API_KEY: 'sk-ant-parent-env-9999', ...env }, ...args);

async function status(): Promise<Array<{ name: string; pid: number; temporary?: boolean }>> {
  return JSON.parse((await home.run('proxy', 'status', '--json')).stdout);
}

beforeAll(async () => {
  home = await tempHome();
  bin = await writeFakeCoders(home.dir);
  upstream = await mockUpstream((req, res) =>
    json(res, 200, {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: req.json?.model,
      choices: [{ index: 0, message: { role: 'assistant', content: 'hello from upstream' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    }),
  );
  const create = (...args: string[]) => home.run(...args).then((r) => expect(r.code, r.stderr).toBe(0));
  await create(
    'claude',
    'create',
    'oai',
    '--provider',
    'custom',
    '--base-url',
    `${upstream.url}/v1`,
    '--api-key',
    UPSTREAM_KEY,
    '--model',
    'mock-chat',
    '--haiku-model',
    'mock-small',
  );
  await create('codex', 'switch', 'oai');
  token = (await home.run('proxy', 'token')).stdout.trim();
  expect(token).toMatch(/^swx-/);
});
afterAll(async () => {
  await home.run('proxy', 'stop', '--all');
  await upstream.close();
  await home.cleanup();
});

describe('swixter proxy run', () => {
  it('Claude Code: URL, token, model variables, no parent API key; args after -- untouched; exit code propagates', async () => {
    const r = await runWith(
      { FAKE_EXIT: '3' },
      'proxy',
      'run',
      '--profile',
      'oai',
      '--',
      'claude',
      '-p',
      'fix it',
      '--help',
      '-v',
      '--',
      '--json',
    );
    expect(r.code, r.stderr).toBe(3);
    const report = parseReport(r.stdout);
    expect(report.args).toEqual(['--settings', expect.any(String), '-p', 'fix it', '--help', '-v', '--', '--json']);
    expect(report.env).toEqual({
      ANTHROPIC_BASE_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      ANTHROPIC_AUTH_TOKEN: token,
      ANTHROPIC_MODEL: 'mock-chat',
      ANTHROPIC_DEFAULT_HAIKU_MODEL: 'mock-small',
    });
    // --settings carries the same, and clears what a settings.json written earlier might hold
    expect(report.settings?.env).toMatchObject({
      ANTHROPIC_BASE_URL: report.env.ANTHROPIC_BASE_URL,
      ANTHROPIC_AUTH_TOKEN: token,
      ANTHROPIC_API_KEY: '',
      ANTHROPIC_DEFAULT_OPUS_MODEL: '',
    });
    // While the coder ran, the temporary instance was registered; after it exited, it is gone.
    expect(report.instances).toEqual([
      expect.objectContaining({ name: 'oai', temporary: true, mode: { kind: 'profile', profile: 'oai' } }),
    ]);
    expect(report.instances[0]!.url).toBe(report.env.ANTHROPIC_BASE_URL);
    expect(await status()).toEqual([]);
  });

  it('the coder reaches the upstream through the proxy (converted, profile key, token never forwarded)', async () => {
    upstream.requests.length = 0;
    const r = await runWith({ FAKE_REQUEST: '1' }, 'proxy', 'run', '--profile', 'oai', '--', 'claude');
    expect(r.code, r.stderr).toBe(0);
    const report = parseReport(r.stdout);
    expect(report.response?.status).toBe(200);
    expect(report.response?.body).toMatchObject({
      type: 'message',
      content: [{ type: 'text', text: 'hello from upstream' }],
    });
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]!.url).toBe('/v1/chat/completions');
    expect(upstream.requests[0]!.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(JSON.stringify(upstream.requests[0]!.headers)).not.toContain(token);
    expect(upstream.requests[0]!.json.model).toBe('mock-chat');
    const logs = await home.run('proxy', 'logs', 'oai', '--json');
    expect(logs.stdout).toContain('"status":200');
  });

  it('Codex: -c provider overrides and -m before its args, the token in SWIXTER_PROXY_TOKEN', async () => {
    const r = await runWith({}, 'proxy', 'run', '--', 'codex', 'exec', '--skip-git-repo-check', 'hi');
    expect(r.code, r.stderr).toBe(0);
    const report = parseReport(r.stdout);
    const url = report.instances[0]!.url;
    expect(report.args).toEqual([
      '-c',
      'model_provider=swixter-run',
      '-c',
      `model_providers.swixter-run={name="swixter",base_url="${url}/v1",env_key="SWIXTER_PROXY_TOKEN",wire_api="responses"}`,
      '-m',
      'mock-chat',
      'exec',
      '--skip-git-repo-check',
      'hi',
    ]);
    expect(report.env.SWIXTER_PROXY_TOKEN).toBe(token);
    expect(report.instances[0]).toMatchObject({ temporary: true, mode: { kind: 'default' } });
  });

  it('any other command gets both base URLs and the token variables', async () => {
    const r = await runWith({}, 'proxy', 'run', 'some-tool', '--flag', 'x');
    expect(r.code, r.stderr).toBe(0);
    const report = parseReport(r.stdout);
    expect(report.args).toEqual(['--flag', 'x']);
    const url = report.instances[0]!.url;
    expect(report.env).toEqual({
      ANTHROPIC_BASE_URL: url,
      OPENAI_BASE_URL: `${url}/v1`,
      ANTHROPIC_AUTH_TOKEN: token,
      OPENAI_API_KEY: token,
      SWIXTER_PROXY_TOKEN: token,
    });
  });

  it.each([
    ['claude', '@anthropic-ai/claude-code'],
    ['codex', '@openai/codex'],
  ])('a missing %s: exit 127 with the install command', async (coder, pkg) => {
    const r = await home.runEnv({ PATH: join(home.dir, 'no-such-dir') }, 'proxy', 'run', '--', coder);
    expect(r.code).toBe(127);
    expect(r.stderr).toContain(`${coder}: command not found`);
    expect(r.stderr).toContain(`npm install -g ${pkg}`);
    expect(await status()).toEqual([]);
  });

  it('a coder killed by a signal: exit 128 + the signal number', async () => {
    const r = await runWith({ FAKE_SIGNAL: 'SIGKILL' }, 'proxy', 'run', '--', 'some-tool');
    expect(r.code).toBe(137);
    expect(await status()).toEqual([]);
  });

  it.each([
    ['SIGINT', 21],
    ['SIGTERM', 22],
    ['SIGHUP', 23],
  ] as const)(
    '%s sent to swixter reaches the coder; swixter exits with its code and cleans up',
    async (signal, code) => {
      const child = spawn(process.execPath, [CLI, 'proxy', 'run', '--', 'waiter'], {
        env: { PATH: `${bin}:${process.env.PATH}`, HOME: home.dir, SWIXTER_HOME: join(home.dir, 'swixter') },
      });
      let out = '';
      const ready = new Promise<void>((done) =>
        child.stdout.on('data', (d) => {
          out += d.toString();
          if (out.includes('ready')) done();
        }),
      );
      const exited = new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
      try {
        await ready;
        expect(await status()).toEqual([expect.objectContaining({ temporary: true, pid: child.pid })]);
        child.kill(signal);
        expect(await exited).toBe(code);
        expect(out).toContain(`got ${signal}`);
        expect(await status()).toEqual([]);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  );

  it('proxy.requireToken: the token the coder got is required and accepted', async () => {
    const config = await home.readConfig();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      home.configFile,
      JSON.stringify({ ...config, proxy: { ...(config.proxy as object), requireToken: true } }),
    );
    try {
      const ok = parseReport(
        (await runWith({ FAKE_REQUEST: '1' }, 'proxy', 'run', '--profile', 'oai', '--', 'claude')).stdout,
      );
      expect(ok.response?.status).toBe(200);
      const denied = parseReport(
        (await runWith({ FAKE_REQUEST: '1', FAKE_NO_TOKEN: '1' }, 'proxy', 'run', '--profile', 'oai', '--', 'claude'))
          .stdout,
      );
      expect(denied.response?.status).toBe(401);
    } finally {
      await writeFile(home.configFile, JSON.stringify(config));
    }
  });

  it('reuses a running instance for the same profile and leaves it running', async () => {
    const started = await home.run('proxy', 'start', '--daemon', '--profile', 'oai', '--port', '0', '--json');
    expect(started.code, started.stderr).toBe(0);
    const daemon = JSON.parse(started.stdout) as { name: string; pid: number; url: string };
    try {
      const report: FakeReport = parseReport(
        (await runWith({}, 'proxy', 'run', '--profile', 'oai', '--', 'claude')).stdout,
      );
      expect(report.env.ANTHROPIC_BASE_URL).toBe(daemon.url);
      expect(report.instances).toEqual([expect.objectContaining({ pid: daemon.pid })]);
      expect(await status()).toEqual([expect.objectContaining({ pid: daemon.pid })]);
    } finally {
      await home.run('proxy', 'stop', daemon.name);
    }
  });
});

describe('swixter claude run / codex run', () => {
  it("runs the coder with its active profile; the coder's options pass through", async () => {
    const r = await runWith({}, 'claude', 'run', '-p', 'hello', '--model', 'x');
    expect(r.code, r.stderr).toBe(0);
    const report = parseReport(r.stdout);
    expect(report.args).toEqual(['--settings', expect.any(String), '-p', 'hello', '--model', 'x']);
    expect(report.instances).toEqual([
      expect.objectContaining({ temporary: true, mode: { kind: 'profile', profile: 'oai' } }),
    ]);
    const codex = parseReport((await runWith({}, 'codex', 'run', 'exec', '-m', 'mine')).stdout);
    expect(codex.args.slice(-3)).toEqual(['exec', '-m', 'mine']);
    expect(codex.args).not.toContain('mock-chat');
  });

  it('no active profile: an error with a hint', async () => {
    const empty = await tempHome();
    try {
      const r = await empty.run('codex', 'run');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/no active profile/);
      expect(r.stderr).toContain('hint: pick one: swixter codex switch');
    } finally {
      await empty.cleanup();
    }
  });
});
