import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { SseEvent } from './types.js';

/**
 * Incremental SSE decoder: feed it text as it arrives (split anywhere, \n or \r\n), get whole
 * events back. Comments (": keep-alive") are dropped; `onComment` lets callers see them.
 * Multi-byte UTF-8 across chunk boundaries is the caller's job: decode bytes with a streaming
 * TextDecoder (`decoder.decode(buf, { stream: true })`) before feeding.
 */
export class SseDecoder {
  readonly #parser;
  #out: SseEvent[] = [];

  constructor(onComment?: (comment: string) => void) {
    this.#parser = createParser({
      onEvent: (message: EventSourceMessage) => {
        this.#out.push({ event: message.event, data: message.data });
      },
      ...(onComment ? { onComment } : {}),
    });
  }

  /** Returns the events completed by this piece of text (possibly none). */
  feed(text: string): SseEvent[] {
    this.#parser.feed(text);
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
