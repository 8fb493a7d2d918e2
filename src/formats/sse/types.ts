/** One decoded server-sent event. `event` is undefined when the frame had no `event:` line. */
export interface SseEvent {
  event?: string | undefined;
  data: string;
}

/**
 * One event to send to the client. `data` is serialised with JSON.stringify unless it is a
 * string (e.g. the Chat terminator "[DONE]"). `event` becomes the `event:` line when present.
 */
export interface SseFrame {
  event?: string;
  data: object | string;
}
