// Finding SSE event boundaries in raw bytes, without decoding them. Blank lines are ASCII and never
// part of a multi-byte UTF-8 character, so a byte search is exact. Only LF and CRLF line endings
// are seen here; a stream with bare CR endings has to be decoded as text (SseDecoder).

const LF = 0x0a;
const CR = 0x0d;
const LF_LF = Buffer.from('\n\n');
const LF_CRLF = Buffer.from('\n\r\n');

/** Index just after the last blank line in `bytes` (the end of the last complete event), or -1. */
export function afterLastEvent(bytes: Buffer): number {
  const lf = bytes.lastIndexOf(LF_LF);
  // A CRLF blank line counts only after the last LF one: only that tail is searched (a backward
  // search of a whole LF-only stream for a pattern it lacks costs more than the rest of this).
  const from = lf < 0 ? 0 : lf + 1; // "\n\n\r\n": the CRLF blank line starts at the second LF
  const crlf = (from === 0 ? bytes : bytes.subarray(from)).lastIndexOf(LF_CRLF);
  return crlf >= 0 ? from + crlf + 3 : lf < 0 ? -1 : lf + 2;
}

/**
 * The end of the event that starts at `from` (just after its blank line, LF or CRLF), or `end`
 * when no blank line comes before `end`.
 */
export function eventEnd(bytes: Buffer, from: number, end: number): number {
  for (let lf = bytes.indexOf(LF, from); lf >= 0 && lf < end; lf = bytes.indexOf(LF, lf + 1)) {
    const next = bytes[lf + 1] === LF ? lf + 2 : bytes[lf + 1] === CR && bytes[lf + 2] === LF ? lf + 3 : -1;
    if (next >= 0 && next <= end) return next;
  }
  return end;
}

const DATA_FIELD = [0x64, 0x61, 0x74, 0x61, 0x3a]; // "data:"
const SPACE = 0x20;

/**
 * The data of the raw event bytes[start, end) when it is one `data:` line and its blank line
 * (`data: <text>\n\n`, nothing else): the form of nearly every event of a Chat stream. Anything
 * else (an `event:` or `id:` line, a comment, several data lines, empty data) gives undefined and
 * is left to the full SSE decoder. Like the rest of this file it sees LF line endings only:
 * `bytes` must hold no CR (a CR would end the line; a chunk with one is decoded as text). The CR is
 * not searched for here: a search to the end of `bytes` for every event would cost time
 * quadratic in the chunk's size.
 */
export function singleDataLine(bytes: Buffer, start: number, end: number): string | undefined {
  if (end - start < DATA_FIELD.length + 3 || bytes[end - 1] !== LF || bytes[end - 2] !== LF) return undefined;
  for (let i = 0; i < DATA_FIELD.length; i++) if (bytes[start + i] !== DATA_FIELD[i]) return undefined;
  const from = start + DATA_FIELD.length + (bytes[start + DATA_FIELD.length] === SPACE ? 1 : 0);
  const to = end - 2;
  if (to <= from || bytes.indexOf(LF, from) !== to) return undefined;
  return bytes.toString('utf8', from, to);
}
