import type { ServerResponse } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { json, type MockUpstream, mockUpstream, sleep } from './mock-upstream.js';

/** A complete, valid Anthropic text stream (what a healthy profile answers). */
export function anthropicText(text: string, model = 'claude-x'): string {
  return [
    `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: 'msg_ok', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } } })}\n\n`,
    `event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n`,
    `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })}\n\n`,
    `event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n`,
    `event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":5}}\n\n`,
    `event: message_stop\ndata: {"type":"message_stop"}\n\n`,
  ].join('');
}

export function anthropicMessage(text: string): object {
  return {
    id: 'msg_ok',
    type: 'message',
    role: 'assistant',
    model: 'claude-x',
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5 },
  };
}

/** A healthy Anthropic upstream answering `text` (streaming or not). */
export function healthyAnthropic(text: string, delayMs = 0): Promise<MockUpstream> {
  return mockUpstream(async (req, res) => {
    if (delayMs) await sleep(delayMs);
    if (req.json?.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(anthropicText(text));
    } else json(res, 200, anthropicMessage(text));
  });
}

export type HttpFault =
  | 'http-500'
  | 'http-503-retry-after'
  | 'http-529'
  | 'http-429-retry-after'
  | 'http-400'
  | 'http-401'
  | 'hang'
  | 'error-event'
  | 'openai-error-chunk'
  | 'empty-stream'
  | 'cut-before-first-event'
  | 'cut-after-content';

const ERR = (type: string, message: string) => ({ type: 'error', error: { type, message } });

/** Answers the way a broken provider does. */
export async function answerFault(fault: HttpFault, res: ServerResponse): Promise<void> {
  switch (fault) {
    case 'http-500':
      return json(res, 500, ERR('api_error', 'internal'));
    case 'http-503-retry-after':
      return json(res, 503, ERR('api_error', 'unavailable'), { 'retry-after': '30' });
    case 'http-529':
      return json(res, 529, ERR('overloaded_error', 'Overloaded'));
    case 'http-429-retry-after':
      return json(res, 429, ERR('rate_limit_error', 'slow down'), { 'retry-after': '20' });
    case 'http-400':
      return json(res, 400, ERR('invalid_request_error', 'messages: field required'));
    case 'http-401':
      return json(res, 401, ERR('authentication_error', 'invalid x-api-key'));
    case 'hang':
      await sleep(5000);
      return json(res, 200, anthropicMessage('too late'));
    case 'error-event':
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`${anthropicText('x').split('\n\n')[0]}\n\n`);
      res.end('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n');
      return;
    case 'openai-error-chunk':
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"error":{"message":"Rate limit reached","type":"rate_limit_error","code":429}}\n\n');
      return;
    case 'empty-stream':
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end();
      return;
    case 'cut-before-first-event':
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`${anthropicText('x').split('\n\n')[0]}\n\n`); // message_start only
      await sleep(20);
      res.socket?.destroy();
      return;
    case 'cut-after-content': {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const events = anthropicText('partial answer').split('\n\n');
      res.write(`${events.slice(0, 3).join('\n\n')}\n\n`); // start, block start, one delta
      await sleep(30);
      res.socket?.destroy();
      return;
    }
  }
}

/** A TCP server that accepts and then resets every connection before any HTTP response. */
export async function resettingServer(): Promise<{ url: string; connections: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const state = { url: '', connections: 0, close: async () => {} };
  const server: Server = createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.once('data', () => socket.resetAndDestroy());
    socket.on('error', () => {});
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  state.close = () =>
    new Promise<void>((done) => {
      for (const s of sockets) s.destroy();
      server.close(() => done());
    });
  return state;
}

/** A port nothing listens on. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((done) => server.close(() => done()));
  return `http://127.0.0.1:${port}`;
}
