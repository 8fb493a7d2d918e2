import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
  json: any;
}

export type MockHandler = (req: RecordedRequest, res: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export interface MockUpstream {
  url: string;
  requests: RecordedRequest[];
  /** TCP connections accepted so far (a breaker that is open must not add to this). */
  connections: number;
  /** Sockets closed by the peer (the proxy) while a response was still being written. */
  aborted: number;
  setHandler(handler: MockHandler): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1:0 that records every request and answers with `handler`. */
export async function mockUpstream(handler: MockHandler): Promise<MockUpstream> {
  let current = handler;
  const sockets = new Set<Socket>();
  const mock: MockUpstream = {
    url: '',
    requests: [],
    connections: 0,
    aborted: 0,
    setHandler: (h) => {
      current = h;
    },
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let json: unknown;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body,
      json,
    };
    mock.requests.push(recorded);
    res.on('close', () => {
      if (!res.writableFinished) mock.aborted++;
    });
    try {
      await current(recorded, res, req);
    } catch {
      res.destroy();
    }
  });
  server.on('connection', (socket) => {
    mock.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  mock.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return mock;
}

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Writes SSE text in pieces with a pause between them (a realistic, chunked stream). */
export async function writeSse(
  res: ServerResponse,
  pieces: string[],
  delayMs = 2,
  headers: Record<string, string> = {},
): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  for (const piece of pieces) {
    res.write(piece);
    await sleep(delayMs);
  }
  res.end();
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}
