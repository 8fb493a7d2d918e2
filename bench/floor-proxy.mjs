// The floor proxy: the least work any HTTP proxy in Node can do. A node:http server and a
// keep-alive node:http Agent (Node's built-in llhttp parser); the request body is piped up and
// the response piped back, status and headers copied (hop-by-hop removed), nothing parsed. Every
// proxy under test is compared to this. (It used an undici Pool before; piping through node:http's
// client measured 1.13-1.27x the requests/s, 1.29-1.53x with 1 MB bodies, and 70 instead of
// 105 MB peak memory, so that is the least work: docs/performance.md, "The floor".)
//
// Run as a child process: `node bench/floor-proxy.mjs <upstream origin>` prints {"port":N} on
// stdout and exits when its stdin closes.

import { Agent, createServer, request } from 'node:http';
import { pathToFileURL } from 'node:url';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

/** The client's request headers minus hop-by-hop ones (names lower-cased). */
export function forwardedHeaders(req) {
  const headers = {};
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (!HOP_BY_HOP.has(name)) headers[name] = raw[i + 1];
  }
  return headers;
}

/** The upstream's response headers minus hop-by-hop ones. */
export function returnedHeaders(upHeaders) {
  const out = {};
  for (const name in upHeaders) if (!HOP_BY_HOP.has(name)) out[name] = upHeaders[name];
  return out;
}

/** A failed upstream request: 502 with a JSON body, or the connection cut once the answer began. */
export function failRequest(res, err) {
  if (!res.headersSent) {
    const body = JSON.stringify({ error: { type: 'floor_proxy_error', message: err.message } });
    res.writeHead(502, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  } else res.destroy();
}

export function createFloorProxy(upstreamOrigin) {
  const origin = new URL(upstreamOrigin);
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, timeout: 30_000 });

  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
    const headers = forwardedHeaders(req);
    const upstream = request(
      { hostname: origin.hostname, port: origin.port, path: req.url, method: req.method, headers, agent },
      (up) => {
        res.writeHead(up.statusCode, returnedHeaders(up.headers));
        up.pipe(res);
      },
    );
    upstream.on('error', (err) => failRequest(res, err));
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  server.on('close', () => agent.destroy());
  return server;
}

/**
 * When `moduleUrl` is the script node was started with: serves `create(<upstream origin>)` on
 * 127.0.0.1 (a free port), prints {"port":N} and exits when stdin closes (the bench's child protocol).
 */
export function serveFromCommandLine(moduleUrl, create) {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  const origin = process.argv[2];
  if (!origin) {
    process.stderr.write(`usage: node ${process.argv[1]} <upstream origin>\n`);
    process.exit(2);
  }
  const server = create(origin);
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
  });
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
}

serveFromCommandLine(import.meta.url, createFloorProxy);
