import type { IncomingMessage } from 'node:http';
import { GatewayError } from './gateway-error.js';

/** Reads the whole request body, refusing (413) past `limit` bytes without buffering the excess. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  const tooLarge = () =>
    new GatewayError(
      'too_large',
      `request body is larger than the proxy's limit of ${limit} bytes (proxy.maxBodySize)`,
      'config',
    );
  if (Number.isFinite(declared) && declared > limit) {
    req.resume(); // drain so the 413 can be written
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(buf);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

export interface RequestFacts {
  /** The parsed body when it is a JSON object (undefined for other bodies). */
  json: Record<string, unknown> | undefined;
  model: string;
  stream: boolean;
}

/** Parses a JSON request body once; everything later (plan, conversion, logs) reads from this. */
export function requestFacts(body: Buffer): RequestFacts {
  if (body.length === 0) return { json: undefined, model: '', stream: false };
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { json: undefined, model: '', stream: false };
    const json = value as Record<string, unknown>;
    return { json, model: typeof json.model === 'string' ? json.model : '', stream: json.stream === true };
  } catch {
    return { json: undefined, model: '', stream: false };
  }
}
