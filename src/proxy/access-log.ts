import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One access-log line: one client request. Later fields are optional so the writer stays open to growth. */
export interface AccessEntry {
  timestamp: string;
  method: string;
  path: string;
  status: number;
  duration_ms: number;
  ttfb_ms: number | null;
  request_size: number;
  response_size: number;
  profile: string | null;
  upstream: string | null;
  model: string | null;
  upstream_model?: string | null;
  stream: boolean;
  client: string;
  mode?: string;
  format?: string;
  error?: { kind: string; message: string };
  attempts?: AttemptEntry[];
  usage?: { input_tokens: number; output_tokens: number; cache_read_tokens: number; cache_write_tokens: number };
  request_body?: string;
  response_body?: string;
}

export interface AttemptEntry {
  profile: string;
  upstream: string;
  status: number | null;
  /** "ok", or why the attempt was abandoned: a FailureCause. */
  outcome: string;
  duration_ms: number;
  error?: string;
  breaker?: string;
}

/** Queued lines wait at most this long before they are written… */
const FLUSH_MS = 25;
/** …or until they add up to about this many characters. */
const FLUSH_BYTES = 64 * 1024;
/** A line's length before its bodies, as estimated for FLUSH_BYTES (a typical line is ~480). */
const LINE_ESTIMATE = 512;

export interface AccessLogOptions {
  /** Rotate when the file grows past this many bytes. */
  maxBytes?: number;
  /** Rotated generations kept: file.1 … file.N. */
  keep?: number;
}

/**
 * Appends JSON lines to a file and rotates it by size (file → file.1 → … → file.N). Writes are
 * buffered by the stream; `close()` flushes. Rotation renames files, so `proxy logs --follow`
 * re-opens the path when it shrinks.
 */
export class AccessLog {
  #stream: WriteStream | undefined;
  #size = 0;
  #rotating: Promise<void> | undefined;
  /** Lines written while the file is being rotated; flushed into the new file. */
  #pending: string[] = [];
  /**
   * Entries not yet handed to the file stream, serialised and written together by #flushBatch:
   * one `JSON.stringify` after another runs faster than each in the middle of its own request.
   */
  #batch: AccessEntry[] = [];
  #batchBytes = 0;
  #flushTimer: NodeJS.Timeout | undefined;
  readonly #maxBytes: number;
  readonly #keep: number;

  constructor(
    readonly file: string,
    options: AccessLogOptions = {},
  ) {
    this.#maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.#keep = options.keep ?? 3;
  }

  /** Called when the file cannot be written (disk full, folder deleted): the proxy keeps serving. */
  onError: (err: Error) => void = () => {};

  #openStream(): WriteStream {
    const stream = createWriteStream(this.file, { flags: 'a', mode: 0o600 });
    stream.on('error', (err) => {
      if (this.#stream === stream) this.#stream = undefined; // further lines are dropped until the next rotation or restart
      this.onError(err);
    });
    return stream;
  }

  async open(): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    this.#size = await stat(this.file).then(
      (s) => s.size,
      () => 0,
    );
    this.#stream = this.#openStream();
  }

  /**
   * Queues one entry (the caller leaves it as it is from now on). Entries become lines and go to
   * the file together, FLUSH_MS after the first of them (or at once past FLUSH_BYTES), so a busy
   * proxy pays one file write per batch rather than one per request; `flush()` and `close()`
   * write what is queued.
   */
  write(entry: AccessEntry): void {
    this.#batch.push(entry);
    this.#batchBytes += LINE_ESTIMATE + (entry.request_body?.length ?? 0) + (entry.response_body?.length ?? 0);
    if (this.#batchBytes >= FLUSH_BYTES) this.#flushBatch();
    else if (this.#flushTimer === undefined) {
      this.#flushTimer = setTimeout(this.#flushBatch, FLUSH_MS);
      this.#flushTimer.unref(); // close() flushes; the timer alone must not keep the process up
    }
  }

  readonly #flushBatch = (): void => {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    if (this.#batch.length === 0) return;
    let text = '';
    for (const entry of this.#batch) text += `${JSON.stringify(entry)}\n`;
    this.#batch = [];
    this.#batchBytes = 0;
    if (!this.#stream) {
      if (this.#rotating) this.#pending.push(text);
      return;
    }
    const bytes = Buffer.from(text); // encoded once: written and counted
    this.#stream.write(bytes);
    this.#size += bytes.length;
    if (this.#size >= this.#maxBytes && !this.#rotating) {
      this.#rotating = this.#rotate().finally(() => {
        this.#rotating = undefined;
      });
    }
  };

  async #rotate(): Promise<void> {
    const old = this.#stream;
    this.#stream = undefined; // lines written during rotation wait in #pending
    await new Promise<void>((done) => (old ? old.end(done) : done()));
    await rm(`${this.file}.${this.#keep}`, { force: true });
    for (let i = this.#keep - 1; i >= 1; i--)
      await rename(`${this.file}.${i}`, `${this.file}.${i + 1}`).catch(() => {});
    await rename(this.file, `${this.file}.1`).catch(() => {});
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 }).catch(() => {}); // the folder may have been removed
    this.#stream = this.#openStream();
    const pending = this.#pending.join('');
    this.#pending = [];
    this.#size = Buffer.byteLength(pending);
    if (pending) this.#stream.write(pending);
  }

  /** Resolves once every line written so far reached the file. */
  async flush(): Promise<void> {
    this.#flushBatch();
    await this.#rotating;
    const stream = this.#stream;
    if (stream) await new Promise<void>((done) => stream.write('', () => done()));
  }

  async close(): Promise<void> {
    this.#flushBatch();
    await this.#rotating;
    const stream = this.#stream;
    this.#stream = undefined;
    if (stream) await new Promise<void>((done) => stream.end(done));
  }
}
