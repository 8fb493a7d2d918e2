/**
 * An upstream response's headers as undici's parser hands them over: name, value, name, value …
 * as Buffers. Nothing is decoded until it is asked for. undici's newer handler form decodes every
 * name and value into an object first (`parseHeaders`: 2.4 µs for the bench mock's dozen headers
 * in a loop); a converted stream needs one header, `content-type`, and finds it here by comparing
 * bytes (0.12 µs).
 */
export class ResponseHeaders {
  readonly #raw: readonly Buffer[];

  constructor(raw: readonly Buffer[]) {
    this.#raw = raw;
  }

  /**
   * The value of the header called `name` (lower-case ASCII), decoded as latin1 (as undici does);
   * a repeated header's values joined with ", " (a list, RFC 9110 §5.3); undefined when absent.
   */
  get(name: string): string | undefined {
    const raw = this.#raw;
    let value: string | undefined;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (!nameIs(raw[i]!, name)) continue;
      const text = raw[i + 1]!.toString('latin1');
      value = value === undefined ? text : `${value}, ${text}`;
    }
    return value;
  }

  /** Whether a header called `name` (lower-case ASCII) is present. */
  has(name: string): boolean {
    const raw = this.#raw;
    for (let i = 0; i + 1 < raw.length; i += 2) if (nameIs(raw[i]!, name)) return true;
    return false;
  }

  /**
   * Every header a filter keeps, in order, as the flat list `res.writeHead` takes: name, value,
   * name, value … (names lower-cased, a repeated header on lines of its own). `keep` decides by
   * the lower-cased name, before the value is decoded. A list rather than an object: no key is
   * made a property (each fresh name string would have to be internalised).
   */
  list(keep: (name: string) => boolean): string[] {
    const raw = this.#raw;
    const out: string[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i]!.toString('latin1').toLowerCase();
      if (keep(name)) out.push(name, raw[i + 1]!.toString('latin1'));
    }
    return out;
  }
}

const UPPER_A = 0x41;
const UPPER_Z = 0x5a;

/** Whether the raw header name equals `lower` (lower-case ASCII), ignoring the case of ASCII letters. */
function nameIs(bytes: Buffer, lower: string): boolean {
  if (bytes.length !== lower.length) return false;
  for (let i = 0; i < bytes.length; i++) {
    let b = bytes[i]!;
    if (b >= UPPER_A && b <= UPPER_Z) b |= 0x20;
    if (b !== lower.charCodeAt(i)) return false;
  }
  return true;
}
