import type { StreamConverter, UsageSummary } from '../formats/convert/types.js';
import type { NormalizedError } from '../formats/errors/error-kinds.js';
import { ByteSink } from '../formats/sse/byte-sink.js';
import { SseDecoder } from '../formats/sse/decode.js';
import { encodeFrames } from '../formats/sse/encode.js';
import { afterLastEvent, eventEnd } from '../formats/sse/raw-events.js';
import type { SseFrame } from '../formats/sse/types.js';
import { eventSignature } from './provenance.js';
import type { Pump } from './pump.js';

/** Past this, an unfinished event stops the raw lane (each chunk would copy and rescan it). */
const MAX_RAW_TAIL = 256 * 1024;
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
  readonly #decoder = new SseDecoder();
  readonly #text = new TextDecoder();
  /** Raw lane: the bytes after the last complete event, waiting for the rest of it. */
  #tail: Buffer | undefined;
  #raw: boolean;
  #first = true;

  constructor(readonly converter: StreamConverter) {
    this.#raw = converter.pushRaw !== undefined;
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
    if (this.#first) {
      this.#first = false;
      if (buf.subarray(0, 3).equals(BOM)) buf = buf.subarray(3); // as TextDecoder would drop it
    }
    if (!this.#raw) return this.#convertText(this.#text.decode(buf, { stream: true })) || undefined;
    const bytes = this.#tail === undefined ? buf : Buffer.concat([this.#tail, buf]);
    this.#tail = undefined;
    if (buf.includes(CR)) return this.#leaveRaw(bytes);
    const cut = afterLastEvent(bytes);
    if (cut < 0) {
      if (bytes.length > MAX_RAW_TAIL) return this.#leaveRaw(bytes);
      this.#tail = bytes;
      return undefined;
    }
    if (cut < bytes.length) this.#tail = Buffer.from(bytes.subarray(cut)); // a copy: the chunk is not kept
    const out = new ByteSink(cut + 512);
    const converter = this.converter;
    for (let at = 0, next = 0; at < cut; at = next) {
      next = eventEnd(bytes, at, cut);
      if (!converter.pushRaw!(bytes, at, next, out)) out.text(this.#convertText(bytes.toString('utf8', at, next)));
    }
    return out.take();
  }

  /** From here on every byte is decoded and parsed as text (the decoder is between events now). */
  #leaveRaw(bytes: Buffer): string | undefined {
    this.#raw = false;
    return this.#convertText(this.#text.decode(bytes, { stream: true })) || undefined;
  }

  #convertText(text: string): string {
    let out = '';
    for (const event of this.#decoder.feed(text)) out += this.#encode(this.converter.push(event));
    return out;
  }

  #encode(frames: SseFrame[]): string {
    for (const frame of frames) {
      if (frame.event === 'content_block_delta' || frame.event === 'content_block_start') {
        const signature = eventSignature(frame.data);
        if (signature) this.signatures.push(signature);
      }
    }
    return encodeFrames(frames);
  }

  end(): string | undefined {
    const rest = this.#tail === undefined ? '' : this.#text.decode(this.#tail, { stream: true });
    this.#tail = undefined;
    let out = this.#convertText(rest + this.#text.decode());
    for (const event of this.#decoder.end()) out += this.#encode(this.converter.push(event));
    out += this.#encode(this.converter.end());
    return out || undefined;
  }

  fail(error: NormalizedError): string | undefined {
    return encodeFrames(this.converter.fail(error)) || undefined;
  }
}
