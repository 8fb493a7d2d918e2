import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { SseEvent } from './types.js';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Incremental SSE decoder: feed it text as it arrives (split anywhere; LF, CRLF or CR line
 * ends), get whole events back. Comments (": keep-alive") are dropped; `onComment` lets callers see them.
 * Multi-byte UTF-8 across chunk boundaries is the caller's job: decode bytes with a streaming
 * TextDecoder (`decoder.decode(buf, { stream: true })`) before feeding.
 */
export class SseDecoder {
  readonly #parser;
  #out: SseEvent[] = [];
  /** The last piece ended with CR: made a CRLF at once, so a leading LF of the next piece is its second half. */
  #endedWithCr = false;

  constructor(onComment?: (comment: string) => void) {
    this.#parser = createParser({
      onEvent: (message: EventSourceMessage) => {
        this.#out.push({ event: message.event, data: message.data });
      },
      ...(onComment ? { onComment } : {}),
    });
  }

  /**
   * Returns the events completed by this piece of text (possibly none). A piece that ends with CR
   * ends its line there (CR alone is a line end; a CRLF split across pieces is one): the parser
   * would hold that CR, and with it a finished event, until a later piece began with a line end.
   */
  feed(text: string): SseEvent[] {
    let piece = text;
    if (text !== '') {
      if (this.#endedWithCr && text.charCodeAt(0) === LF) piece = text.slice(1);
      this.#endedWithCr = text.charCodeAt(text.length - 1) === CR;
      if (this.#endedWithCr) piece += '\n';
    }
    this.#parser.feed(piece);
    const events = this.#out;
    this.#out = [];
    return events;
  }

  /** Flushes an event left unterminated at end of stream (a last event with no blank line). */
  end(): SseEvent[] {
    this.#parser.feed('\n\n');
    const events = this.#out;
    this.#out = [];
    return events;
  }
}

/** Decodes a whole SSE body at once (tests, non-streaming fallbacks). */
export function decodeSse(text: string): SseEvent[] {
  const decoder = new SseDecoder();
  return [...decoder.feed(text), ...decoder.end()];
}
