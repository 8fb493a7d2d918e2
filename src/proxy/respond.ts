import type { ServerResponse } from 'node:http';
import type { ApiFormat } from '../formats/api-format.js';
import { renderError } from '../formats/errors/render-error.js';
import type { GatewayError } from './gateway-error.js';
import { encodeUtf8 } from './utf8.js';

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
} as const;

/** Writes a JSON body with its length; returns the bytes written. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): number {
  const bytes = encodeUtf8(JSON.stringify(body));
  if (!res.headersSent) {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(bytes.length), ...headers });
  }
  res.end(bytes);
  return bytes.length;
}

/** Answers a failure in the client's API shape: never an HTML page or a stack trace. */
export function sendError(res: ServerResponse, clientFormat: ApiFormat, err: GatewayError): number {
  const { status, body } = renderError(clientFormat, err.toNormalized());
  const headers: Record<string, string> = { ...err.headers };
  // the upstream's request id, under the name the client's SDK reads (Anthropic: request-id)
  const id = headers['request-id'];
  if (id !== undefined && clientFormat !== 'anthropic_messages') {
    delete headers['request-id'];
    headers['x-request-id'] = id;
  }
  if (err.retryAfterMs !== undefined && !headers['retry-after'])
    headers['retry-after'] = String(Math.ceil(err.retryAfterMs / 1000));
  return sendJson(res, status, body, headers);
}
