// The text fast lane of the Chat → Responses stream: a Chat event that carries nothing but a piece
// of text for the open message item becomes its `response.output_text.delta` without parsing the
// event or serialising the answer (src/formats/openai-chat/plain-text-delta.ts). The text is still
// decoded, once, from its literal: the item's `.done` events and the final response carry the
// whole text. The output is the full path's event (stream-items.ts appendText) with the same
// fields in the same order; only the delta's JSON escapes are the upstream's own.
import { PlainTextDeltas } from '../../openai-chat/plain-text-delta.js';
import type { ByteSink } from '../../sse/byte-sink.js';
import type { SseEvent, SseFrame } from '../../sse/types.js';
import type { OpenItem, StreamState } from './stream-state.js';

const EVENT = 'response.output_text.delta';
const HEAD = `{"type":"${EVENT}","sequence_number":`;
const TAIL = ',"logprobs":[]}';
const RAW_HEAD = Buffer.from(`event: ${EVENT}\ndata: ${HEAD}`);
const RAW_TAIL = Buffer.from(`${TAIL}\n\n`);
/** A Chat chunk the full path treats as an error although it has no `error` key (isErrorChunk). */
const ERROR_OBJECT = /"object"\s*:\s*"error"/;

/** The open item while it is a message (`kind: 'text'`). */
type TextItem = Extract<OpenItem, { kind: 'text' | 'reasoning' }>;

/** The open message item, when a text event may take the lane: under way, no `<think>` detection pending. */
function openText(state: StreamState): TextItem | undefined {
  const open = state.open;
  return state.phase === 'streaming' && open.kind === 'text' && state.think.mode === 'text' ? open : undefined;
}

export class TextFastLane {
  readonly #texts = new PlainTextDeltas();
  /** `,"item_id":…,"delta":` of the open item, as text and as bytes, built once per item. */
  #ids: { itemId: string; text: string; bytes: Buffer } | undefined;
  /** Events answered on this lane. */
  taken = 0;

  /** A decoded event: its delta frame ([] for empty text), or undefined when it takes the full path. */
  push(state: StreamState, event: SseEvent): SseFrame[] | undefined {
    const item = openText(state);
    if (item === undefined || event.event !== undefined || ERROR_OBJECT.test(event.data)) return undefined;
    const literal = this.#texts.match(event.data);
    if (literal === undefined) return undefined;
    this.taken++;
    if (literal === '""') return [];
    item.text += JSON.parse(literal) as string;
    const data = `${HEAD}${state.nextSequence++}${this.#idsOf(item).text}${literal}${TAIL}`;
    return [{ event: EVENT, data }];
  }

  /**
   * The raw events from bytes[start] on that fit the current template, taken as bytes until one
   * does not (or `end`); returns where that one starts.
   */
  pushRaw(state: StreamState, bytes: Buffer, start: number, end: number, out: ByteSink): number {
    const item = openText(state);
    if (item === undefined) return start;
    const texts = this.#texts;
    let at = start;
    while (at < end) {
      const from = texts.rawEvent(bytes, at, end);
      if (from < 0) break;
      const to = texts.rawLiteralEnd;
      this.taken++;
      at = texts.rawEventEnd;
      if (to - from === 2) continue; // "": nothing to send, as in push()
      item.text += JSON.parse(bytes.toString('utf8', from, to)) as string;
      out.bytes(RAW_HEAD);
      out.decimal(state.nextSequence++);
      out.bytes(this.#idsOf(item).bytes);
      out.bytes(bytes, from, to);
      out.bytes(RAW_TAIL);
    }
    return at;
  }

  #idsOf(item: TextItem): { text: string; bytes: Buffer } {
    let ids = this.#ids;
    if (ids?.itemId !== item.itemId) {
      const text = `,"item_id":${JSON.stringify(item.itemId)},"output_index":${item.outputIndex},"content_index":0,"delta":`;
      ids = { itemId: item.itemId, text, bytes: Buffer.from(text) };
      this.#ids = ids;
    }
    return ids;
  }
}
