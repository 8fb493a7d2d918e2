/**
 * Output bytes collected in one buffer: raw pieces copied from the input and text encoded as
 * UTF-8, so a chunk's output goes to the client as one Buffer without building and re-encoding a
 * string. One sink per output chunk: take() hands its bytes over.
 */
export class ByteSink {
  #buf: Buffer;
  #length = 0;

  /** `room`: the bytes to write into first (the caller's), or how many to allocate. Past it, the sink grows. */
  constructor(room: Buffer | number) {
    this.#buf = typeof room === 'number' ? Buffer.allocUnsafe(Math.max(64, room)) : room;
  }

  /** Appends bytes[start, end). */
  bytes(bytes: Uint8Array, start = 0, end = bytes.length): void {
    const n = end - start;
    this.#room(n);
    const buf = this.#buf;
    let at = this.#length;
    if (start === 0 && end === bytes.length) buf.set(bytes, at);
    else if (n > 64) buf.set(bytes.subarray(start, end), at);
    else for (let i = start; i < end; i++) buf[at++] = bytes[i]!;
    this.#length += n;
  }

  /** Appends text as UTF-8. */
  text(text: string): void {
    if (text === '') return;
    this.#room(text.length * 3);
    this.#length += this.#buf.write(text, this.#length, 'utf8');
  }

  /** Appends a non-negative integer in decimal digits (a sequence number: no string, no encoder call). */
  decimal(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) {
      this.text(String(n));
      return;
    }
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    this.#room(digits);
    const buf = this.#buf;
    let at = this.#length + digits;
    let rest = n;
    do {
      buf[--at] = 0x30 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
    this.#length += digits;
  }

  /**
   * The bytes collected, or undefined when there are none. The sink must not be used afterwards.
   * They are still in the buffer given to the constructor unless the sink had to grow.
   */
  take(): Buffer | undefined {
    return this.#length === 0 ? undefined : this.#buf.subarray(0, this.#length);
  }

  #room(n: number): void {
    if (this.#length + n <= this.#buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#length + n));
    this.#buf.copy(grown, 0, 0, this.#length);
    this.#buf = grown;
  }
}
