import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultGroup, findGroup } from '../config/groups.js';
import { handleApi } from './handler.js';
import type { ProxyRuntime } from './runtime.js';

export const STATUS_PATH = '/_swixter/status';
export const RESET_PATH = '/_swixter/reset';

/** The profiles whose breakers `proxy status` lists: the serving group's, in priority order, else every one seen. */
function breakerProfiles(rt: ProxyRuntime): string[] | undefined {
  const mode = rt.mode;
  if (mode.kind === 'profile') return [mode.profile];
  const group = mode.kind === 'group' ? findGroup(rt.config, mode.group) : defaultGroup(rt.config);
  return group?.profiles;
}

/** The admin view `proxy status` reads. */
export function statusSnapshot(rt: ProxyRuntime, address: AddressInfo | undefined) {
  const s = rt.stats;
  return {
    instance: rt.instance,
    pid: process.pid,
    host: address?.address ?? null,
    port: address?.port ?? null,
    startedAt: new Date(s.startedAt).toISOString(),
    uptimeSeconds: Math.round((Date.now() - s.startedAt) / 1000),
    mode: rt.mode,
    requests: { total: s.total, ...s.byClass },
    activeBackend: s.lastBackend ?? null,
    coders: s.coders(),
    breakers: rt.breakers.snapshot(Date.now(), breakerProfiles(rt)),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function tokenOk(rt: ProxyRuntime, req: IncomingMessage): boolean {
  if (!rt.requireToken || !rt.token) return true;
  const header =
    req.headers['x-swixter-token'] ?? req.headers['x-api-key'] ?? req.headers.authorization?.replace(/^Bearer\s+/i, '');
  return header === rt.token;
}

/** The HTTP front: local endpoints (health, status, HEAD /), then API calls to the handler. */
export function createProxyServer(rt: ProxyRuntime): Server {
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 }, (req, res) => {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const pathname = q < 0 ? raw : raw.slice(0, q);
    const search = q < 0 ? '' : raw.slice(q);
    if (pathname === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      return json(res, 200, { status: 'ok', instance: rt.instance, pid: process.pid });
    }
    if (req.method === 'HEAD' && pathname === '/') {
      res.writeHead(200, { 'content-length': '0' });
      return res.end();
    }
    if (!tokenOk(rt, req)) {
      return json(res, 401, {
        type: 'error',
        error: {
          type: 'authentication_error',
          message: 'this Swixter proxy requires its token (x-swixter-token, or as the API key)',
        },
      });
    }
    if (pathname === STATUS_PATH && req.method === 'GET')
      return json(res, 200, statusSnapshot(rt, server.address() as AddressInfo));
    if (pathname === RESET_PATH && req.method === 'POST') {
      const profile = new URLSearchParams(search).get('profile') ?? undefined;
      const reset = rt.breakers.reset(profile);
      rt.logger.info(`breakers reset: ${reset.length > 0 ? reset.join(', ') : '(none matched)'}`);
      return json(res, 200, { reset });
    }
    if (pathname.startsWith('/v1/') || pathname === '/v1') {
      handleApi(rt, req, res, pathname, search).catch((err: unknown) => {
        rt.logger.error(`request failed: ${(err as Error).stack ?? err}`);
        if (!res.headersSent)
          json(res, 500, { type: 'error', error: { type: 'api_error', message: 'internal proxy error' } });
        else res.destroy();
      });
      return;
    }
    json(res, 404, {
      type: 'error',
      error: {
        type: 'not_found_error',
        message: `Swixter serves /v1/* API paths, /health and HEAD /; ${req.method} ${pathname} is not one of them`,
      },
    });
  });
  return server;
}
