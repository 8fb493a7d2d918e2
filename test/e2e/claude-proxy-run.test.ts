import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, type TempHome, tempHome } from '../helpers/cli.js';
import { type MockUpstream, mockUpstream } from '../helpers/mock-upstream.js';
import { CODERS, INSTALL_TIMEOUT_MS, installCoder } from './support/install-coder.js';
import { chatModel, FINAL_PREFIX } from './support/mock-models.js';
import {
  CLEAN_PATH,
  E2E_TIMEOUT_MS,
  jsonLines,
  type ProcessResult,
  runEvidence,
  runProgram,
} from './support/processes.js';

/**
 * The coder-integration proof: `swixter proxy run --profile <openai-format profile> -- claude -p …`
 * starts a temporary proxy, launches the real Claude Code with the right environment, completes
 * a tool-use task against a Chat-only upstream, stops the proxy and returns Claude's exit code.
 */

let home: TempHome;
let upstream: MockUpstream;
let scratch: string;
let run: ProcessResult;

const evidence = () => runEvidence('swixter proxy run', run, upstream);

beforeAll(async () => {
  const claude = await installCoder('claude');
  upstream = await mockUpstream(
    chatModel({
      tool: 'Bash',
      args: { command: 'echo hi' },
      usage: [
        { input: 30, cached: 0, output: 5 },
        { input: 40, cached: 0, output: 6 },
      ],
    }),
  );
  home = await tempHome();
  const created = await home.run(
    'claude',
    'create',
    'oa',
    '--provider',
    'custom',
    '--base-url',
    `${upstream.url}/v1`,
    '--api-key',
    'sk-run-test',
    '--api-format',
    'openai_chat',
    '--model',
    'mock-model',
  );
  expect(created.code, created.stderr).toBe(0);
  scratch = await mkdtemp(join(tmpdir(), 'swixter-e2e-run-'));
  await mkdir(join(scratch, 'home'));
  await mkdir(join(scratch, 'work'));
  run = await runProgram(
    process.execPath,
    [
      CLI,
      'proxy',
      'run',
      '--profile',
      'oa',
      '--',
      'claude',
      '-p',
      'Please run echo hi using the Bash tool',
      '--bare',
      '--allowedTools',
      'Bash',
      '--output-format',
      'stream-json',
      '--verbose',
    ],
    {
      cwd: join(scratch, 'work'),
      timeoutMs: E2E_TIMEOUT_MS - 20_000,
      env: {
        // `claude` is found on PATH, as a user's would be.
        PATH: `${dirname(claude)}:${CLEAN_PATH}`,
        HOME: join(scratch, 'home'),
        SWIXTER_HOME: join(home.dir, 'swixter'),
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_TELEMETRY: '1',
        DISABLE_AUTOUPDATER: '1',
        DISABLE_ERROR_REPORTING: '1',
        DISABLE_BUG_COMMAND: '1',
      },
    },
  );
}, INSTALL_TIMEOUT_MS + E2E_TIMEOUT_MS);

afterAll(async () => {
  await home?.run('proxy', 'stop', '--all');
  await home?.cleanup();
  await upstream?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe(`swixter proxy run -- claude (Claude Code ${CODERS.claude.version}, OpenAI Chat upstream)`, {
  timeout: E2E_TIMEOUT_MS,
}, () => {
  it('completes the tool-use task and exits with Claude Code’s exit code', () => {
    expect(run.code, evidence()).toBe(0);
    const result = jsonLines(run.stdout).find((e) => e.type === 'result');
    expect(result?.result, evidence()).toContain(`${FINAL_PREFIX}hi`);
  });

  it('went through the temporary proxy: 2 streaming Chat requests with the profile’s key', () => {
    const posts = upstream.requests.filter((r) => r.method === 'POST');
    expect(
      posts.map((r) => [r.url, r.json?.stream]),
      evidence(),
    ).toEqual([
      ['/v1/chat/completions', true],
      ['/v1/chat/completions', true],
    ]);
    expect(posts[0]!.headers.authorization).toBe('Bearer sk-run-test');
    expect(posts[0]!.json.model).toBe('mock-model');
  });

  it('left no proxy instance behind, but its access log', async () => {
    expect(JSON.parse((await home.run('proxy', 'status', '--json')).stdout)).toEqual([]);
    const log = (await home.run('proxy', 'logs', '--json')).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(log.filter((e) => e.method === 'POST').map((e) => [e.status, e.client])).toEqual([
      [200, `claude-code/${CODERS.claude.version}`],
      [200, `claude-code/${CODERS.claude.version}`],
    ]);
  });
});
