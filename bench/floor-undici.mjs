// The former floor proxy, kept as a reference for bench/compare-floors.mjs: a node:http server and
// one undici Pool per upstream origin (`Pool.stream`), the request body piped up and the response
// piped back, nothing parsed. bench/floor-proxy.mjs (node:http's own client) does less work.
//
// Run as a child process: `node bench/floor-undici.mjs <upstream origin>` prints {"port":N} on
// stdout and exits when its stdin closes.

import { createServer } from 'node:http';
import { Pool } from 'undici';
import { failRequest, forwardedHeaders, returnedHeaders, serveFromCommandLine } from './floor-proxy.mjs';

export function createUndiciFloorProxy(upstreamOrigin) {
  const pools = new Map();
  const poolFor = (origin) => {
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections: null, pipelining: 1, keepAliveTimeout: 30_000 });
      pools.set(origin, pool);
    }
    return pool;
  };

  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
    const headers = forwardedHeaders(req);
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    poolFor(upstreamOrigin).stream(
      {
        path: req.url,
        method: req.method,
        headers,
        body: hasBody ? req : null,
        signal: controller.signal,
        opaque: res,
      },
      ({ statusCode, headers: upHeaders, opaque }) => {
        opaque.writeHead(statusCode, returnedHeaders(upHeaders));
        return opaque;
      },
      (err) => {
        if (err) failRequest(res, err);
      },
    );
  });
  server.on('close', () => {
    for (const pool of pools.values()) pool.destroy();
  });
  return server;
}

serveFromCommandLine(import.meta.url, createUndiciFloorProxy);
