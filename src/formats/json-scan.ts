// Reads one top-level string field of a JSON object held in a Buffer without parsing the rest:
// a multi-MB coder request is mostly long strings, which are skipped with Buffer.indexOf (native
// speed) instead of being decoded and parsed. Used on the passthrough hot path, where the body is
// forwarded as it is and only the model name matters.

/** The bytes of JSON's structure. */
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const COLON = 0x3a;
export const COMMA = 0x2c;

const isSpace = (b: number | undefined): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** Index just past the string that opens at `start` (a quote), or -1 when it never closes. */
export function skipString(buf: Buffer, start: number): number {
  let at = start + 1;
  for (;;) {
    const quote = buf.indexOf(QUOTE, at);
    if (quote < 0) return -1;
    let slashes = 0;
    for (let k = quote - 1; k > start && buf[k] === BACKSLASH; k--) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    at = quote + 1;
  }
}

/**
 * Index just past the value that starts at `start` (any JSON value), or -1 when malformed. An
 * array or object ends at its own closing bracket: a `]` where `}` is due (or the reverse) is
 * malformed, so the value never takes in the text around it.
 */
export function skipValue(buf: Buffer, start: number): number {
  const first = buf[start];
  if (first === QUOTE) return skipString(buf, start);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let at = start;
    while (at < buf.length && buf[at] !== COMMA && buf[at] !== CLOSE_BRACE && buf[at] !== CLOSE_BRACKET) at++;
    return at;
  }
  const open: number[] = []; // the brackets still open, innermost last
  let at = start;
  while (at < buf.length) {
    const b = buf[at];
    if (b === QUOTE) {
      at = skipString(buf, at);
      if (at < 0) return -1;
      continue;
    }
    if (b === OPEN_BRACE || b === OPEN_BRACKET) open.push(b);
    else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      if (open.pop() !== (b === CLOSE_BRACE ? OPEN_BRACE : OPEN_BRACKET)) return -1;
      if (open.length === 0) return at + 1;
    }
    at++;
  }
  return -1;
}

/** Index of the first byte at or after `at` that is not JSON whitespace. */
export function skipSpace(buf: Buffer, at: number): number {
  let i = at;
  while (isSpace(buf[i])) i++;
  return i;
}

export interface ScannedString extends ValueSpan {
  value: string;
}

/** Byte offsets of a value in a buffer (inclusive start, exclusive end). */
export interface ValueSpan {
  start: number;
  end: number;
}

/**
 * Where the value of `key` sits when it is a top-level key of the JSON object in `buf` (any JSON
 * value); undefined when the key is absent or the text is not a JSON object.
 */
export function topLevelValue(buf: Buffer, key: string): ValueSpan | undefined {
  let at = skipSpace(buf, 0);
  if (buf[at] !== OPEN_BRACE) return undefined;
  at = skipSpace(buf, at + 1);
  const wanted = JSON.stringify(key);
  const wantedBytes = Buffer.byteLength(wanted);
  while (at < buf.length && buf[at] === QUOTE) {
    const keyEnd = skipString(buf, at);
    if (keyEnd < 0) return undefined;
    const isWanted = keyEnd - at === wantedBytes && buf.toString('utf8', at, keyEnd) === wanted;
    at = skipSpace(buf, keyEnd);
    if (buf[at] !== COLON) return undefined;
    at = skipSpace(buf, at + 1);
    const valueEnd = skipValue(buf, at);
    if (valueEnd < 0) return undefined;
    if (isWanted) return { start: at, end: valueEnd };
    at = skipSpace(buf, valueEnd);
    if (buf[at] !== COMMA) return undefined;
    at = skipSpace(buf, at + 1);
  }
  return undefined;
}

/** The parsed value of top-level `key`, without parsing the rest of `buf`; undefined when absent or malformed. */
export function topLevelJson(buf: Buffer, key: string): unknown {
  const span = topLevelValue(buf, key);
  return span ? parseSpan(buf, span) : undefined;
}

/** How far from the end lastTopLevelJson looks for its key (a usage object with details is ~400 bytes). */
export const LAST_KEY_WINDOW = 2048;
/** Key tokens (`"usage"`) by key, encoded once. */
const keyTokens = new Map<string, Buffer>();

/** The token `"key"` as bytes, encoded once per key. */
export function keyToken(key: string): Buffer {
  let token = keyTokens.get(key);
  if (token === undefined) {
    token = Buffer.from(JSON.stringify(key));
    if (keyTokens.size < 64) keyTokens.set(key, token);
  }
  return token;
}

/**
 * The value of `key` when it is the last key of the top-level object, found with one search of
 * the text's last LAST_KEY_WINDOW bytes; NOT_LAST otherwise. A `"key"` token after `{` or `,`
 * and before `:` is a key (quotes inside strings are escaped), and when its value is followed
 * only by the closing brace that ends the text, the object it belongs to is the top-level one.
 * Only the tail is searched: a byte search of a whole JSON text for a quoted token stops at every
 * quote (~35 µs for a 39 KB Codex request), and a last key sits at the end. Only for a whole
 * text: in a text cut short, a nested key can look like the last one.
 */
export function lastKeyJson(buf: Buffer, key: string): unknown {
  const token = keyToken(key);
  const from = Math.max(0, buf.length - LAST_KEY_WINDOW);
  const inTail = (from === 0 ? buf : buf.subarray(from)).lastIndexOf(token);
  if (inTail < 0) return NOT_LAST;
  const at = from + inTail;
  let before = at - 1;
  while (before > 0 && isSpace(buf[before])) before--;
  // a key follows `{` or `,` (an escaped quote inside a string follows a backslash)
  if (at > 0 && (buf[before] === OPEN_BRACE || buf[before] === COMMA)) {
    let i = skipSpace(buf, at + token.length);
    if (buf[i] === COLON) {
      const start = skipSpace(buf, i + 1);
      const end = skipValue(buf, start);
      if (end > start) {
        i = skipSpace(buf, end);
        if (buf[i] === CLOSE_BRACE && skipSpace(buf, i + 1) === buf.length) return parseSpan(buf, { start, end });
      }
    }
  }
  return NOT_LAST;
}

/** lastKeyJson's answer when the key is not the top-level object's last one (or is absent). */
export const NOT_LAST: unique symbol = Symbol('not the last key');

/**
 * topLevelJson for a key that is usually the object's last (`usage` in an API answer): looked for
 * at the end first (lastKeyJson), else by the scan from the start.
 */
export function lastTopLevelJson(buf: Buffer, key: string): unknown {
  const last = lastKeyJson(buf, key);
  return last === NOT_LAST ? topLevelJson(buf, key) : last;
}

function parseSpan(buf: Buffer, span: ValueSpan): unknown {
  try {
    return JSON.parse(buf.toString('utf8', span.start, span.end));
  } catch {
    return undefined;
  }
}

/**
 * The value of `key` when it is a top-level string of the JSON object in `buf`; undefined when
 * the key is absent, not a string, or the text is not a JSON object.
 */
export function topLevelString(buf: Buffer, key: string): ScannedString | undefined {
  const span = topLevelValue(buf, key);
  if (!span || buf[span.start] !== QUOTE) return undefined;
  const value = parseSpan(buf, span);
  return typeof value === 'string' ? { value, start: span.start, end: span.end } : undefined;
}

/** Whether the value after the key that ends at `at` (its closing quote) is `null`: `"key" : null`. */
export function nullAfterKey(buf: Buffer, at: number): boolean {
  let i = skipSpace(buf, at);
  if (buf[i] !== COLON) return false; // not a key after all
  i = skipSpace(buf, i + 1);
  return buf.toString('latin1', i, i + 4) === 'null';
}

/** `buf` with the string value at `found` replaced by `value` (JSON-escaped). */
export function replaceString(buf: Buffer, found: ScannedString, value: string): Buffer {
  return Buffer.concat([buf.subarray(0, found.start), Buffer.from(JSON.stringify(value)), buf.subarray(found.end)]);
}
