// Request bodies and headers for the bench, built once. The large ones are shaped like what the
// coders really send: Claude Code's system blocks and tool list come from the captured first
// request in test/fixtures/claude-code, Codex's `input` items and tools from test/fixtures/codex;
// the long conversation is synthetic (deterministic), code-like text with quotes, tabs, newlines
// and non-ASCII characters so JSON escaping costs what it costs on real traffic.

import { readFileSync } from 'node:fs';

const fixture = (rel) => JSON.parse(readFileSync(new URL(`../test/fixtures/${rel}`, import.meta.url), 'utf8'));

/** The keys in the bench's Swixter profiles: a proxy must send these upstream, never the client's. */
export const UPSTREAM_KEYS = { anthropic: 'sk-ant-bench-upstream-key-1111', chat: 'sk-bench-upstream-key-2222' };

export const CLAUDE_HEADERS = {
  accept: 'application/json',
  'content-type': 'application/json',
  'user-agent': 'claude-cli/2.1.197 (external, sdk-cli)',
  'x-stainless-lang': 'js',
  'x-stainless-package-version': '0.94.0',
  'x-stainless-runtime': 'node',
  'x-stainless-retry-count': '0',
  'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27',
  'anthropic-dangerous-direct-browser-access': 'true',
  'anthropic-version': '2023-06-01',
  'x-api-key': 'sk-ant-bench-client-key-0000',
  'x-app': 'cli',
};

export const OPENAI_HEADERS = {
  accept: 'application/json',
  'content-type': 'application/json',
  'user-agent': 'OpenAI/JS 6.49.0',
  authorization: 'Bearer sk-bench-client-key-0000',
};

export const CODEX_HEADERS = {
  accept: 'text/event-stream',
  'content-type': 'application/json',
  authorization: 'Bearer sk-bench-client-key-0000',
  originator: 'codex_exec',
  'user-agent': 'codex_exec/0.169.0 (Debian 12.0.0; x86_64) dumb (codex_exec; 0.169.0)',
  'session-id': '01a20f27-3167-7450-8df2-12638ea5561a',
};

/** Header sets with a stream shape attached for the mock (forwarded untouched by the proxies). */
export const withStreamShape = (headers, events, paceMs = 0) => ({
  ...headers,
  'x-mock-events': String(events),
  'x-mock-pace-ms': String(paceMs),
});

const buf = (value) => Buffer.from(JSON.stringify(value));

// ---- small Anthropic request --------------------------------------------------------------------

const small = (stream) => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  system: 'You are a concise assistant.',
  messages: [{ role: 'user', content: 'Write one sentence about HTTP proxies.' }],
  ...(stream ? { stream: true } : {}),
});
export const smallAnthropicJson = buf(small(false));
export const smallAnthropicStream = buf(small(true));

/**
 * The model the conversion scenarios ask for: one Swixter process serves every scenario, and its
 * config routes this model (and Codex's `mock-model`) to the Chat profile (setup.mjs writeConfig).
 */
export const CONVERSION_MODEL = 'claude-sonnet-4-5-via-chat';
export const smallAnthropicStreamViaChat = buf({ ...small(true), model: CONVERSION_MODEL });

// ---- synthetic long text ------------------------------------------------------------------------

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

const IDENTS = ['config', 'request', 'upstream', 'handler', 'profile', 'stream', 'buffer', 'café', 'señal', 'データ'];

function codeText(seed, approxChars) {
  const next = rng(seed);
  const lines = [];
  let size = 0;
  while (size < approxChars) {
    const a = IDENTS[next() % IDENTS.length];
    const b = IDENTS[next() % IDENTS.length];
    const n = next() % 10_000;
    let line;
    switch (next() % 5) {
      case 0:
        line = `export function ${a}_${n}(input: Record<string, unknown>, opts = { retries: ${n % 7} }): Promise<"ok" | "fail"> {`;
        break;
      case 1:
        line = `\tconst ${b}Key = \`${a}-${n}\`; // keeps the "${b}" value — see #${n}`;
        break;
      case 2:
        line = `  return fetch(url, { method: 'POST', body: JSON.stringify({ id: ${n}, name: "${a}\\${b}" }) });`;
        break;
      case 3:
        line = `  if (${a}.length > ${n}) throw new Error(\`${b} too long: \${${a}.length}\`);`;
        break;
      default:
        line = '}';
    }
    lines.push(`${String(lines.length + 1).padStart(6)}\t${line}`);
    size += line.length + 8;
  }
  return lines.join('\n');
}

function proseText(seed, approxChars) {
  const next = rng(seed);
  const words = ['the', 'proxy', 'sends', 'each', 'request', 'to', 'upstream', 'and', 'streams', 'events', 'back'];
  const out = [];
  let size = 0;
  while (size < approxChars) {
    const w = words[next() % words.length];
    out.push(w);
    size += w.length + 1;
  }
  return out.join(' ');
}

// ---- 1 MB Claude-Code-shaped conversation -------------------------------------------------------

const TARGET_BYTES = 1024 * 1024;

/** The turns of a long coding session: user asks, assistant reads files, tool results come back. */
function conversation() {
  const turns = [{ kind: 'user', text: proseText(1, 2000) }];
  let k = 0;
  let size = 2000;
  while (size < TARGET_BYTES - 20_000) {
    k++;
    const file = `/work/project/src/module_${k}.ts`;
    const result = codeText(100 + k, 14_000);
    turns.push({ kind: 'read', id: `toolu_bench_${String(k).padStart(4, '0')}`, file, result });
    size += result.length * 1.1 + 300;
    if (k % 4 === 0) {
      const text = proseText(200 + k, 1500);
      turns.push({ kind: 'user', text });
      size += text.length + 60;
    }
  }
  turns.push({ kind: 'user', text: 'Now summarise what these modules do.' });
  return turns;
}

function claudeBase() {
  const base = fixture('claude-code/claude-code-1-first-request.json').body;
  return {
    model: 'claude-sonnet-4-5',
    system: base.system,
    tools: base.tools,
    metadata: base.metadata,
    max_tokens: 32_000,
  };
}

function anthropicMessages(turns) {
  const messages = [];
  for (const t of turns) {
    if (t.kind === 'user') {
      const last = messages.at(-1);
      if (last?.role === 'user') last.content.push({ type: 'text', text: t.text });
      else messages.push({ role: 'user', content: [{ type: 'text', text: t.text }] });
    } else {
      messages.push({
        role: 'assistant',
        content: [
          { type: 'text', text: `I'll read ${t.file}.` },
          { type: 'tool_use', id: t.id, name: 'Read', input: { file_path: t.file } },
        ],
      });
      messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: t.id, content: t.result }] });
    }
  }
  return messages;
}

function chatMessages(system, turns) {
  const messages = [{ role: 'system', content: system.map((b) => b.text).join('\n\n') }];
  for (const t of turns) {
    if (t.kind === 'user') messages.push({ role: 'user', content: t.text });
    else {
      messages.push({
        role: 'assistant',
        content: `I'll read ${t.file}.`,
        tool_calls: [
          { id: t.id, type: 'function', function: { name: 'Read', arguments: JSON.stringify({ file_path: t.file }) } },
        ],
      });
      messages.push({ role: 'tool', tool_call_id: t.id, content: t.result });
    }
  }
  return messages;
}

let largeCache;
/** The 1 MB request, as Anthropic Messages (what Claude Code sends) and as the equivalent Chat request. */
export function largeRequests() {
  if (largeCache) return largeCache;
  const base = claudeBase();
  const turns = conversation();
  const anthropic = { ...base, messages: anthropicMessages(turns), stream: false };
  const chat = {
    model: 'mock-chat-model',
    messages: chatMessages(base.system, turns),
    tools: base.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: t.input_schema },
    })),
    max_tokens: 32_000,
    stream: false,
  };
  largeCache = {
    anthropic: buf(anthropic),
    anthropicViaChat: buf({ ...anthropic, model: CONVERSION_MODEL }),
    chat: buf(chat),
  };
  return largeCache;
}

// ---- Codex-shaped Responses request -------------------------------------------------------------

let codexCache;
/** Codex's first request (input items + function tools, stream) and the equivalent Chat request. */
export function codexRequests() {
  if (codexCache) return codexCache;
  const body = fixture('codex/codex-1-first-request.json').body;
  const responses = { ...body, stream: true };
  const text = (content) => content.map((p) => p.text ?? '').join('');
  const messages = body.input
    .filter((i) => i.type === 'message')
    .map((i) => ({ role: i.role === 'developer' ? 'system' : i.role, content: text(i.content) }));
  const fn = (t) => ({
    type: 'function',
    function: { name: t.name, description: t.description, parameters: t.parameters },
  });
  const tools = body.tools.flatMap((t) =>
    t.type === 'function'
      ? [fn(t)]
      : t.type === 'namespace'
        ? t.tools.filter((x) => x.type === 'function').map(fn)
        : [],
  );
  const chat = {
    model: 'mock-chat-model',
    messages,
    tools,
    tool_choice: 'auto',
    parallel_tool_calls: true,
    stream: true,
    stream_options: { include_usage: true },
  };
  codexCache = { responses: buf(responses), chat: buf(chat) };
  return codexCache;
}

/** The Chat request a client would send for the same small streamed question. */
export const chatStreamRequest = buf({
  model: 'mock-chat-model',
  max_tokens: 1024,
  messages: [
    { role: 'system', content: 'You are a concise assistant.' },
    { role: 'user', content: 'Write one sentence about HTTP proxies.' },
  ],
  stream: true,
  stream_options: { include_usage: true },
});
