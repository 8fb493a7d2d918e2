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
 * The body of an upstream response, fed by undici's dispatch handler. The relay loops take what
 * is held with read() and wait() only when nothing is (no promise per chunk); it is also an async
 * iterable of chunks, and readAll() reads it whole. A queue with backpressure (the socket is
 * paused past HIGH_WATER held bytes), not a Readable: a small answer costs no stream machinery,
 * and an answer that arrived with its headers is read at once. A transport error ends the
 * reading with that error after the chunks that came before it; destroy() aborts the request.
 */
export class UpstreamBody implements AsyncIterable<Buffer> {
  readonly #flow: BodyFlow;
  #chunks: Buffer[] = [];
  #held = 0;
  #paused = false;
  #ended = false;
  #error: Error | undefined;
  /** A reader waiting for the next chunk or the end (only while nothing is held). */
  #waiter: { resolve: (more: boolean) => void; reject: (err: Error) => void } | undefined;

  constructor(flow: BodyFlow) {
    this.#flow = flow;
  }

  /** Producer: one chunk from the socket. */
  push(chunk: Buffer): void {
    if (this.#ended || this.#error) return;
    this.#chunks.push(chunk);
    this.#held += chunk.length;
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter.resolve(true);
      return;
    }
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
    waiter?.resolve(false);
  }

  /** Producer: the transport failed (reset, body timeout, abort). */
  fail(err: Error): void {
    if (this.#ended || this.#error) return;
    this.#error = err;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(err);
  }

  /** Whether more chunks are held, ready for read(). */
  get queued(): boolean {
    return this.#chunks.length > 0;
  }

  /** Whether the response is complete: nothing arrives after what is held now. */
  get complete(): boolean {
    return this.#ended;
  }

  /**
   * Takes the next chunk held, without waiting; undefined when none is (then wait()). A relay
   * loop reads what one socket read delivered without a promise per chunk.
   */
  read(): Buffer | undefined {
    const chunk = this.#chunks.shift();
    if (chunk === undefined) return undefined;
    this.#held -= chunk.length;
    if (this.#paused && this.#held <= HIGH_WATER / 2) {
      this.#paused = false;
      this.#flow.resume();
    }
    return chunk;
  }

  /**
   * Resolves true once a chunk is held, false when the body ended with nothing left; rejects
   * with the transport error (after every chunk that came before it was read).
   */
  wait(): Promise<boolean> {
    if (this.#chunks.length > 0) return Promise.resolve(true);
    if (this.#error) return Promise.reject(this.#error);
    if (this.#ended) return Promise.resolve(false);
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  next(): Promise<IteratorResult<Buffer>> {
    const chunk = this.read();
    if (chunk !== undefined) return Promise.resolve({ value: chunk, done: false });
    // a body destroyed between the wake-up and this read rejects in the next wait()
    return this.wait().then((more) => (more ? this.next() : { value: undefined, done: true }));
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

  /**
   * The whole body at once, without waiting, when it has arrived already (a small answer comes
   * with its headers) and holds at most `limit` bytes; otherwise undefined (then readAll). What it
   * returns is taken: nothing is held afterwards.
   */
  takeWhole(limit: number): Buffer | undefined {
    if (!this.#ended || this.#error || this.#held > limit) return undefined;
    const chunks = this.#chunks;
    this.#chunks = [];
    this.#held = 0;
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }

  /** Reads the rest, keeping at most `limit` bytes (past it the request is aborted and the bytes cut). */
  async readAll(limit: number): Promise<{ bytes: Buffer; truncated: boolean }> {
    const { bytes, complete } = await this.readUpTo(limit);
    if (complete) return { bytes, truncated: false };
    this.destroy();
    return { bytes: bytes.subarray(0, limit), truncated: true };
  }

  /**
   * Reads until the end, or until more than `limit` bytes are held (`complete: false`: what was
   * read is returned, the rest can still be read from the body).
   */
  async readUpTo(limit: number): Promise<{ bytes: Buffer; complete: boolean }> {
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const value = this.read();
      if (value === undefined) {
        if (!(await this.wait())) break;
        continue;
      }
      chunks.push(value);
      size += value.length;
      if (size > limit) return { bytes: Buffer.concat(chunks, size), complete: false };
    }
    return { bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), complete: true };
  }
}
