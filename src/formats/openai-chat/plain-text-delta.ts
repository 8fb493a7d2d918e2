// The text fast lane of the Chat stream converters (to Anthropic Messages and to Responses).
// Nearly every event of a Chat stream carries one piece of text and nothing else; for those, the
// text's JSON string literal is taken from the upstream event as it is and placed into the
// client's text delta event, so such an event is neither parsed nor re-serialised (after the first
// of its shape, see PlainTextDeltas). Anything else — a key the converters act on with a value
// other than null, another choice, content outside `delta`, a string that is not valid JSON —
// returns undefined and the event takes the full path. The two paths are compared on every
// recorded stream (fast-text.test.ts of each converter).

import { BytePattern, InputView } from '../sse/byte-pattern.js';

/** A key the full path acts on, with a value other than null. */
const ACTED_ON =
  /"(?:tool_calls|function_call|reasoning|reasoning_content|reasoning_details|refusal|usage|x_groq|error|finish_reason|message)"\s*:\s*(?!null\s*[,}])/;
/** A choice other than the first. */
const OTHER_CHOICE = /"index"\s*:\s*(?!0\s*[,}])/;
/** A complete, valid JSON string literal (RFC 8259 §7). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: raw control characters are what JSON strings may not hold
const JSON_STRING = /^"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"$/;

const CONTENT_KEY = '"content":"';
const LINE_BREAK = /[\r\n]/;
const DELTA_KEY = '"delta":{';

/**
 * The JSON string literal (quotes included) of `choices[0].delta.content` when the Chat chunk in
 * `data` carries that text and nothing the converter would act on; otherwise undefined. `parsed`:
 * `JSON.parse(data)`, when the caller has it already.
 */
export function plainTextDelta(data: string, parsed?: unknown): string | undefined {
  if (data.charCodeAt(0) !== 0x7b || data.charCodeAt(data.length - 1) !== 0x7d) return undefined;
  const key = data.indexOf(CONTENT_KEY);
  if (key < 0 || data.indexOf('"content"', key + CONTENT_KEY.length) >= 0) return undefined;
  if (key > 0 && data.lastIndexOf('"content"', key - 1) >= 0) return undefined;
  // `content` must be a direct key of the first choice's `delta`
  const delta = data.lastIndexOf(DELTA_KEY, key);
  if (delta < 0 || hasBracket(data, delta + DELTA_KEY.length, key)) return undefined;
  const choices = data.lastIndexOf('"choices":[', delta);
  if (choices < 0 || hasBracket(data, choices + 12, delta)) return undefined;
  if (ACTED_ON.test(data) || OTHER_CHOICE.test(data)) return undefined;
  const start = key + CONTENT_KEY.length - 1;
  const end = stringEnd(data, start);
  if (end < 0) return undefined;
  const literal = data.slice(start, end);
  if (!JSON_STRING.test(literal)) return undefined;
  // A \u escape outside the text could spell a key the checks above look for ("us\u0061ge").
  if (data.lastIndexOf('\\u', start) >= 0 || data.indexOf('\\u', end) >= 0) return undefined;
  // The scan found the right string, and the event is valid JSON: checked once per template.
  try {
    const chunk = (parsed ?? JSON.parse(data)) as { choices?: Array<{ delta?: { content?: unknown } }> } | null;
    return chunk?.choices?.[0]?.delta?.content === JSON.parse(literal) ? literal : undefined;
  } catch {
    return undefined;
  }
}

/** Whether data[from, to) holds a bracket or brace (the key would sit in a nested value). */
function hasBracket(data: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = data.charCodeAt(i);
    if (c === 0x7b || c === 0x7d || c === 0x5b || c === 0x5d) return true;
  }
  return false;
}

/** Index just past the string literal that opens at `start`, or -1. */
function stringEnd(data: string, start: number): number {
  let at = start + 1;
  for (;;) {
    const quote = data.indexOf('"', at);
    if (quote < 0) return -1;
    let slashes = 0;
    for (let k = quote - 1; k > start && data.charCodeAt(k) === 0x5c; k--) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    at = quote + 1;
  }
}

/**
 * plainTextDelta with a memory: a provider repeats the same JSON around the text of every event,
 * so once an event passed the full check, an event with the same text before and after its
 * content literal — and a valid literal in between — is the same event with other text, and is
 * taken after two string comparisons. Anything else goes through the full check, which then
 * becomes the template.
 */
export class PlainTextDeltas {
  #prefix = '';
  /** What follows the literal; with #padded only up to the pad's opening quote. */
  #suffix = '';
  /** The events end with OpenAI's random `"obfuscation"` pad, which may differ from event to event. */
  #padded = false;
  /** The template as the bytes of a whole event: `data: ` + prefix up to the literal's quote. */
  #rawPrefix: BytePattern | undefined;
  /** What follows the literal as bytes, with the blank line when not #padded. */
  #rawSuffix: BytePattern | undefined;
  readonly #view = new InputView();
  #rawLiteralEnd = -1;
  #rawEventEnd = -1;

  match(data: string): string | undefined {
    const prefix = this.#prefix;
    const suffix = this.#suffix;
    const suffixEnd = this.#padded ? padStart(data) : data.length;
    // slice + === rather than startsWith/endsWith: with a pattern that is not a constant, those
    // take V8's slow path (~0.9 µs per event here, against ~0.13 µs)
    if (
      prefix !== '' &&
      suffixEnd > prefix.length + suffix.length &&
      data.slice(0, prefix.length) === prefix &&
      data.slice(suffixEnd - suffix.length, suffixEnd) === suffix
    ) {
      const literal = data.slice(prefix.length - 1, suffixEnd - suffix.length);
      if (JSON_STRING.test(literal)) return literal;
    }
    const literal = plainTextDelta(data);
    if (literal !== undefined) this.#become(data, literal);
    return literal;
  }

  /**
   * Takes an event the full path has just parsed (`parsed` = `JSON.parse(data)`) as the template
   * when there is none yet and the event is a plain text delta, so that the stream's next text
   * event already fits one (without this, the next event would be decoded, scanned and parsed to
   * become it).
   */
  learn(data: string, parsed: unknown): void {
    if (this.#prefix !== '') return;
    const literal = plainTextDelta(data, parsed);
    if (literal !== undefined) this.#become(data, literal);
  }

  #become(data: string, literal: string): void {
    const start = data.indexOf(CONTENT_KEY) + CONTENT_KEY.length; // just past the opening quote
    const after = data.slice(start - 1 + literal.length);
    const pad = PADDED_END.exec(after);
    this.#prefix = data.slice(0, start);
    this.#padded = pad !== null;
    this.#suffix = pad === null ? after : after.slice(0, pad.index + PAD_KEY.length);
    this.#rawPrefix = undefined;
    this.#rawSuffix = undefined;
  }

  /**
   * match() on the raw event that starts at bytes[at], against the current template only (no
   * template yet, or another shape: -1, and the caller decodes the event and calls match).
   * `bytes[at, end)` holds whole events (`data: <json>\n\n`, LF line endings). The template says
   * where the event ends: its head, one valid JSON string literal, its tail and the blank line
   * (a literal holds no line break, so that blank line is the event's first). Returns where the
   * literal starts; it ends at rawLiteralEnd, the event at rawEventEnd.
   */
  rawEvent(bytes: Buffer, at: number, end: number): number {
    if (this.#prefix === '') return -1;
    // a template learned from a multi-line `data:` event has no single-line raw form
    if (this.#rawPrefix === undefined && LINE_BREAK.test(this.#prefix + this.#suffix)) return -1;
    this.#rawPrefix ??= new BytePattern(Buffer.from(`data: ${this.#prefix.slice(0, -1)}`));
    this.#rawSuffix ??= new BytePattern(Buffer.from(this.#padded ? this.#suffix : `${this.#suffix}\n\n`));
    const head = this.#rawPrefix;
    const tail = this.#rawSuffix;
    const from = at + head.length;
    if (from + 2 + tail.length > end) return -1;
    const view = this.#view.of(bytes);
    if (!head.matchesAt(bytes, view, at)) return -1;
    const to = jsonStringEnd(bytes, from, end);
    if (to < 0 || to + tail.length > end || !tail.matchesAt(bytes, view, to)) return -1;
    const eventEnd = this.#padded ? rawPadEnd(bytes, to + tail.length, end) : to + tail.length;
    if (eventEnd < 0) return -1;
    this.#rawLiteralEnd = to;
    this.#rawEventEnd = eventEnd;
    return from;
  }

  /** Where the literal found by the last successful rawEvent ends. */
  get rawLiteralEnd(): number {
    return this.#rawLiteralEnd;
  }

  /** Where the event found by the last successful rawEvent ends (just after its blank line). */
  get rawEventEnd(): number {
    return this.#rawEventEnd;
  }
}

/**
 * OpenAI ends every chunk with `"obfuscation":"<random pad>"` (against packet-size side channels):
 * a template may leave that one value open when it is plain printable ASCII without escapes.
 */
const PAD_KEY = '"obfuscation":"';
const PADDED_END = /"obfuscation":"[\x20\x21\x23-\x5b\x5d-\x7e]*"}$/;
const isPadChar = (c: number) => c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c;

/** In `…"<pad>"}`: the index just after the pad's opening quote, or -1 when the pad is not plain. */
function padStart(data: string): number {
  const n = data.length;
  if (data.charCodeAt(n - 1) !== 0x7d || data.charCodeAt(n - 2) !== 0x22) return -1;
  const quote = data.lastIndexOf('"', n - 3);
  if (quote < 0) return -1;
  for (let i = quote + 1; i < n - 2; i++) if (!isPadChar(data.charCodeAt(i))) return -1;
  return quote + 1;
}

/**
 * In raw bytes, after a pad's opening quote at bytes[from - 1]: the end of `<pad>"}` and its blank
 * line, or -1 when the pad is not plain or the event does not end there.
 */
function rawPadEnd(bytes: Buffer, from: number, end: number): number {
  let i = from;
  while (i < end && isPadChar(bytes[i]!)) i++;
  if (i + 4 > end || bytes[i] !== 0x22 || bytes[i + 1] !== 0x7d || bytes[i + 2] !== 0x0a || bytes[i + 3] !== 0x0a)
    return -1;
  return i + 4;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** `"`, `\`, `/`, b, f, n, r, t: the one-character escapes. */
const SHORT_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);
const isHex = (b: number | undefined) =>
  b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));

/**
 * The end (just past the closing quote) of the JSON string literal that opens at bytes[from], read
 * no further than `end`; -1 when there is none there, or it is not valid (JSON_STRING, and valid
 * UTF-8).
 */
export function jsonStringEnd(bytes: Uint8Array, from: number, end: number): number {
  if (from >= end || bytes[from] !== QUOTE) return -1;
  for (let i = from + 1; i < end; i++) {
    const b = bytes[i]!;
    if (b === QUOTE) return i + 1;
    if (b < 0x20) return -1;
    if (b === BACKSLASH) {
      i++;
      if (i >= end) return -1;
      const e = bytes[i]!;
      if (e === 0x75) {
        if (i + 4 >= end) return -1;
        for (let k = 1; k <= 4; k++) if (!isHex(bytes[i + k])) return -1;
        i += 4;
      } else if (!SHORT_ESCAPES.has(e)) return -1;
    } else if (b >= 0x80) {
      const n = utf8Sequence(bytes, i, end);
      if (n === 0) return -1;
      i += n - 1;
    }
  }
  return -1;
}

const isContinuation = (b: number | undefined) => b !== undefined && (b & 0xc0) === 0x80;

/**
 * The length of the well-formed UTF-8 sequence that starts at bytes[i] (a byte >= 0x80) and ends
 * before `end`, or 0 (Unicode Table 3-7: no overlong forms, no surrogates, nothing past U+10FFFF).
 */
function utf8Sequence(bytes: Uint8Array, i: number, end: number): number {
  const b = bytes[i]!;
  const b1 = i + 1 < end ? bytes[i + 1]! : -1;
  if (b >= 0xc2 && b <= 0xdf) return isContinuation(b1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    if (i + 2 >= end) return 0;
    const ok1 = b === 0xe0 ? b1 >= 0xa0 && b1 <= 0xbf : b === 0xed ? b1 >= 0x80 && b1 <= 0x9f : isContinuation(b1);
    return ok1 && isContinuation(bytes[i + 2]) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    if (i + 3 >= end) return 0;
    const ok1 = b === 0xf0 ? b1 >= 0x90 && b1 <= 0xbf : b === 0xf4 ? b1 >= 0x80 && b1 <= 0x8f : isContinuation(b1);
    return ok1 && isContinuation(bytes[i + 2]) && isContinuation(bytes[i + 3]) ? 4 : 0;
  }
  return 0;
}
