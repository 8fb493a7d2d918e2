// What is measured: each scenario sends one kind of request at a fixed concurrency to three
// systems — direct (the mock itself), the floor proxy, and Swixter — in the same run.
//
// For conversion scenarios "direct" is the client speaking the mock's native format (OpenAI Chat)
// straight to it, and "floor" passes the client's own format through (the Anthropic request to
// the mock's /v1/messages; for the Responses row, the equivalent Chat request to the Chat API).

import {
  CLAUDE_HEADERS,
  CODEX_HEADERS,
  chatStreamRequest,
  codexRequests,
  largeRequests,
  OPENAI_HEADERS,
  smallAnthropicJson,
  smallAnthropicStream,
  smallAnthropicStreamViaChat,
  withStreamShape,
} from './payloads.mjs';

export const SYSTEMS = ['direct', 'floor', 'swixter'];

const ANTHROPIC_END = 'message_stop';
const CHAT_END = 'data: [DONE]';
const RESPONSES_END = 'response.completed';

export const STREAM_EVENTS = 50;
export const PACED = { events: 50, paceMs: 10, concurrency: 64 };

const messages = (body, headers, expectTail) => ({ path: '/v1/messages', headers, body, expectTail });
const chat = (body, headers, expectTail) => ({ path: '/v1/chat/completions', headers, body, expectTail });

/**
 * @typedef {object} Scenario
 * @property {string} id
 * @property {string} group            report section
 * @property {'throughput'|'latency'} kind
 * @property {number} concurrency
 * @property {'pt'|'conv'} swixter     passthrough (the Anthropic profile) or conversion (routed to the Chat
 *                                     profile by model); tools that start one Swixter per scenario start it
 *                                     with that profile
 * @property {boolean} conversion
 * @property {Record<string, object>} requests   per system: path, headers, body, expectTail
 * @property {'identical'|'anthropic_stream'|'anthropic_json'|'responses_stream'} check  how the probe judges Swixter's answer
 */

/** @returns {Scenario[]} */
export function scenarios() {
  const large = largeRequests();
  const codex = codexRequests();

  const smallJson = {
    direct: messages(smallAnthropicJson, CLAUDE_HEADERS),
    floor: messages(smallAnthropicJson, CLAUDE_HEADERS),
    swixter: messages(smallAnthropicJson, CLAUDE_HEADERS),
  };
  const sseHeaders = withStreamShape(CLAUDE_HEADERS, STREAM_EVENTS);
  const sse = {
    direct: messages(smallAnthropicStream, sseHeaders, ANTHROPIC_END),
    floor: messages(smallAnthropicStream, sseHeaders, ANTHROPIC_END),
    swixter: messages(smallAnthropicStream, sseHeaders, ANTHROPIC_END),
  };
  const big = {
    direct: messages(large.anthropic, CLAUDE_HEADERS),
    floor: messages(large.anthropic, CLAUDE_HEADERS),
    swixter: messages(large.anthropic, CLAUDE_HEADERS),
  };
  // The conversion scenarios ask for CONVERSION_MODEL, which Swixter's config routes to the Chat
  // profile; the floor passes the same bytes through.
  const convSse = {
    direct: chat(chatStreamRequest, withStreamShape(OPENAI_HEADERS, STREAM_EVENTS), CHAT_END),
    floor: messages(smallAnthropicStreamViaChat, sseHeaders, ANTHROPIC_END),
    swixter: messages(smallAnthropicStreamViaChat, sseHeaders, ANTHROPIC_END),
  };
  const convBig = {
    direct: chat(large.chat, OPENAI_HEADERS),
    floor: messages(large.anthropicViaChat, CLAUDE_HEADERS),
    swixter: messages(large.anthropicViaChat, CLAUDE_HEADERS),
  };
  const codexHeaders = withStreamShape(CODEX_HEADERS, STREAM_EVENTS);
  const respSse = {
    direct: chat(codex.chat, codexHeaders, CHAT_END),
    floor: chat(codex.chat, codexHeaders, CHAT_END),
    swixter: { path: '/v1/responses', headers: codexHeaders, body: codex.responses, expectTail: RESPONSES_END },
  };

  const pt = { swixter: 'pt', conversion: false, check: 'identical' };
  return [
    { id: 'json-c32', group: 'json', kind: 'throughput', concurrency: 32, ...pt, requests: smallJson },
    { id: 'json-c1', group: 'json', kind: 'latency', concurrency: 1, ...pt, requests: smallJson },
    { id: 'sse-c1', group: 'sse', kind: 'latency', concurrency: 1, ...pt, requests: sse },
    { id: 'sse-c32', group: 'sse', kind: 'throughput', concurrency: 32, ...pt, requests: sse },
    { id: '1mb-c8', group: '1mb', kind: 'throughput', concurrency: 8, ...pt, requests: big },
    { id: '1mb-c1', group: '1mb', kind: 'latency', concurrency: 1, ...pt, requests: big },
    {
      id: 'conv-sse-c1',
      group: 'conv-sse',
      kind: 'latency',
      concurrency: 1,
      swixter: 'conv',
      conversion: true,
      check: 'anthropic_stream',
      requests: convSse,
    },
    {
      id: 'conv-sse-c32',
      group: 'conv-sse',
      kind: 'throughput',
      concurrency: 32,
      swixter: 'conv',
      conversion: true,
      check: 'anthropic_stream',
      requests: convSse,
    },
    {
      id: 'conv-1mb-c1',
      group: 'conv-1mb',
      kind: 'latency',
      concurrency: 1,
      swixter: 'conv',
      conversion: true,
      check: 'anthropic_json',
      requests: convBig,
    },
    {
      id: 'conv-1mb-c8',
      group: 'conv-1mb',
      kind: 'throughput',
      concurrency: 8,
      swixter: 'conv',
      conversion: true,
      check: 'anthropic_json',
      requests: convBig,
    },
    {
      id: 'resp-sse-c1',
      group: 'resp-sse',
      kind: 'latency',
      concurrency: 1,
      swixter: 'conv',
      conversion: true,
      check: 'responses_stream',
      requests: respSse,
    },
    {
      id: 'resp-sse-c32',
      group: 'resp-sse',
      kind: 'throughput',
      concurrency: 32,
      swixter: 'conv',
      conversion: true,
      check: 'responses_stream',
      requests: respSse,
    },
  ];
}

/** The memory scenario: many slow streams open at once. */
export function pacedStreamRequest() {
  const headers = withStreamShape(CLAUDE_HEADERS, PACED.events, PACED.paceMs);
  return messages(smallAnthropicStream, headers, ANTHROPIC_END);
}
