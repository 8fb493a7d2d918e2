import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultGroup } from '../config/groups.js';
import { handleApi, logLocalAnswer } from './handler.js';
import { isoNow } from './outcome.js';
import { modeGroup } from './plan.js';
import type { ProxyRuntime } from './runtime.js';

export const STATUS_PATH = '/_swixter/status';
export const RESET_PATH = '/_swixter/reset';

/** The profiles whose breakers `proxy status` lists: the serving group's, in priority order, else every one seen. */
function breakerProfiles(rt: ProxyRuntime): string[] | undefined {
  const mode = rt.mode;
  if (mode.kind === 'profile') return [mode.profile];
  const group = mode.kind === 'group' ? modeGroup(rt.config, mode) : defaultGroup(rt.config);
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
    breakers: rt.breakers.statusSnapshot(Date.now(), breakerProfiles(rt)),
  };
}

/** Sends a JSON answer; returns its size in bytes. */
function json(res: ServerResponse, status: number, body: unknown): number {
  const text = JSON.stringify(body);
  const bytes = Buffer.byteLength(text);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes });
  res.end(text);
  return bytes;
}

/** A local error answer in the Anthropic shape (both SDKs read `error.type` and `error.message`), logged as one access-log line. */
function localError(
  rt: ProxyRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  path: { pathname: string; search: string },
  answer: { status: number; type: string; kind: string; message: string },
): void {
  // timed from here: nothing is spent on API requests for lines only these answers get
  const request = { ...path, started: performance.now(), timestamp: isoNow() };
  const bytes = json(res, answer.status, { type: 'error', error: { type: answer.type, message: answer.message } });
  logLocalAnswer(rt, req, request, { status: answer.status, bytes, kind: answer.kind, message: answer.message });
}

function tokenOk(rt: ProxyRuntime, req: IncomingMessage): boolean {
  if (!rt.requireToken || !rt.token) return true;
  const header =
    req.headers['x-swixter-token'] ?? req.headers['x-api-key'] ?? req.headers.authorization?.replace(/^Bearer\s+/i, '');
  return typeof header === 'string' && sameSecret(header, rt.token);
}

/** Compares in constant time for equal lengths, so the answer's timing does not tell how much of a guess was right. */
function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A path as the APIs spell it: `/v1/chat/completions/` (a trailing slash) and `/v1//messages` (a
 * base URL ending in `/` joined with `/messages`) are the same calls as without, and are
 * forwarded that way.
 */
export function canonicalPath(pathname: string): string {
  if (!pathname.endsWith('/') && !pathname.includes('//')) return pathname;
  const collapsed = pathname.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 && collapsed.endsWith('/') ? collapsed.slice(0, -1) : collapsed;
}

/** The HTTP front: local endpoints (health, status, HEAD /), then API calls to the handler. */
export function createProxyServer(rt: ProxyRuntime): Server {
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 }, (req, res) => {
    // stopping: this answer is the connection's last (`Connection: close`), so no new work arrives on it
    if (rt.stopping) res.shouldKeepAlive = false;
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const pathname = canonicalPath(q < 0 ? raw : raw.slice(0, q));
    const search = q < 0 ? '' : raw.slice(q);
    if (pathname === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      return json(res, 200, { status: 'ok', instance: rt.instance, pid: process.pid });
    }
    if (req.method === 'HEAD' && pathname === '/') {
      res.writeHead(200, { 'content-length': '0' });
      return res.end();
    }
    if (!tokenOk(rt, req)) {
      return localError(
        rt,
        req,
        res,
        { pathname, search },
        {
          status: 401,
          type: 'authentication_error',
          kind: 'proxy_token',
          message: 'this Swixter proxy requires its token (x-swixter-token, or as the API key)',
        },
      );
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
    localError(
      rt,
      req,
      res,
      { pathname, search },
      {
        status: 404,
        type: 'not_found_error',
        kind: 'not_found',
        message: `Swixter serves /v1/* API paths, /health and HEAD /; ${req.method} ${pathname} is not one of them`,
      },
    );
  });
  server.on('connection', (socket) => rt.connectionOpened(socket));
  return server;
}
