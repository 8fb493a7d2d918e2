import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempHome, tempHome } from '../helpers/cli.js';
import { type MockUpstream, mockUpstream } from '../helpers/mock-upstream.js';
import { CODERS, INSTALL_TIMEOUT_MS, installCoder } from './support/install-coder.js';
import { chatModel, FINAL_PREFIX, type TurnUsage } from './support/mock-models.js';
import {
  CLEAN_PATH,
  E2E_TIMEOUT_MS,
  jsonLines,
  type ProcessResult,
  type ProxyProcess,
  proxyAccessLog,
  runEvidence,
  runProgram,
  startProxyProcess,
} from './support/processes.js';

/**
 * The conversion proof: the real Claude Code CLI (Anthropic Messages) through a real `swixter
 * proxy start` process to an upstream that speaks only OpenAI Chat Completions, for a full tool
 * loop (a Bash call that really runs, then a final answer).
 */

const PROFILE = 'oa';
const PROMPT = 'Please run echo hi using the Bash tool';
/** Upstream usage per model request; the second one has a cache hit, so the cache split matters. */
const USAGE: TurnUsage[] = [
  { input: 42, cached: 0, output: 12 },
  { input: 58, cached: 40, output: 9 },
];
const EXPECTED_ANSWER = `${FINAL_PREFIX}hi`;

let claude: string;
let home: TempHome;
let upstream: MockUpstream;
let proxy: ProxyProcess | undefined;
let scratch: string;
let run: ProcessResult;
let events: any[];

const evidence = () => runEvidence('claude', run, upstream, proxy?.stderr());

const modelRequests = () => upstream.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/v1/chat/'));

beforeAll(async () => {
  claude = await installCoder('claude');
}, INSTALL_TIMEOUT_MS);

beforeAll(async () => {
  upstream = await mockUpstream(chatModel({ tool: 'Bash', args: { command: 'echo hi' }, usage: USAGE }));
  home = await tempHome();
  const created = await home.run(
    'claude',
    'create',
    PROFILE,
    '--provider',
    'custom',
    '--base-url',
    `${upstream.url}/v1`,
    '--api-key',
    'sk-test',
    '--api-format',
    'openai_chat',
    '--model',
    'mock-model',
  );
  expect(created.code, created.stderr).toBe(0);
  proxy = await startProxyProcess(home, PROFILE);

  scratch = await mkdtemp(join(tmpdir(), 'swixter-e2e-claude-'));
  const work = join(scratch, 'work');
  await mkdir(join(scratch, 'home'));
  await mkdir(work);
  run = await runProgram(
    claude,
    ['-p', PROMPT, '--bare', '--allowedTools', 'Bash', '--output-format', 'stream-json', '--verbose'],
    {
      cwd: work,
      timeoutMs: E2E_TIMEOUT_MS - 20_000,
      env: {
        PATH: CLEAN_PATH,
        HOME: join(scratch, 'home'),
        ANTHROPIC_BASE_URL: proxy.url,
        ANTHROPIC_API_KEY: 'dummy',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_TELEMETRY: '1',
        DISABLE_AUTOUPDATER: '1',
        DISABLE_ERROR_REPORTING: '1',
        DISABLE_BUG_COMMAND: '1',
      },
    },
  );
  events = jsonLines(run.stdout);
}, E2E_TIMEOUT_MS);

afterAll(async () => {
  if (process.env.SWIXTER_E2E_VERBOSE) process.stderr.write(`${evidence()}\n`);
  await proxy?.stop();
  if (home) {
    await home.run('proxy', 'stop', '--all');
    await home.cleanup();
  }
  await upstream?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe(`Claude Code ${CODERS.claude.version} → swixter proxy → OpenAI Chat upstream`, {
  timeout: E2E_TIMEOUT_MS,
}, () => {
  it('exits 0 and its result is the model’s final answer', () => {
    expect(run.code, evidence()).toBe(0);
    const result = events.find((e) => e.type === 'result');
    expect(result, evidence()).toMatchObject({ subtype: 'success', is_error: false });
    expect(result.result, evidence()).toContain(EXPECTED_ANSWER);
  });

  it('ran the Bash tool for real: the follow-up upstream request carries its output', () => {
    const toolUse = events
      .filter((e) => e.type === 'assistant')
      .flatMap((e) => e.message?.content ?? [])
      .find((b: any) => b.type === 'tool_use');
    expect(toolUse, evidence()).toMatchObject({ name: 'Bash', input: { command: 'echo hi' } });
    const toolResult = events
      .filter((e) => e.type === 'user')
      .flatMap((e) => e.message?.content ?? [])
      .find((b: any) => b.type === 'tool_result');
    expect(toolResult, evidence()).toMatchObject({ tool_use_id: toolUse.id });
    expect(JSON.stringify(toolResult.content)).toContain('hi');

    const second = modelRequests()[1]?.json;
    expect(second, evidence()).toBeDefined();
    const messages: any[] = second.messages;
    const toolMessage = messages.at(-1);
    expect(toolMessage, evidence()).toMatchObject({ role: 'tool' });
    expect(JSON.stringify(toolMessage.content)).toContain('hi');
    // It answers the call the assistant message before it made.
    const call = messages.findLast((m) => m.role === 'assistant')?.tool_calls?.[0];
    expect(call, evidence()).toMatchObject({ type: 'function', function: { name: 'Bash' } });
    expect(JSON.parse(call.function.arguments)).toEqual({ command: 'echo hi' });
    expect(toolMessage.tool_call_id).toBe(call.id);
  });

  it('made exactly 2 upstream model requests, both streaming (no silent non-streaming retry)', () => {
    expect(
      upstream.requests.map((r) => `${r.method} ${r.url}`),
      evidence(),
    ).toEqual(['POST /v1/chat/completions', 'POST /v1/chat/completions']);
    expect(
      modelRequests().map((r) => r.json?.stream),
      evidence(),
    ).toEqual([true, true]);
    expect(modelRequests()[0]!.headers.authorization).toBe('Bearer sk-test');
    expect(modelRequests()[0]!.json.tools.map((t: any) => t.function.name)).toContain('Bash');
    // Claude Code resends its tools unchanged, so the upstream gets the same tools twice
    expect(modelRequests()[1]!.json.tools).toEqual(modelRequests()[0]!.json.tools);
  });

  it('reports the upstream’s usage: the sums over both requests, split into input and cache reads', () => {
    const usage = events.find((e) => e.type === 'result')?.usage;
    expect(usage, evidence()).toBeDefined();
    const sum = (f: (u: TurnUsage) => number) => USAGE.reduce((n, u) => n + f(u), 0);
    const input = usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0);
    expect({ input, cacheRead: usage.cache_read_input_tokens, output: usage.output_tokens }, evidence()).toEqual({
      input: sum((u) => u.input),
      cacheRead: sum((u) => u.cached),
      output: sum((u) => u.output),
    });
  });

  it('the proxy’s access log shows both requests: 200, claude-code/2.1.197, converted, with usage', async () => {
    const log = (await proxyAccessLog(home, PROFILE, 2)).filter((l) => l.method === 'POST');
    expect(log, `${evidence()}\n--- access log ---\n${JSON.stringify(log, null, 1)}`).toHaveLength(2);
    log.forEach((entry, i) => {
      const want = USAGE[i]!;
      expect(entry).toMatchObject({
        path: '/v1/messages?beta=true',
        status: 200,
        client: `claude-code/${CODERS.claude.version}`,
        profile: PROFILE,
        stream: true,
        format: 'anthropic_messages->openai_chat',
        upstream_model: 'mock-model',
      });
      expect(entry.usage).toEqual({
        input_tokens: want.input - want.cached,
        output_tokens: want.output,
        cache_read_tokens: want.cached,
        cache_write_tokens: 0,
      });
    });
  });
});
