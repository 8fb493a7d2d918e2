import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChatToAnthropicStream } from '../formats/convert/anthropic-to-chat/stream.js';
import { ChatToResponsesStream, chatStreamToResponses } from '../formats/convert/responses-to-chat/stream.js';
import { checkResponsesStream, stableIds } from '../formats/convert/responses-to-chat/stream-checker.js';
import type { ConversionContext } from '../formats/convert/types.js';
import { normalizedError } from '../formats/errors/error-kinds.js';
import type { ByteSink } from '../formats/sse/byte-sink.js';
import { decodeSse } from '../formats/sse/decode.js';
import { ConvertPump } from './convert-pump.js';

const STREAMS = join(import.meta.dirname, '../../test/fixtures/chat-streams');
const context: ConversionContext = { clientModel: 'claude-sonnet-4-5', toolNames: {}, stream: true, created: 1 };

/** A converter with a raw lane, `raw` counting the events that lane took. */
function countingRaw<
  C extends { readonly fastEvents: number; pushRaw(b: Buffer, s: number, e: number, out: ByteSink): number },
>(converter: C): C & { raw: number } {
  const lane = converter.pushRaw.bind(converter);
  const counted = Object.assign(converter, { raw: 0 });
  counted.pushRaw = (bytes, start, end, out) => {
    const before = converter.fastEvents;
    const next = lane(bytes, start, end, out);
    counted.raw += converter.fastEvents - before;
    return next;
  };
  return counted;
}

/**
 * What the client receives when the upstream's bytes arrive in `piece`-byte chunks. Each output
 * Buffer is kept as the pump returned it (not copied) and read only at the end, as a socket that
 * drains late would: a later chunk writing over an earlier output shows up as a difference.
 */
function pumped(pump: ConvertPump, bytes: Buffer, piece: number): Buffer {
  const out: Buffer[] = [];
  const add = (data: Buffer | string | undefined) => {
    if (data !== undefined) out.push(typeof data === 'string' ? Buffer.from(data) : data);
  };
  for (let i = 0; i < bytes.length; i += piece) add(pump.chunk(bytes.subarray(i, i + piece)));
  add(pump.end());
  return Buffer.concat(out);
}

/** The client's events, parsed, with random ids numbered by first appearance. */
function parsed(bytes: Buffer): unknown[] {
  const ids = new Map<string, string>();
  const text = bytes.toString('utf8').replace(/\b(msg|toolu)_[0-9a-f]{24}\b/g, (id) => {
    if (!ids.has(id)) ids.set(id, `id${ids.size}`);
    return ids.get(id)!;
  });
  return decodeSse(text).map((e) => ({ event: e.event, data: e.data.startsWith('{') ? JSON.parse(e.data) : e.data }));
}

/**
 * The raw lane's output next to two references: the same converter without the raw lane (the
 * string fast lane copies the same literals: byte for byte the same) and the full path (every
 * event parsed and re-serialised: the same events once parsed).
 */
function both(bytes: Buffer, piece: number) {
  const fast = countingRaw(new ChatToAnthropicStream(context));
  const raw = pumped(new ConvertPump(fast), bytes, piece);
  const noRaw = Object.assign(new ChatToAnthropicStream(context), { pushRaw: undefined });
  const strings = pumped(new ConvertPump(noRaw), bytes, bytes.length);
  const full = pumped(new ConvertPump(new ChatToAnthropicStream(context, { fastText: false })), bytes, bytes.length);
  const sameIds = (b: Buffer) => JSON.stringify(parsed(b));
  expect(sameIds(raw)).toBe(sameIds(full));
  return { raw: withoutIds(raw), strings: withoutIds(strings), rawEvents: fast.raw };
}

const withoutIds = (bytes: Buffer) => bytes.toString('utf8').replace(/\b(msg|toolu)_[0-9a-f]{24}\b/g, 'ID');

const chunk = (content: string) =>
  `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":${content}},"finish_reason":null}]}\n\n`;
const finish =
  'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n' +
  'data: {"id":"c1","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":5}}\n\ndata: [DONE]\n\n';
/** A text event whose literal holds these raw bytes between "a" and "b". */
function textWithBytes(bytes: number[]): Buffer {
  const [before, after] = chunk('"aXb"').split('X') as [string, string];
  return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
}
const synthetic = (contents: string[]) => Buffer.from(contents.map(chunk).join('') + finish);

const recorded = readdirSync(STREAMS)
  .filter((f) => f.endsWith('.sse'))
  .map((f): [string, Buffer] => [f, readFileSync(join(STREAMS, f))]);

describe('ConvertPump: the raw lane gives the client the same bytes as decoding every event', () => {
  it.each(
    recorded.flatMap(([name, bytes]) =>
      [1, 7, 64, 1_000_000].map((piece): [string, number, Buffer] => [name, piece, bytes]),
    ),
  )('%s in %i-byte pieces', (_name, piece, bytes) => {
    const { raw, strings } = both(bytes, piece);
    expect(raw).toBe(strings);
  });

  it('takes the raw lane for every text event after the first of a stream', () => {
    // the first opens the text block, and the full path that parsed it makes it the template
    const words = Array.from({ length: 20 }, (_, i) => `"word ${i} "`);
    const { raw, strings, rawEvents } = both(synthetic(words), 1_000_000);
    expect(raw).toBe(strings);
    expect(rawEvents).toBe(19);
  });

  it.each([
    [
      'non-ASCII text, escapes and an empty delta',
      ['"café "', '"東京 👋"', '""', '"a \\"q\\" \\\\ \\n \\u00e9 \\ud83c\\udf0d"', '"end"'],
    ],
    ['a multi-byte character split between pieces', ['"x"', '"日本語テキスト"', '"ß€𝄞"', '"y"']],
  ])('%s', (_name, contents) => {
    const bytes = synthetic(['"first"', ...contents]);
    for (const piece of [1, 2, 3, 5, 1_000_000]) {
      const { raw, strings, rawEvents } = both(bytes, piece);
      expect(raw).toBe(strings);
      expect(rawEvents).toBeGreaterThanOrEqual(contents.length - 1);
    }
  });

  it.each([
    ['a raw control character', Buffer.from(chunk('"tab\there"'))],
    ['an invalid escape', Buffer.from(chunk('"bad \\x escape"'))],
    ['a cut \\u escape', Buffer.from(chunk('"\\u00e"'))],
    ['text after the literal', Buffer.from(chunk('"a"b"'))],
    ['invalid UTF-8 (a lone continuation byte)', textWithBytes([0x80])],
    ['invalid UTF-8 (an overlong form)', textWithBytes([0xc0, 0xaf])],
    ['invalid UTF-8 (a surrogate)', textWithBytes([0xed, 0xa0, 0x80])],
    ['a truncated sequence', textWithBytes([0xe6, 0x97])],
    ['a finish reason', Buffer.from(chunk('"x"').replace('"finish_reason":null', '"finish_reason":"length"'))],
    ['an id line', Buffer.from(`id: 7\n${chunk('"x"')}`)],
    ['an id line after the data line', Buffer.from(chunk('"x"').replace('\n\n', '\nid: 7\n\n'))],
    ['a second data line', Buffer.from(chunk('"x"').replace('\n\n', '\ndata: {}\n\n'))],
    ['a comment line after the data line', Buffer.from(chunk('"x"').replace('\n\n', '\n: note\n\n'))],
    ['data: without the space', Buffer.from(chunk('"x"').replace('data: ', 'data:'))],
    ['another template (the id changed)', Buffer.from(chunk('"x"').replace('"c1"', '"c2"'))],
    ['a byte order mark in the middle of the stream', Buffer.from(`\uFEFF${chunk('"x"')}`)],
  ])('an event with %s takes the full path and still converts as it would', (_name, odd) => {
    const bytes = Buffer.concat([
      synthetic(['"one"', '"two"']).subarray(0, Buffer.byteLength(chunk('"one"') + chunk('"two"'))),
      odd,
      Buffer.from(chunk('"three"') + finish),
    ]);
    for (const piece of [1, 9, 1_000_000]) {
      const { raw, strings } = both(bytes, piece);
      expect(raw).toBe(strings);
    }
  });

  it("OpenAI's random obfuscation pads do not keep text events off the raw lane", () => {
    const padded = (content: string, pad: string) =>
      chunk(content).replace('"finish_reason":null}]}', `"finish_reason":null}],"usage":null,"obfuscation":"${pad}"}`);
    const pads = ['rG1', 'p9Xk', '', 'Q', 'zz7 ~!#$%&()*+,-./:;<=>?@[]^_`{|}', 'abcdefghijklmnop'];
    const odd = ['with \\ an escape', 'non-ASCII é', 'a \\" quote'];
    const bytes = Buffer.from(
      [
        ...pads.map((pad, i) => padded(`"w${i} "`, pad)),
        ...odd.map((pad) => padded('"odd "', pad)),
        padded('"last"', 'x9'),
        finish,
      ].join(''),
    );
    for (const piece of [1, 11, 1_000_000]) {
      const { raw, strings, rawEvents } = both(bytes, piece);
      expect(raw).toBe(strings);
      expect(raw).toContain('"text":"last"');
      // not the first (it opens the block and becomes the template); the odd pads and the last
      // event (whose template the odd ones replaced) are checked in full
      expect(rawEvents).toBe(pads.length - 1);
    }
  });

  it('the recorded OpenAI stream (obfuscation pads of every length) takes the raw lane after its template', () => {
    const { raw, strings, rawEvents } = both(recorded.find(([name]) => name === 'openai-text.sse')![1], 1_000_000);
    expect(raw).toBe(strings);
    expect(rawEvents).toBeGreaterThanOrEqual(1);
  });

  it.each([1, 2, 4, 1_000_000])(
    'a byte order mark before the first event is dropped, as the text decoder drops it (%i-byte pieces)',
    (piece) => {
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), synthetic(['"a"', '"b"', '"c"'])]);
      const { raw, strings, rawEvents } = both(bytes, piece);
      expect(raw).toBe(strings);
      expect(raw).toContain('"text":"a"');
      expect(rawEvents).toBe(2);
    },
  );

  it('an empty first chunk, then a byte order mark split in two', () => {
    const bytes = synthetic(['"a"', '"b"']);
    const pump = new ConvertPump(new ChatToAnthropicStream(context));
    const out = [pump.chunk(Buffer.alloc(0)), pump.chunk(Buffer.from([0xef])), pump.chunk(Buffer.from([0xbb, 0xbf]))];
    out.push(pump.chunk(bytes), pump.end());
    expect(withoutIds(Buffer.concat(out.filter((o) => o !== undefined).map((o) => Buffer.from(o))))).toBe(
      both(bytes, bytes.length).strings,
    );
  });

  it('a byte order mark starting an unfinished last event is kept (that line is not a field), as before', () => {
    const bytes = Buffer.from(`${chunk('"a"')}${chunk('"b"')}\uFEFF${chunk('"z"').trimEnd()}`);
    const { raw, strings } = both(bytes, 7);
    expect(raw).toBe(strings);
    expect(raw).not.toContain('"text":"z"');
    expect(raw).toContain('event: error');
  });

  it('the SSE parser, made late, does not take a later event for the stream start', () => {
    // eventsource-parser drops "ï»¿" (a byte order mark read as Latin-1) from the first text it is
    // fed. Events before this one bypass it (one data line each), so it is made here: mid-stream,
    // that line is an unknown field, and the event is ignored as it was when the parser came first.
    const bytes = Buffer.from(
      `${chunk('"Hi"')}${chunk('" there"')}ï»¿data: {"choices":[{"index":0,"delta":{"content":"INJECTED"}}]}\n\n${finish}`,
    );
    const out = pumped(new ConvertPump(new ChatToAnthropicStream(context)), bytes, bytes.length).toString();
    expect(out).toContain('" there"');
    expect(out).not.toContain('INJECTED');
    expect(out).toContain('event: message_stop');
  });

  it('a template learned from a multi-line data event is not used on raw bytes', () => {
    const bytes = Buffer.from(
      'data: {"choices":[{"index":0,"delta":{"content":"a"}}]}\n\n' +
        'data: {"choices":[{"index":0,"delta":{"content":"b"}}]\ndata: }\n\n' +
        'data: {"choices":[{"index":0,"delta":{"content":"c"}}]\n}\n\n' +
        'data: {"choices":[{"index":0,"delta":{"content":"d"}}]\ndata: }\n\n' +
        'data: [DONE]\n\n',
    );
    const { raw, strings, rawEvents } = both(bytes, 1_000_000);
    expect(raw).toBe(strings);
    expect(raw).not.toContain('"text":"c"'); // `}` alone on a line is no field: that event is malformed
    expect(rawEvents).toBe(0);
  });

  it.each([1, 13, 1_000_000])('CRLF line endings switch to decoding everything (%i-byte pieces)', (piece) => {
    const bytes = Buffer.from(synthetic(['"a"', '"b"', '"c"']).toString('utf8').replaceAll('\n', '\r\n'));
    const { raw, strings } = both(bytes, piece);
    expect(raw).toBe(strings);
    expect(raw).toContain('"text":"c"');
  });

  it('an event arriving in many small pieces stays on the raw lane and converts whole', () => {
    const long = `"${'y'.repeat(100_000)}"`;
    const { raw, strings } = both(synthetic(['"a"', '"b"', long, '"after"']), 64);
    expect(raw).toBe(strings);
    expect(raw).toContain('"text":"after"');
  });

  it('streams converted side by side keep their outputs apart (they share the output slab)', () => {
    const streams = recorded.map(([, bytes]) => bytes);
    const alone = streams.map((bytes) =>
      withoutIds(pumped(new ConvertPump(new ChatToAnthropicStream(context)), bytes, 97)),
    );
    const pumps = streams.map(() => new ConvertPump(new ChatToAnthropicStream(context)));
    const outputs: Buffer[][] = streams.map(() => []);
    const longest = Math.max(...streams.map((b) => b.length));
    for (let at = 0; at < longest; at += 97) {
      streams.forEach((bytes, i) => {
        if (at >= bytes.length) return;
        const out = pumps[i]!.chunk(bytes.subarray(at, at + 97));
        if (out !== undefined) outputs[i]!.push(typeof out === 'string' ? Buffer.from(out) : out);
      });
    }
    pumps.forEach((pump, i) => {
      const out = pump.end();
      if (out !== undefined) outputs[i]!.push(Buffer.from(out));
    });
    expect(outputs.map((chunks) => withoutIds(Buffer.concat(chunks)))).toEqual(alone);
  });

  it('bare-CR line ends: each event is converted when it arrives, and a failure after it keeps it', () => {
    const event = (text: string) => Buffer.from(`data: {"choices":[{"index":0,"delta":{"content":"${text}"}}]}\r\r`);
    const pump = new ConvertPump(new ChatToAnthropicStream(context));
    const texts = (out: Buffer | string | undefined) =>
      parsed(Buffer.from(out ?? ''))
        .map((e) => (e as { data: { delta?: { text?: string } } }).data.delta?.text)
        .filter((t) => t !== undefined);
    expect(texts(pump.chunk(event('Hello')))).toEqual(['Hello']);
    expect(texts(pump.chunk(event(' world')))).toEqual([' world']);
    const tail = parsed(Buffer.from(pump.fail(normalizedError('upstream_failed', 'cut')) ?? ''));
    expect(tail.map((e) => (e as { event: string }).event)).toEqual(['content_block_stop', 'error']);
  });

  it('an event too long to hold switches to decoding everything, and nothing is lost', () => {
    const long = `"${'x'.repeat(300_000)}"`;
    const bytes = synthetic(['"a"', long, '"after"']);
    const { raw, strings } = both(bytes, 4096);
    expect(raw).toBe(strings);
    expect(raw).toContain('"text":"after"');
  });
});

describe('ConvertPump with the Chat → Responses converter: its raw lane gives the client the same events', () => {
  /** The client's events, parsed, with random ids numbered (stableIds). */
  const events = (bytes: Buffer) =>
    stableIds(decodeSse(bytes.toString('utf8')).map((e) => ({ event: e.event, data: JSON.parse(e.data) as unknown })));

  /** Raw lane in `piece`-byte chunks against the full path in one chunk; how many events went raw. */
  function responses(bytes: Buffer, piece: number) {
    const counting = countingRaw(new ChatToResponsesStream(context));
    const raw = pumped(new ConvertPump(counting), bytes, piece);
    // the reference: every event decoded as text and converted on the full path (no raw lane at all)
    const noRaw = Object.assign(chatStreamToResponses(context, { fastText: false }), { pushRaw: undefined });
    const full = pumped(new ConvertPump(noRaw), bytes, bytes.length);
    expect(events(raw)).toEqual(events(full));
    expect(() => checkResponsesStream(decodeSse(raw.toString('utf8')))).not.toThrow();
    return counting.raw;
  }

  it.each(
    recorded.flatMap(([name, bytes]) =>
      [1, 7, 64, 1_000_000].map((piece): [string, number, Buffer] => [name, piece, bytes]),
    ),
  )('%s in %i-byte pieces', (_name, piece, bytes) => {
    responses(bytes, piece);
  });

  it('takes the raw lane for every text event after the second of a message, escapes and all', () => {
    const words = Array.from({ length: 20 }, (_, i) => `"word ${i} é \\"q\\" \\u00e9 👋 "`);
    for (const piece of [3, 1_000_000]) expect(responses(synthetic(words), piece)).toBe(18);
  });
});
