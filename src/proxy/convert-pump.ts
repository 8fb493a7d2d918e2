import { TextDecoder } from 'node:util';
import type { StreamConverter, UsageSummary } from '../formats/convert/types.js';
import type { NormalizedError } from '../formats/errors/error-kinds.js';
import { ByteSink } from '../formats/sse/byte-sink.js';
import { SseDecoder } from '../formats/sse/decode.js';
import { encodeFrame, encodeFrames } from '../formats/sse/encode.js';
import { afterLastEvent, eventEnd, singleDataLine } from '../formats/sse/raw-events.js';
import type { SseFrame } from '../formats/sse/types.js';
import { OutputSlab } from './output-slab.js';
import { eventSignature } from './provenance.js';
import type { Pump } from './pump.js';

/** Where converted chunks are written (shared by every stream: one chunk is converted at a time). */
const slab = new OutputSlab();
/** Past this, an unfinished event stops the raw lane (the text decoder takes it in pieces instead). */
const MAX_RAW_PENDING = 256 * 1024;
const LF = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Different formats: upstream events are converted and re-encoded for the client. Complete events
 * are offered to the converter as raw bytes first (its fast lane copies plain text deltas without
 * decoding them); the others are decoded and converted one by one. A stream with CR line endings,
 * or an event too long to hold, switches the pump to decoding everything as text.
 */
export class ConvertPump implements Pump {
  readonly mirrors = false;
  readonly signatures: string[] = [];
  /** Made on first use: a stream whose events are all one `data:` line never needs them. */
  #decoder: SseDecoder | undefined;
  #text: TextDecoder | undefined;
  /** Events were converted without the SSE decoder (singleDataLine): the stream's start is behind it. */
  #pastStart = false;
  /** In raw mode the pump drops a leading byte order mark itself; the decoder must keep any later one. */
  readonly #ignoreBom: boolean;
  /** Raw lane: chunks of an event not complete yet, in order (joined once it is). */
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #raw: boolean;
  /** Raw lane: whether a leading byte order mark may still be on its way. */
  #atStart = true;

  constructor(readonly converter: StreamConverter) {
    this.#raw = converter.pushRaw !== undefined;
    this.#ignoreBom = this.#raw;
  }

  get sawContent(): boolean {
    return this.converter.sawContent;
  }
  get upstreamError(): NormalizedError | undefined {
    return this.converter.upstreamError;
  }
  get finished(): boolean {
    return this.converter.finished;
  }
  get usage(): UsageSummary | undefined {
    return this.converter.usage;
  }

  chunk(buf: Buffer): Buffer | string | undefined {
    if (!this.#raw) return this.#convertText(this.#textDecoder().decode(buf, { stream: true })) || undefined;
    if (this.#atStart) {
      // a byte order mark is dropped (as TextDecoder would), also when it arrives split
      const bytes = this.#takePending(buf);
      if (bytes.length < BOM.length && BOM.subarray(0, bytes.length).equals(bytes)) {
        this.#hold(bytes);
        return undefined;
      }
      this.#atStart = false;
      buf = bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2] ? bytes.subarray(BOM.length) : bytes;
    }
    if (buf.includes(CR)) return this.#leaveRaw(this.#takePending(buf));
    // The end of the last complete event: a blank line inside buf, or one that straddles the
    // pending bytes and buf. Only buf is searched: an event arriving in many pieces costs linear time.
    let cut = afterLastEvent(buf);
    if (cut < 0 && buf[0] === LF && this.#pendingEndsWithLf()) cut = 1;
    if (cut < 0) {
      this.#hold(buf);
      return this.#pendingBytes > MAX_RAW_PENDING ? this.#leaveRaw(this.#takePending()) : undefined;
    }
    const before = this.#pendingBytes;
    const bytes = this.#takePending(buf);
    cut += before;
    if (cut < bytes.length) this.#hold(Buffer.from(bytes.subarray(cut))); // a copy: pending bytes do not keep the chunk
    const room = slab.reserve(cut + 512);
    const out = new ByteSink(room);
    const converter = this.converter;
    let at = converter.pushRaw!(bytes, 0, cut, out);
    while (at < cut) {
      // the event the fast lane did not take: decoded, and converted on the full path
      const next = eventEnd(bytes, at, cut);
      const data = singleDataLine(bytes, at, next);
      if (data !== undefined) {
        this.#pastStart = true;
        this.#encode(converter.push({ data }), out);
      } else out.text(this.#convertText(bytes.toString('utf8', at, next)));
      at = converter.pushRaw!(bytes, next, cut, out);
    }
    const taken = out.take();
    // bytes the sink grew into are in a buffer of their own: then nothing of `room` is kept
    slab.keep(room, taken?.buffer === room.buffer ? taken.length : 0);
    return taken;
  }

  #hold(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
  }

  /** The pending bytes, followed by `buf`, as one Buffer; nothing is pending afterwards. */
  #takePending(buf?: Buffer): Buffer {
    if (this.#pendingBytes === 0 && buf !== undefined) return buf;
    const parts = buf === undefined ? this.#pending : [...this.#pending, buf];
    this.#pending = [];
    this.#pendingBytes = 0;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  #pendingEndsWithLf(): boolean {
    const last = this.#pending.at(-1);
    return last !== undefined && last[last.length - 1] === LF;
  }

  /** From here on every byte is decoded and parsed as text (the decoder is between events now). */
  #leaveRaw(bytes: Buffer): string | undefined {
    this.#raw = false;
    return this.#convertText(this.#textDecoder().decode(bytes, { stream: true })) || undefined;
  }

  #textDecoder(): TextDecoder {
    this.#text ??= new TextDecoder('utf-8', { ignoreBOM: this.#ignoreBom });
    return this.#text;
  }

  #convertText(text: string): string {
    if (text === '' && this.#decoder === undefined) return '';
    if (this.#decoder === undefined) {
      this.#decoder = new SseDecoder();
      // The parser treats the first text it is fed as the stream's start (it drops a byte order
      // mark there); made after events went past it, it is told the start is behind it.
      if (this.#pastStart) this.#decoder.feed('');
    }
    let out = '';
    for (const event of this.#decoder.feed(text)) out += this.#encode(this.converter.push(event));
    return out;
  }

  /** The frames as SSE text, or written into `sink` (then '' is returned). Signatures are noted on the way. */
  #encode(frames: SseFrame[], sink?: ByteSink): string {
    let out = '';
    for (const frame of frames) {
      if (frame.event === 'content_block_delta' || frame.event === 'content_block_start') {
        const signature = eventSignature(frame.data);
        if (signature) this.signatures.push(signature);
      }
      if (sink === undefined) out += encodeFrame(frame);
      else sink.text(encodeFrame(frame));
    }
    return out;
  }

  end(): string | undefined {
    const text = this.#pendingBytes > 0 || this.#text !== undefined ? this.#textDecoder() : undefined;
    const rest = this.#pendingBytes === 0 ? '' : text!.decode(this.#takePending(), { stream: true });
    let out = this.#convertText(rest + (text?.decode() ?? ''));
    for (const event of this.#decoder?.end() ?? []) out += this.#encode(this.converter.push(event));
    out += this.#encode(this.converter.end());
    return out || undefined;
  }

  fail(error: NormalizedError): string | undefined {
    return encodeFrames(this.converter.fail(error)) || undefined;
  }
}
