// Long values lifted out of a request before it is parsed, and the client's own bytes spliced
// back after conversion. A coder's request is mostly long texts (prompts, file contents, tool
// output) that a converter only moves: decoding, parsing, re-escaping and re-encoding them costs
// far more than the conversion itself. Lifted, each such string is a short marker while the rest
// is parsed and converted as usual; the serialised result gets the original bytes back (still
// JSON-escaped, so they drop into the output string as they are). Objects a converter passes on
// unread (a tool's parameter schema) can be lifted whole the same way.
//
// Only values at the paths a converter declares (its LiftRule) are lifted: there it copies strings
// into output strings, possibly joined with others, and tests them for nothing but emptiness.
// What the markers cannot stand in for is refused, never guessed:
// - a string with no visible character among its first bytes stays (a marker is never
//   whitespace-only, the text might be; trim() would disagree);
// - `unlessStartsWith` keeps strings a converter tests for a prefix, `visibleEnd` strings that
//   might end in whitespace (for a converter that trims the end);
// - a marker that comes out re-escaped (a converter serialised it into another JSON text) or an
//   object marker read into makes spliceLifted answer undefined, and the caller converts the
//   whole parsed body instead.
// Lifted bytes are not validated as JSON (a string's escapes, an object's insides): a malformed
// one reaches the upstream, which answers 400, where the unlifted path answers 400 itself. A
// lifted value ends where its literal does (skipString; skipValue matches each bracket), so it
// cannot take in the JSON around it. What lifted bytes keep as the client wrote them: escapes
// (`\/`, `\u00e9`), and in an object lifted whole its number literals (`1e400`, `1.0`, integers
// beyond 2^53, which JSON.parse would turn into null, 1 and a rounded number), key order and
// repeated keys: the upstream gets them as it would in passthrough.

import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  skipSpace,
  skipString,
  skipValue,
} from './json-scan.js';

/** Conditions on a string's bytes, for converters that test more than emptiness. */
export interface StringRule {
  /** Not a string that starts with this (ASCII) text, or might, written with escapes. */
  readonly unlessStartsWith?: string;
  /** Only a string whose last character is certainly not whitespace (trimEnd() would keep it whole). */
  readonly visibleEnd?: boolean;
}

/** Where a converter copies strings verbatim; a node applies to the value at its position. */
export interface LiftRule {
  /** The value here may be lifted when it is a string (that meets the StringRule). */
  readonly string?: true | StringRule;
  /**
   * The value here may be lifted whole when it is an object: the converter passes the object on
   * by reference and reads nothing in it (it sees `{"\u0000": marker}`: one key, always the same,
   * so every request's stand-ins share one hidden class; a key made of the marker would give each
   * request new ones, which only a full garbage collection clears).
   */
  readonly object?: true;
  /**
   * The value here, when an array, is lifted whole however short it is, and its marker number
   * listed in LiftedJson.wholes: for a value the caller converts apart and splices back converted
   * (Converter.tools). The converter sees the same stand-in as for a lifted object.
   */
  readonly whole?: true;
  /** When the value here is an array: the rule for each element. */
  readonly items?: LiftRule;
  /** When the value here is an object: the rules for these keys (others are skipped). */
  readonly keys?: Readonly<Record<string, LiftRule>>;
}

/** A LiftRule made ready for the walk (keys as bytes, by length). Plan each rule once, up front. */
export interface LiftPlan {
  readonly string: LiftRule['string'];
  readonly object: boolean;
  readonly whole: boolean;
  readonly items: LiftPlan | undefined;
  /** By key length in bytes: each key's bytes and its plan. */
  readonly keys: ReadonlyArray<ReadonlyArray<readonly [Buffer, LiftPlan]> | undefined> | undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The plan for `rule` (rules may refer to themselves: a tree of any depth). */
export function planLift(rule: LiftRule, planned = new Map<LiftRule, LiftPlan>()): LiftPlan {
  const known = planned.get(rule);
  if (known !== undefined) return known;
  const plan: Mutable<LiftPlan> = {
    string: rule.string,
    object: rule.object === true,
    whole: rule.whole === true,
    items: undefined,
    keys: undefined,
  };
  planned.set(rule, plan);
  if (rule.items !== undefined) plan.items = planLift(rule.items, planned);
  if (rule.keys !== undefined) {
    const byLength: Array<Array<readonly [Buffer, LiftPlan]>> = [];
    for (const [key, sub] of Object.entries(rule.keys)) {
      const bytes = Buffer.from(key, 'utf8');
      byLength[bytes.length] ??= [];
      byLength[bytes.length]!.push([bytes, planLift(sub, planned)]);
    }
    plan.keys = byLength;
  }
  return plan;
}

export interface LiftOptions {
  /** Strings shorter than this many bytes (escaped, between the quotes) stay in place. */
  minBytes: number;
  /** Letters and digits, unique to this process, that mark a lifted string (see liftMarker). */
  tag: string;
  /**
   * Where the array a `whole` rule lifts at `at` ends, when the caller knows it without a scan
   * (bytes it has seen before as one whole value: the same bytes end in the same place); else
   * undefined and the walk scans it.
   */
  wholeEnd?: ((buf: Buffer, at: number) => number | undefined) | undefined;
}

export interface LiftedJson {
  /** The JSON text with each lifted string's contents replaced by its marker. */
  readonly text: string;
  /** By marker number: a lifted string's bytes between its quotes (still JSON-escaped), or a lifted object's bytes. */
  readonly raws: readonly Buffer[];
  /** By marker number: whether it stands for a whole object (or array). */
  readonly objects: readonly boolean[];
  /** The marker numbers of the arrays lifted by a `whole` rule, in the order of the text. */
  readonly wholes: readonly number[];
  readonly tag: string;
}

/** What the converter sees instead of lifted string `n`: NUL, tag, `:n`, NUL (never valid text a client would send). */
export const liftMarker = (tag: string, n: number): string => `\u0000${tag}:${n}\u0000`;

interface Walk {
  readonly buf: Buffer;
  readonly options: LiftOptions;
  readonly parts: string[];
  readonly raws: Buffer[];
  readonly objects: boolean[];
  readonly wholes: number[];
  /** Bytes before this offset are in `parts` already. */
  copied: number;
}

/**
 * `buf` (a JSON object's or array's text) with the long strings (and objects) at `rule`'s paths replaced by
 * markers; undefined when none qualifies or the text is not well-formed where the walk reads it.
 */
export function liftStrings(buf: Buffer, rule: LiftPlan, options: LiftOptions): LiftedJson | undefined {
  const walk: Walk = { buf, options, parts: [], raws: [], objects: [], wholes: [], copied: 0 };
  const start = skipSpace(buf, 0);
  if (buf[start] !== OPEN_BRACE && buf[start] !== OPEN_BRACKET) return undefined;
  const end = walkValue(walk, start, rule);
  if (end < 0 || walk.raws.length === 0 || skipSpace(buf, end) !== buf.length) return undefined;
  walk.parts.push(buf.toString('utf8', walk.copied));
  const { raws, objects, wholes } = walk;
  return { text: walk.parts.join(''), raws, objects, wholes, tag: options.tag };
}

/** Whether `value` (read from the parsed text) is the stand-in of lifted object or `whole` array `n`, as lifted. */
export function isStandIn(value: unknown, lifted: LiftedJson, n: number): boolean {
  if (typeof value !== 'object' || value === null || lifted.objects[n] !== true) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '\u0000' && Reflect.get(value, '\u0000') === liftMarker(lifted.tag, n);
}

/** `lifted` with marker `n` standing for `bytes` instead of the client's own: spliced in their place. */
export function withRaw(lifted: LiftedJson, n: number, bytes: Buffer): LiftedJson {
  const raws = lifted.raws.slice();
  raws[n] = bytes;
  return { ...lifted, raws };
}

/** Index just past the value at `at`, lifting what `rule` allows; -1 when malformed. */
function walkValue(walk: Walk, at: number, rule: LiftPlan): number {
  const first = walk.buf[at];
  if (first === QUOTE) {
    const end = skipString(walk.buf, at);
    if (end > 0 && rule.string !== undefined && liftable(walk, at + 1, end - 1, rule.string)) {
      lift(walk, at + 1, end - 1, false);
    }
    return end;
  }
  if (first === OPEN_BRACE && rule.object) {
    const end = skipValue(walk.buf, at);
    if (end - at >= walk.options.minBytes) lift(walk, at, end, true);
    return end;
  }
  if (first === OPEN_BRACKET && rule.whole) {
    const end = walk.options.wholeEnd?.(walk.buf, at) ?? skipValue(walk.buf, at);
    if (end > 0) {
      walk.wholes.push(walk.raws.length);
      lift(walk, at, end, true);
    }
    return end;
  }
  if (first === OPEN_BRACKET && rule.items !== undefined) return walkArray(walk, at, rule.items);
  if (first === OPEN_BRACE && rule.keys !== undefined) return walkObject(walk, at, rule.keys);
  return skipValue(walk.buf, at);
}

function walkArray(walk: Walk, at: number, items: LiftPlan): number {
  const { buf } = walk;
  let i = skipSpace(buf, at + 1);
  if (buf[i] === CLOSE_BRACKET) return i + 1;
  for (;;) {
    i = walkValue(walk, i, items);
    if (i < 0) return -1;
    i = skipSpace(buf, i);
    if (buf[i] !== COMMA) return buf[i] === CLOSE_BRACKET ? i + 1 : -1;
    i = skipSpace(buf, i + 1);
  }
}

function walkObject(walk: Walk, at: number, keys: NonNullable<LiftPlan['keys']>): number {
  const { buf } = walk;
  let i = skipSpace(buf, at + 1);
  if (buf[i] === CLOSE_BRACE) return i + 1;
  for (;;) {
    if (buf[i] !== QUOTE) return -1;
    const keyEnd = skipString(buf, i);
    if (keyEnd < 0) return -1;
    const rule = planFor(keys, buf, i + 1, keyEnd - 1);
    i = skipSpace(buf, keyEnd);
    if (buf[i] !== COLON) return -1;
    i = skipSpace(buf, i + 1);
    i = rule === undefined ? skipValue(buf, i) : walkValue(walk, i, rule);
    if (i < 0) return -1;
    i = skipSpace(buf, i);
    if (buf[i] !== COMMA) return buf[i] === CLOSE_BRACE ? i + 1 : -1;
    i = skipSpace(buf, i + 1);
  }
}

/** The plan for the key in buf[from, to); a key written with escapes never matches (it is then left alone). */
function planFor(keys: NonNullable<LiftPlan['keys']>, buf: Buffer, from: number, to: number): LiftPlan | undefined {
  const candidates = keys[to - from];
  if (candidates === undefined) return undefined;
  next: for (const [bytes, plan] of candidates) {
    for (let i = 0; i < bytes.length; i++) if (buf[from + i] !== bytes[i]) continue next;
    return plan;
  }
  return undefined;
}

function liftable(walk: Walk, from: number, to: number, spec: true | StringRule): boolean {
  const { buf } = walk;
  if (to - from < walk.options.minBytes) return false;
  if (!startsVisibly(buf, from, to)) return false;
  if (spec === true) return true;
  if (spec.visibleEnd === true && !endsVisibly(buf, from, to)) return false;
  const prefix = spec.unlessStartsWith;
  if (prefix === undefined) return true;
  const head = buf.toString('latin1', from, Math.min(to, from + prefix.length));
  return !head.includes('\\') && head !== prefix;
}

/**
 * Whether the last character of the string contents buf[from, to) is certainly not whitespace:
 * printable ASCII written as itself, or an escaped quote, backslash or slash. A \uXXXX escape
 * or a non-ASCII character might be a Unicode space: not certain.
 */
function endsVisibly(buf: Buffer, from: number, to: number): boolean {
  const last = buf[to - 1]!;
  if (last <= 0x20 || last >= 0x7f) return false;
  let slashes = 0;
  for (let i = to - 2; i >= from && buf[i] === BACKSLASH; i--) slashes++;
  if (slashes % 2 === 1) return !BLANK_ESCAPES.has(last); // the letter of an escape: \" \\ \/ \b are visible
  return !(to - 6 >= from && buf[to - 6] === BACKSLASH && buf[to - 5] === 0x75); // the end of a \uXXXX (conservatively)
}

/** Escapes that may stand for whitespace (JavaScript's trim() takes \f and Unicode spaces too). */
const BLANK_ESCAPES = new Set([0x6e, 0x72, 0x74, 0x66, 0x75]); // n r t f u
const VISIBLE_WITHIN = 64;

/**
 * Whether one of the first bytes of the string contents buf[from, to) is certainly not
 * whitespace: printable ASCII, or an escape of a quote, backslash, slash or \b. Leading blanks
 * (a Read tool's numbered lines start with spaces) are skipped; a non-ASCII character might be
 * a Unicode space and is skipped too.
 */
function startsVisibly(buf: Buffer, from: number, to: number): boolean {
  const end = Math.min(to, from + VISIBLE_WITHIN);
  for (let i = from; i < end; i++) {
    const b = buf[i]!;
    if (b === BACKSLASH) {
      if (!BLANK_ESCAPES.has(buf[i + 1]!)) return true;
      i += buf[i + 1] === 0x75 ? 5 : 1;
    } else if (b > 0x20 && b < 0x7f) return true;
  }
  return false;
}

const ESCAPED_NUL = '\\u0000';
/** A lifted object's stand-in around its marker, as JSON text: `{"\u0000":"<marker>"}`. */
const OBJECT_KEY = `"${ESCAPED_NUL}"`;
const OBJECT_OPEN = `{${OBJECT_KEY}:"`;
const OBJECT_CLOSE = '"}';

function lift(walk: Walk, from: number, to: number, object: boolean): void {
  walk.parts.push(walk.buf.toString('utf8', walk.copied, from));
  // the escaped form of liftMarker(): a string's contents, or the value of an object's NUL key
  const marker = `\\u0000${walk.options.tag}:${walk.raws.length}\\u0000`;
  walk.parts.push(object ? `${OBJECT_OPEN}${marker}${OBJECT_CLOSE}` : marker);
  walk.raws.push(walk.buf.subarray(from, to));
  walk.objects.push(object);
  walk.copied = to;
}

/**
 * The converted body's JSON text (from JSON.stringify) as bytes, each marker replaced by the
 * lifted value's own bytes (or what withRaw put in their place). Undefined when a marker appears
 * in any other form than the one it was lifted in (a string's contents, an object stand-in's
 * value): serialised twice, read into, or with an unknown number, or when the text holds any
 * other escaped NUL (a stand-in's key read and copied, or a NUL the client wrote itself: rare,
 * and then the whole path is exact). The caller then converts without lifting.
 */
export function spliceLifted(json: string, lifted: LiftedJson): Buffer | undefined {
  const needle = `${lifted.tag}:`;
  // [start, end, lifted number] of each marker's escaped form in `json`
  const found: number[] = [];
  let size = 0;
  let objects = 0;
  for (let at = json.indexOf(needle); at >= 0; at = json.indexOf(needle, at + needle.length)) {
    let open = at - ESCAPED_NUL.length;
    if (!json.startsWith(ESCAPED_NUL, open) || !isEscapeStart(json, open)) return undefined;
    let end = at + needle.length;
    let n = 0;
    for (let c = json.charCodeAt(end); c >= 0x30 && c <= 0x39; c = json.charCodeAt(++end)) n = n * 10 + (c - 0x30);
    if (end === at + needle.length || n >= lifted.raws.length || !json.startsWith(ESCAPED_NUL, end)) return undefined;
    end += ESCAPED_NUL.length;
    if (lifted.objects[n] === true) {
      // `{"\u0000":"<marker>"}` as a whole; anywhere else the converter read into it
      if (!json.startsWith(OBJECT_OPEN, open - OBJECT_OPEN.length) || !json.startsWith(OBJECT_CLOSE, end))
        return undefined;
      open -= OBJECT_OPEN.length;
      end += OBJECT_CLOSE.length;
      objects++;
    }
    if (open < (found.at(-2) ?? 0)) return undefined; // overlaps the marker before
    found.push(open, end, n);
    size += lifted.raws[n]!.length - (end - open); // markers are ASCII: as many bytes as characters
  }
  // Every escaped NUL must belong to a marker (two each) or a stand-in's key: the converter did
  // not copy a stand-in's key anywhere else (alone, or inside a longer string).
  const markers = found.length / 3;
  if (occurrences(json, ESCAPED_NUL) !== 2 * markers + objects) return undefined;
  const out = Buffer.allocUnsafe(Buffer.byteLength(json, 'utf8') + size);
  let written = 0;
  let copied = 0;
  const text = (to: number) => {
    if (to > copied) written += out.write(json.slice(copied, to), written, 'utf8');
  };
  for (let i = 0; i < found.length; i += 3) {
    text(found[i]!);
    written += lifted.raws[found[i + 2]!]!.copy(out, written);
    copied = found[i + 1]!;
  }
  text(json.length);
  return written === out.length ? out : out.subarray(0, written);
}

/** How many times `needle` occurs in `text` (not overlapping). */
function occurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

/** Whether the backslash at `at` starts an escape (an even number of backslashes precede it). */
function isEscapeStart(json: string, at: number): boolean {
  let before = 0;
  for (let i = at - 1; i >= 0 && json.charCodeAt(i) === BACKSLASH; i--) before++;
  return before % 2 === 0;
}
