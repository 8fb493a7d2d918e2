import type { IncomingMessage } from 'node:http';
import {
  keyToken,
  lastKeyJson,
  NOT_LAST,
  type ScannedString,
  topLevelJson,
  topLevelString,
} from '../formats/json-scan.js';
import { GatewayError } from './gateway-error.js';
import { decodeUtf8 } from './utf8.js';

/** A body past proxy.maxBodySize (413), with what the access log can still say of it. */
export class BodyTooLarge extends GatewayError {
  constructor(
    limit: number,
    /** The declared length, else the bytes received before the refusal. */
    readonly size: number,
    /** The top-level model, when it was in the part that was read. */
    readonly model: string | undefined,
  ) {
    super('too_large', `request body is larger than the proxy's limit of ${limit} bytes (proxy.maxBodySize)`, 'config');
  }
}

/** Reads the whole request body, refusing (413) past `limit` bytes without buffering the excess. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume(); // drain so the 413 can be written
    throw new BodyTooLarge(limit, declared, undefined);
  }
  // Event callbacks rather than an async iterator: no promise per chunk on the hot path.
  const chunks: Buffer[] = [];
  let size = 0;
  await new Promise<void>((done, fail) => {
    const onData = (buf: Buffer) => {
      size += buf.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume();
        const head = chunks[0] ?? buf;
        fail(new BodyTooLarge(limit, size, topLevelString(head, 'model')?.value));
        return;
      }
      chunks.push(buf);
    };
    // each comes at most once per request (and the promise settles once): on() spares once()'s wrappers
    req.on('data', onData);
    req.on('end', done);
    req.on('error', fail);
    req.on('aborted', () =>
      fail(
        new GatewayError(
          'invalid_request',
          'the client closed the connection while sending the body',
          'client_gone',
          499,
        ),
      ),
    );
  });
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

/**
 * What the proxy knows about a request body. Only the top-level `model` is read up front (by a
 * scan that skips the rest); the whole body is parsed only when something needs it (conversion,
 * a thinking-block filter, count_tokens), so passthrough of a multi-MB request stays cheap.
 */
export class RequestFacts {
  readonly model: string;
  /** Where the model string sits in the body, for a model rewrite without a re-serialisation. */
  readonly modelAt: ScannedString | undefined;
  #json: Record<string, unknown> | undefined | null = null;
  #stream: boolean | undefined;

  constructor(readonly body: Buffer) {
    this.modelAt = body.length > 0 ? topLevelString(body, 'model') : undefined;
    this.model = this.modelAt?.value ?? '';
  }

  /** The parsed body when it is a JSON object (parsed on first use, then kept). */
  get json(): Record<string, unknown> | undefined {
    if (this.#json === null) {
      this.#json = undefined;
      try {
        const value: unknown = this.body.length > 0 ? JSON.parse(decodeUtf8(this.body)) : undefined;
        if (typeof value === 'object' && value !== null && !Array.isArray(value))
          this.#json = value as Record<string, unknown>;
      } catch {
        // not JSON: passthrough forwards it as it is; conversion answers 400
      }
    }
    return this.#json;
  }

  /**
   * Whether the body asks for a stream, read without parsing it (a 1 MB passthrough body took ~7 ms
   * to parse for this one flag): the last key where Claude Code puts it, found at the end; else
   * no `"stream"` token at all is no; else the scan from the start finds it (Codex sends it second).
   */
  get stream(): boolean {
    if (this.#json !== null) return this.#json?.stream === true;
    if (this.#stream === undefined) {
      const last = lastKeyJson(this.body, 'stream');
      this.#stream =
        last === NOT_LAST
          ? this.body.indexOf(keyToken('stream')) >= 0 && topLevelJson(this.body, 'stream') === true
          : last === true;
    }
    return this.#stream;
  }
}

export const EMPTY_FACTS = new RequestFacts(Buffer.alloc(0));
