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
  const crlf = bytes.lastIndexOf(LF_CRLF);
  return Math.max(lf < 0 ? -1 : lf + 2, crlf < 0 ? -1 : crlf + 3);
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
