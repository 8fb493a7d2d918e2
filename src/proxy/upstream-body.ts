/** What the body needs of undici's dispatch controller: flow control and cancelling. */
export interface BodyFlow {
  pause(): void;
  resume(): void;
  abort(reason: Error): void;
}

/** Bytes held for a consumer that has not asked for them yet before the upstream socket is paused. */
const HIGH_WATER = 64 * 1024;

/** The reason a body reports when its consumer destroyed it (the gate's timeout, a drain cut). */
function destroyedError(): Error {
  return Object.assign(new Error('upstream response body destroyed'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/**
 * The body of an upstream response, fed by undici's dispatch handler and read by the proxy as an
 * async iterable of chunks, or whole with readAll(). A queue with backpressure (the socket is
 * paused past HIGH_WATER held bytes), not a Readable: a small answer costs no stream machinery,
 * and an answer that arrived with its headers is read at once. A transport error ends the
 * iteration with that error after the chunks that came before it; destroy() aborts the request.
 */
export class UpstreamBody implements AsyncIterable<Buffer> {
  readonly #flow: BodyFlow;
  #chunks: Buffer[] = [];
  #held = 0;
  #paused = false;
  #ended = false;
  #error: Error | undefined;
  #waiter: { resolve: (r: IteratorResult<Buffer>) => void; reject: (err: Error) => void } | undefined;

  constructor(flow: BodyFlow) {
    this.#flow = flow;
  }

  /** Producer: one chunk from the socket. */
  push(chunk: Buffer): void {
    if (this.#ended || this.#error) return;
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter.resolve({ value: chunk, done: false });
      return;
    }
    this.#chunks.push(chunk);
    this.#held += chunk.length;
    if (this.#held > HIGH_WATER && !this.#paused) {
      this.#paused = true;
      this.#flow.pause();
    }
  }

  /** Producer: the response is complete. */
  end(): void {
    if (this.#ended || this.#error) return;
    this.#ended = true;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.resolve({ value: undefined, done: true });
  }

  /** Producer: the transport failed (reset, body timeout, abort). */
  fail(err: Error): void {
    if (this.#ended || this.#error) return;
    this.#error = err;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(err);
  }

  next(): Promise<IteratorResult<Buffer>> {
    const chunk = this.#chunks.shift();
    if (chunk !== undefined) {
      this.#held -= chunk.length;
      if (this.#paused && this.#held <= HIGH_WATER / 2) {
        this.#paused = false;
        this.#flow.resume();
      }
      return Promise.resolve({ value: chunk, done: false });
    }
    if (this.#error) return Promise.reject(this.#error);
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return {
      next: () => this.next(),
      // a loop left early (return, throw) cancels what is left of the response
      return: () => {
        this.destroy();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  /** Stops reading and aborts the upstream request (nothing happens once the body is complete). */
  destroy(): void {
    if (this.#ended || this.#error) return;
    const reason = destroyedError();
    this.#chunks = [];
    this.#held = 0;
    this.fail(reason);
    this.#flow.abort(reason);
  }

  /** Reads the rest, keeping at most `limit` bytes (past it the request is aborted and the bytes cut). */
  async readAll(limit: number): Promise<{ bytes: Buffer; truncated: boolean }> {
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const { value, done } = await this.next();
      if (done) break;
      if (size + value.length > limit) {
        chunks.push(value.subarray(0, limit - size));
        this.destroy();
        return { bytes: Buffer.concat(chunks), truncated: true };
      }
      chunks.push(value);
      size += value.length;
    }
    return { bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), truncated: false };
  }
}
