// Mock upstream for the benchmark: answers Anthropic Messages and OpenAI Chat requests with
// prebuilt bytes. It never parses a request: the path picks the API, `"stream":true` found in the
// body (Buffer.indexOf) picks streaming, and two optional request headers shape a stream:
//   x-mock-events: number of content deltas (default 50)
//   x-mock-pace-ms: delay between stream events (default 0: the whole stream in one write)
//   x-mock-record: 1  remember this request's method, path, headers and body size, for
//                     GET /_mock/last (the bench's probes check what a proxy sent upstream)
//
// Run as a child process: `node bench/mock-upstream.mjs` prints {"port":N} on stdout and exits
// when its stdin closes (so it never outlives the bench).

import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const STREAM_TRUE = Buffer.from('"stream":true');
const DEFAULT_EVENTS = 50;
const MAX_EVENTS = 10_000;

const WORDS = [
  'The',
  ' quick',
  ' brown',
  ' fox',
  ' jumps',
  ' over',
  ' the',
  ' lazy',
  ' dog',
  ' —',
  ' café',
  ' 東京',
  '.',
];

// A few of the headers real upstreams send, so header copying costs something realistic.
const ANTHROPIC_HEADERS = {
  'request-id': 'req_011CBenchMockUpstream0001',
  'anthropic-organization-id': '00000000-0000-4000-8000-000000000000',
  'anthropic-ratelimit-requests-limit': '4000',
  'anthropic-ratelimit-requests-remaining': '3999',
  'anthropic-ratelimit-tokens-limit': '400000',
  via: '1.1 google',
  'x-robots-tag': 'none',
};
const OPENAI_HEADERS = {
  'x-request-id': 'req_bench_mock_upstream_0001',
  'openai-processing-ms': '12',
  'openai-version': '2020-10-01',
  'x-ratelimit-limit-requests': '10000',
  'x-ratelimit-remaining-requests': '9999',
  'x-ratelimit-limit-tokens': '30000000',
};

const sse = (event, data) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
const chatSse = (data) => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

// ---- Anthropic Messages -------------------------------------------------------------------------

const ANTHROPIC_MODEL = 'claude-sonnet-4-5-20250929';

export function anthropicJson() {
  return Buffer.from(
    JSON.stringify({
      id: 'msg_01BenchMockUpstreamJson0001',
      type: 'message',
      role: 'assistant',
      model: ANTHROPIC_MODEL,
      content: [
        {
          type: 'text',
          text: 'Hello! This is a prebuilt answer from the benchmark mock upstream. It is about as long as a short reply from a coding assistant, a few sentences of plain text.',
        },
      ],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: 1200,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 1024,
        output_tokens: 48,
        service_tier: 'standard',
      },
    }),
  );
}

/** The Anthropic stream grammar, one string per event. */
export function anthropicEvents(n) {
  const events = [
    sse('message_start', {
      type: 'message_start',
      message: {
        id: 'msg_01BenchMockUpstreamSse00001',
        type: 'message',
        role: 'assistant',
        model: ANTHROPIC_MODEL,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 1200, cache_creation_input_tokens: 0, cache_read_input_tokens: 1024, output_tokens: 1 },
      },
    }),
    sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
  ];
  for (let i = 0; i < n; i++) {
    events.push(
      sse('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: WORDS[i % WORDS.length] },
      }),
    );
  }
  events.push(
    sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
    sse('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: n },
    }),
    sse('message_stop', { type: 'message_stop' }),
  );
  return events;
}

// ---- OpenAI Chat Completions --------------------------------------------------------------------

const CHAT_MODEL = 'mock-chat-model';
const CHAT_ID = 'chatcmpl-BenchMockUpstream0001';
const CREATED = 1764000000;
/** The id of a streamed answer: its last SERIAL_DIGITS characters change with every stream. */
const STREAM_ID = 'chatcmpl-BenchMock000000000000';
const SERIAL_DIGITS = 12;

export function chatJson() {
  return Buffer.from(
    JSON.stringify({
      id: CHAT_ID,
      object: 'chat.completion',
      created: CREATED,
      model: CHAT_MODEL,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content:
              'Hello! This is a prebuilt answer from the benchmark mock upstream. It is about as long as a short reply from a coding assistant, a few sentences of plain text.',
            refusal: null,
          },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 2224,
        completion_tokens: 48,
        total_tokens: 2272,
        prompt_tokens_details: { cached_tokens: 1024 },
      },
      system_fingerprint: 'fp_bench',
    }),
  );
}

/** `data:` chunks: role, n content deltas, finish, usage, [DONE]. */
export function chatEvents(n) {
  const chunk = (delta, finish = null, usage = null, choices = true) => ({
    id: STREAM_ID,
    object: 'chat.completion.chunk',
    created: CREATED,
    model: CHAT_MODEL,
    system_fingerprint: 'fp_bench',
    choices: choices ? [{ index: 0, delta, logprobs: null, finish_reason: finish }] : [],
    usage,
  });
  const events = [chatSse(chunk({ role: 'assistant', content: '' }))];
  for (let i = 0; i < n; i++) events.push(chatSse(chunk({ content: WORDS[i % WORDS.length] })));
  events.push(
    chatSse(chunk({}, 'stop')),
    chatSse(
      chunk(
        undefined,
        null,
        {
          prompt_tokens: 2224,
          completion_tokens: n,
          total_tokens: 2224 + n,
          prompt_tokens_details: { cached_tokens: 1024 },
        },
        false,
      ),
    ),
    chatSse('[DONE]'),
  );
  return events;
}

// ---- server -------------------------------------------------------------------------------------

const cache = new Map();
function prebuilt(key, build) {
  let value = cache.get(key);
  if (value === undefined) {
    value = build();
    cache.set(key, value);
  }
  return value;
}

const streamParts = (api, n) =>
  prebuilt(`${api}:${n}:parts`, () =>
    (api === 'anthropic' ? anthropicEvents(n) : chatEvents(n)).map((e) => Buffer.from(e)),
  );
const streamWhole = (api, n) => prebuilt(`${api}:${n}:whole`, () => Buffer.concat(streamParts(api, n)));

/** Where a byte string occurs in `bytes`. */
function offsetsOf(bytes, text) {
  const needle = Buffer.from(text);
  const found = [];
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) found.push(at);
  return found;
}

/**
 * A real provider's stream has its own id (and the second it started in `created`) in every
 * chunk: each Chat stream gets a copy of the prebuilt bytes with the id's serial and `created`
 * rewritten in place (same lengths), so that nothing in Swixter can profit from one stream
 * repeating the bytes of the one before.
 */
let serial = 0;
function withFreshIds(bytes, key) {
  const { ids, created } = prebuilt(`${key}:offsets`, () => ({
    ids: offsetsOf(bytes, STREAM_ID).map((at) => at + STREAM_ID.length - SERIAL_DIGITS),
    created: offsetsOf(bytes, `"created":${CREATED}`).map((at) => at + '"created":'.length),
  }));
  const out = Buffer.from(bytes);
  serial = (serial + 1) % 36 ** 8;
  const id = Buffer.from(serial.toString(36).padStart(SERIAL_DIGITS, '0'));
  const now = Buffer.from(String(Math.floor(Date.now() / 1000)));
  for (const at of ids) id.copy(out, at);
  if (now.length === String(CREATED).length) for (const at of created) now.copy(out, at);
  return out;
}
const freshParts = (parts, key) => {
  const whole = withFreshIds(Buffer.concat(parts), key);
  const out = [];
  let at = 0;
  for (const part of parts) {
    out.push(whole.subarray(at, at + part.length));
    at += part.length;
  }
  return out;
};

const SSE_HEAD = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };
const JSON_HEAD = { 'content-type': 'application/json' };

function notFound(res, path) {
  const body = JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: `mock: no ${path}` } });
  res.writeHead(404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function answer(req, res, stream) {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  let api;
  if (path === '/v1/messages') api = 'anthropic';
  else if (path === '/v1/chat/completions' || path === '/chat/completions') api = 'chat';
  else return notFound(res, path);
  const extra = api === 'anthropic' ? ANTHROPIC_HEADERS : OPENAI_HEADERS;

  if (!stream) {
    const body = prebuilt(`${api}:json`, api === 'anthropic' ? anthropicJson : chatJson);
    res.writeHead(200, { ...JSON_HEAD, ...extra, 'content-length': body.length });
    res.end(body);
    return;
  }
  const n = Math.min(MAX_EVENTS, Number(req.headers['x-mock-events'] ?? DEFAULT_EVENTS) || DEFAULT_EVENTS);
  const pace = Number(req.headers['x-mock-pace-ms'] ?? 0) || 0;
  res.writeHead(200, { ...SSE_HEAD, ...extra });
  if (pace <= 0) {
    res.end(api === 'chat' ? withFreshIds(streamWhole(api, n), `${api}:${n}`) : streamWhole(api, n));
    return;
  }
  const parts = api === 'chat' ? freshParts(streamParts(api, n), `${api}:${n}`) : streamParts(api, n);
  let i = 0;
  let timer;
  const next = () => {
    if (res.destroyed) return;
    res.write(parts[i++]);
    if (i < parts.length) timer = setTimeout(next, pace);
    else res.end();
  };
  res.on('close', () => clearTimeout(timer));
  next();
}

export function createMockServer() {
  let recorded = null;
  return createServer({ keepAliveTimeout: 120_000, requestTimeout: 0 }, (req, res) => {
    if (req.method === 'GET' && req.url === '/_mock/last') {
      const body = JSON.stringify(recorded);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    const record = req.headers['x-mock-record'] !== undefined;
    let size = 0;
    let stream = false;
    let carry;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (stream) return;
      if (chunk.indexOf(STREAM_TRUE) !== -1) {
        stream = true;
        return;
      }
      // the marker may straddle two chunks: look at the seam
      if (carry !== undefined) {
        const seam = Buffer.concat([carry, chunk.subarray(0, STREAM_TRUE.length - 1)]);
        if (seam.indexOf(STREAM_TRUE) !== -1) stream = true;
      }
      carry = chunk.subarray(Math.max(0, chunk.length - (STREAM_TRUE.length - 1)));
    });
    req.on('end', () => {
      if (record) recorded = { method: req.method, url: req.url, headers: req.headers, bodyLength: size, stream };
      answer(req, res, stream);
    });
    req.on('error', () => res.destroy());
  });
}

// As a child process.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = createMockServer();
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
  });
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
}
