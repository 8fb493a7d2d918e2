/**
 * A fixed run of bytes (the JSON around a text delta's literal) compared with bytes of the input
 * eight at a time. `Buffer#compare` costs ~90 ns a call, nearly all of it argument checks (a raw
 * text event's head of ~190 bytes took one, its tail a byte loop); reading the input through a
 * DataView as float64 words costs a third of that. Two float64 values are equal exactly when their
 * bits are, except NaN (never equal to anything) and ±0 (equal with different bits): a pattern with
 * such a word falls back to `Buffer#compare`, so the answer is always plain byte equality. So does
 * a pattern with a denormal word (a process whose FPU flushes denormals to zero would see those as
 * ±0). Patterns made of JSON text have none of these.
 */
const MIN_NORMAL = 2.2250738585072014e-308;

export class BytePattern {
  readonly bytes: Buffer;
  /**
   * A plain array (V8 stores it as unboxed doubles): a Float64Array would cost ~0.5 µs to
   * allocate, more than the whole comparison of a stream's events, and a pattern is made per stream.
   */
  readonly #words: number[] | undefined;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
    const count = bytes.length >> 3;
    const words: number[] = [];
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    let exact = true;
    for (let i = 0; i < count; i++) {
      const word = view.getFloat64(i * 8, true);
      if (!(Math.abs(word) >= MIN_NORMAL)) exact = false; // NaN, zero or denormal
      words.push(word);
    }
    this.#words = exact ? words : undefined;
  }

  get length(): number {
    return this.bytes.length;
  }

  /**
   * Whether input[at, at + length) equals the pattern. `view` covers the same bytes as `input`
   * (see InputView); the range must lie inside them.
   */
  matchesAt(input: Buffer, view: DataView, at: number): boolean {
    const bytes = this.bytes;
    const words = this.#words;
    if (words === undefined) return input.compare(bytes, 0, bytes.length, at, at + bytes.length) === 0;
    let i = 0;
    for (let w = 0; w < words.length; w++, i += 8) if (view.getFloat64(at + i, true) !== words[w]) return false;
    for (; i < bytes.length; i++) if (input[at + i] !== bytes[i]) return false;
    return true;
  }
}

/**
 * The DataView of the input chunk being read, made once per chunk rather than once per event
 * (~70 ns each). It keeps the last chunk it was given alive until a later chunk replaces it or its
 * owner is dropped: one socket read per open stream.
 */
export class InputView {
  #input: Buffer | undefined;
  #view: DataView | undefined;

  of(input: Buffer): DataView {
    if (this.#input !== input || this.#view === undefined) {
      this.#input = input;
      this.#view = new DataView(input.buffer, input.byteOffset, input.length);
    }
    return this.#view;
  }
}
