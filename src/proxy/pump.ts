import type { ApiFormat } from '../formats/api-format.js';
import type { StreamConverter, UsageSummary } from '../formats/convert/types.js';
import type { NormalizedError } from '../formats/errors/error-kinds.js';
import { openaiErrorCode, streamErrorFrames } from '../formats/errors/render-error.js';
import { SseDecoder } from '../formats/sse/decode.js';
import { encodeFrame, encodeFrames } from '../formats/sse/encode.js';
import type { SseEvent, SseFrame } from '../formats/sse/types.js';
import { foldStreamUsage, streamSignal } from '../formats/stream-signals.js';
import { eventSignature } from './provenance.js';

/**
 * Turns upstream stream chunks into bytes for the client and tracks what the stream has said so
 * far: content seen (commits the response), an error reported inside the 200, its normal end, usage.
 */
export interface Pump {
  chunk(buf: Buffer): Buffer | string | undefined;
  /** The upstream body ended; returns closing bytes (conversion closes open blocks). */
  end(): string | undefined;
  /** The transport failed after the response began: bytes that end the client's stream with an error. */
  fail(error: NormalizedError): string | undefined;
  readonly sawContent: boolean;
  readonly upstreamError: NormalizedError | undefined;
  readonly finished: boolean;
  readonly usage: UsageSummary | undefined;
  /** Thinking signatures sent to an Anthropic client, so their origin can be recognised later. */
  readonly signatures: string[];
  /** The output of chunk() is its input (passthrough): the relay may send before inspecting. */
  readonly mirrors: boolean;
}

/** Same format both sides: bytes go through untouched; events are only inspected. */
export class PassthroughPump implements Pump {
  readonly mirrors = true;
  sawContent = false;
  upstreamError: NormalizedError | undefined;
  finished = false;
  usage: UsageSummary | undefined;
  readonly signatures: string[] = [];
  readonly #decoder = new SseDecoder();
  readonly #text = new TextDecoder();
  #lastSequence = -1;
  #responseId: string | undefined;

  constructor(readonly format: ApiFormat) {}

  chunk(buf: Buffer): Buffer {
    for (const event of this.#decoder.feed(this.#text.decode(buf, { stream: true }))) this.#inspect(event);
    return buf;
  }

  #inspect(event: SseEvent): void {
    const signal = streamSignal(this.format, event);
    if (signal.kind === 'content') {
      this.sawContent = true;
      if (signal.ends) this.finished = true;
    } else if (signal.kind === 'error') this.upstreamError ??= signal.error;
    else if (signal.kind === 'end') this.finished = true;
    this.usage = foldStreamUsage(this.format, event, this.usage);
    if (this.format === 'openai_responses') this.#trackResponses(event.data);
    if (
      this.format === 'anthropic_messages' &&
      (event.data.includes('"signature_delta"') || event.data.includes('"redacted_thinking"'))
    ) {
      try {
        const signature = eventSignature(JSON.parse(event.data));
        if (signature) this.signatures.push(signature);
      } catch {
        // not JSON: nothing to remember
      }
    }
  }

  #trackResponses(data: string): void {
    const seq = /"sequence_number":\s*(\d+)/.exec(data);
    if (seq) this.#lastSequence = Number(seq[1]);
    if (!this.#responseId) this.#responseId = /"id":\s*"(resp_[^"]*)"/.exec(data)?.[1];
  }

  /** A stream cut before its normal end gets an error event, never a silent truncation. */
  end(): string | undefined {
    for (const event of this.#decoder.end()) this.#inspect(event);
    if (this.finished || this.upstreamError) return undefined;
    return this.fail({ kind: 'upstream_failed', status: 502, message: 'upstream stream ended before completion' });
  }

  fail(error: NormalizedError): string {
    if (this.format === 'anthropic_messages' || this.format === 'openai_chat')
      return encodeFrames(streamErrorFrames(this.format, error));
    const event = {
      type: 'response.failed',
      sequence_number: this.#lastSequence + 1,
      response: {
        id: this.#responseId ?? 'resp_unknown',
        object: 'response',
        status: 'failed',
        error: { code: openaiErrorCode(error) ?? 'server_error', message: error.message },
      },
    };
    return encodeFrame({ event: event.type, data: event });
  }
}

/** Different formats: upstream events are decoded, converted, and re-encoded for the client. */
export class ConvertPump implements Pump {
  readonly mirrors = false;
  readonly signatures: string[] = [];
  readonly #decoder = new SseDecoder();
  readonly #text = new TextDecoder();

  constructor(readonly converter: StreamConverter) {}

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

  chunk(buf: Buffer): string | undefined {
    let out = '';
    for (const event of this.#decoder.feed(this.#text.decode(buf, { stream: true })))
      out += this.#encode(this.converter.push(event));
    return out || undefined;
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
    let out = '';
    for (const event of this.#decoder.feed(this.#text.decode())) out += this.#encode(this.converter.push(event));
    for (const event of this.#decoder.end()) out += this.#encode(this.converter.push(event));
    out += this.#encode(this.converter.end());
    return out || undefined;
  }

  fail(error: NormalizedError): string | undefined {
    return encodeFrames(this.converter.fail(error)) || undefined;
  }
}
