import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempHome, tempHome } from '../helpers/cli.js';
import { type MockHandler, type MockUpstream, mockUpstream } from '../helpers/mock-upstream.js';
import { CODERS, INSTALL_TIMEOUT_MS, installCoder } from './support/install-coder.js';
import {
  anthropicModel,
  chatModel,
  FINAL_PREFIX,
  type MockModelOptions,
  type TurnUsage,
} from './support/mock-models.js';
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
 * The Responses proof: the real Codex CLI (which speaks only the OpenAI Responses API) through a
 * real `swixter proxy start` process to an upstream that speaks OpenAI Chat Completions, and to
 * one that speaks Anthropic Messages, for a full tool loop (Codex's shell tool `exec_command`
 * really runs `echo hi`, then the model answers).
 */

const PROMPT = 'Please run echo hi in the shell';
/** Upstream usage per model request; the second one has a cache hit. */
const USAGE: TurnUsage[] = [
  { input: 42, cached: 0, output: 12 },
  { input: 58, cached: 40, output: 9 },
];
const MODEL: MockModelOptions = { tool: 'exec_command', args: { cmd: 'echo hi' }, usage: USAGE };
const sum = (f: (u: TurnUsage) => number) => USAGE.reduce((n, u) => n + f(u), 0);

let codex: string;

beforeAll(async () => {
  codex = await installCoder('codex');
}, INSTALL_TIMEOUT_MS);

interface Upstream {
  title: string;
  profile: string;
  handler: MockHandler;
  /** `swixter codex create <profile> …` flags, given the mock's origin. */
  createFlags: (mockUrl: string) => string[];
  modelPath: string;
  /** The conversion the access log names. */
  format: string;
  /** The names of the tools offered in an upstream request body. */
  toolNames: (body: any) => string[];
  /** The tool output the follow-up upstream request carries (its last message), or undefined. */
  toolOutput: (body: any) => string | undefined;
  /** In the follow-up: the id of the assistant's call and the id its result answers. */
  callIds: (body: any) => { call: unknown; result: unknown };
  /** The upstream's own credentials header. */
  auth: (headers: Record<string, unknown>) => unknown;
}

const UPSTREAMS: Upstream[] = [
  {
    title: 'OpenAI Chat upstream',
    profile: 'oa',
    handler: chatModel(MODEL),
    createFlags: (mock) => [
      '--provider',
      'custom',
      '--base-url',
      `${mock}/v1`,
      '--api-key',
      'sk-test',
      '--api-format',
      'openai_chat',
    ],
    modelPath: '/v1/chat/completions',
    format: 'openai_responses->openai_chat',
    toolNames: (body) => (body?.tools ?? []).map((t: any) => t?.function?.name),
    toolOutput: (body) => {
      const last = body?.messages?.at(-1);
      return last?.role === 'tool' ? JSON.stringify(last.content) : undefined;
    },
    callIds: (body) => ({
      call: body?.messages?.findLast((m: any) => m.role === 'assistant')?.tool_calls?.[0]?.id,
      result: body?.messages?.at(-1)?.tool_call_id,
    }),
    auth: (headers) => headers.authorization,
  },
  {
    title: 'Anthropic Messages upstream',
    profile: 'an',
    handler: anthropicModel(MODEL),
    createFlags: (mock) => ['--provider', 'anthropic', '--base-url', mock, '--api-key', 'sk-ant-test'],
    modelPath: '/v1/messages',
    format: 'openai_responses->anthropic_messages',
    toolNames: (body) => (body?.tools ?? []).map((t: any) => t?.name),
    toolOutput: (body) => {
      const last = body?.messages?.at(-1);
      const results = Array.isArray(last?.content) ? last.content.filter((b: any) => b?.type === 'tool_result') : [];
      return last?.role === 'user' && results.length > 0 ? JSON.stringify(results) : undefined;
    },
    callIds: (body) => ({
      call: body?.messages
        ?.findLast((m: any) => m.role === 'assistant')
        ?.content?.find((b: any) => b.type === 'tool_use')?.id,
      result: body?.messages?.at(-1)?.content?.find((b: any) => b.type === 'tool_result')?.tool_use_id,
    }),
    auth: (headers) => headers['x-api-key'],
  },
];

describe.each(UPSTREAMS)(
  `Codex ${CODERS.codex.version} → swixter proxy (Responses) → $title`,
  { timeout: E2E_TIMEOUT_MS },
  (target) => {
    let home: TempHome;
    let upstream: MockUpstream;
    let proxy: ProxyProcess | undefined;
    let scratch: string;
    let run: ProcessResult;
    let events: any[];

    const evidence = () => runEvidence('codex', run, upstream, proxy?.stderr());

    const modelRequests = () =>
      upstream.requests.filter((r) => r.method === 'POST' && r.url.startsWith(target.modelPath));

    beforeAll(async () => {
      upstream = await mockUpstream(target.handler);
      home = await tempHome();
      const created = await home.run(
        'codex',
        'create',
        target.profile,
        ...target.createFlags(upstream.url),
        '--model',
        'mock-model',
      );
      expect(created.code, created.stderr).toBe(0);
      proxy = await startProxyProcess(home, target.profile);

      scratch = await mkdtemp(join(tmpdir(), 'swixter-e2e-codex-'));
      const work = join(scratch, 'work');
      await Promise.all([mkdir(join(scratch, 'home')), mkdir(join(scratch, 'codex-home')), mkdir(work)]);
      const provider = `{name="swixter",base_url="${proxy.url}/v1",env_key="SWIXTER_E2E_KEY",wire_api="responses"}`;
      run = await runProgram(
        codex,
        [
          'exec',
          '--json',
          '--skip-git-repo-check',
          '--ephemeral',
          '-m',
          'mock-model',
          '-c',
          'model_provider=swixter',
          '-c',
          `model_providers.swixter=${provider}`,
          '-c',
          'features.plugins=false',
          '-c',
          'analytics.enabled=false',
          '-c',
          'check_for_update_on_startup=false',
          PROMPT,
        ],
        {
          cwd: work,
          timeoutMs: E2E_TIMEOUT_MS - 20_000,
          env: {
            PATH: CLEAN_PATH,
            HOME: join(scratch, 'home'),
            CODEX_HOME: join(scratch, 'codex-home'),
            SWIXTER_E2E_KEY: 'dummy',
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

    it('exits 0 and its final agent message is the model’s answer', () => {
      expect(run.code, evidence()).toBe(0);
      const messages = events.filter((e) => e.type === 'item.completed' && e.item?.type === 'agent_message');
      expect(messages.at(-1)?.item?.text, evidence()).toBe(`${FINAL_PREFIX}hi`);
    });

    it('ran exec_command for real: a completed command_execution with "hi", and the follow-up carries it', () => {
      const commands = events.filter((e) => e.type === 'item.completed' && e.item?.type === 'command_execution');
      expect(commands, evidence()).toHaveLength(1);
      expect(commands[0].item).toMatchObject({ status: 'completed', exit_code: 0 });
      expect(commands[0].item.command).toContain('echo hi');
      expect(commands[0].item.aggregated_output).toContain('hi');

      const [first, second] = modelRequests();
      expect(target.toolNames(first?.json), evidence()).toContain('exec_command');
      // Codex resends its tools unchanged; towards Chat its 40 KB requests take the conversion the
      // proxy kept from the first (src/proxy/tools-memo.ts): the same tools either way
      expect(second?.json?.tools, evidence()).toEqual(first?.json?.tools);
      expect(target.toolOutput(second?.json), evidence()).toContain('hi');
      const ids = target.callIds(second?.json);
      expect(ids.call, evidence()).toBeTypeOf('string');
      expect(ids.result).toBe(ids.call);
    });

    it('made exactly 2 upstream model requests, both streaming, with the profile’s key', () => {
      expect(
        upstream.requests.map((r) => `${r.method} ${r.url}`),
        evidence(),
      ).toEqual([`POST ${target.modelPath}`, `POST ${target.modelPath}`]);
      expect(modelRequests().map((r) => r.json?.stream)).toEqual([true, true]);
      expect(modelRequests().map((r) => r.json?.model)).toEqual(['mock-model', 'mock-model']);
      expect(target.auth(modelRequests()[0]!.headers)).toBe(target.profile === 'an' ? 'sk-ant-test' : 'Bearer sk-test');
    });

    it('reports the upstream’s usage in turn.completed: the sums over both requests', () => {
      const turn = events.find((e) => e.type === 'turn.completed');
      expect(turn?.usage, evidence()).toMatchObject({
        input_tokens: sum((u) => u.input),
        cached_input_tokens: sum((u) => u.cached),
        output_tokens: sum((u) => u.output),
      });
    });

    it('the proxy’s access log shows both requests: 200, codex/0.169.0, with usage', async () => {
      const log = (await proxyAccessLog(home, target.profile, 2)).filter((l) => l.method === 'POST');
      expect(log, `${evidence()}\n--- access log ---\n${JSON.stringify(log, null, 1)}`).toHaveLength(2);
      log.forEach((entry, i) => {
        const want = USAGE[i]!;
        expect(entry).toMatchObject({
          path: '/v1/responses',
          status: 200,
          client: `codex/${CODERS.codex.version}`,
          profile: target.profile,
          stream: true,
          format: target.format,
          upstream_model: 'mock-model',
        });
        // The log counts input without cache reads (Anthropic's convention), whatever the formats.
        expect(entry.usage).toEqual({
          input_tokens: want.input - want.cached,
          output_tokens: want.output,
          cache_read_tokens: want.cached,
          cache_write_tokens: 0,
        });
      });
    });
  },
);
