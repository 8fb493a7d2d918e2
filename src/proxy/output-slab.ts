/** Bytes per slab: a converted chunk's output is a few KB; a slab serves a dozen of them. */
const SLAB_BYTES = 64 * 1024;
/** Larger requests get a buffer of their own (a slab must not be pinned for one large output). */
const MAX_RESERVE = SLAB_BYTES / 4;
/**
 * Smaller ones come from Node's own pool (8 KB pieces, for requests under 4 KB): a paced stream's
 * one-event chunks then pin at most such a piece while a slow client holds them, not a 64 KB slab.
 */
const MIN_RESERVE = 4 * 1024;

/**
 * Output buffers for converted chunks, cut from shared slabs as Node's Buffer pool does for
 * small buffers (its pool takes only requests under 4 KB). A buffer of its own per chunk costs an
 * ArrayBuffer allocation, ~1 µs and garbage the collector tracks separately, for each 14 KB read.
 * A chunk reserves room for its largest possible output, then keeps only what it wrote: the
 * rest is handed to the next chunk. A slab stays alive while any output cut from it is still
 * being written to a client; a new one is started when the current one is full.
 */
export class OutputSlab {
  #slab: Buffer | undefined;
  #used = 0;

  /** Room for up to `size` bytes, valid until the next reserve(); see keep(). */
  reserve(size: number): Buffer {
    if (size < MIN_RESERVE || size > MAX_RESERVE) return Buffer.allocUnsafe(size);
    if (this.#slab === undefined || this.#used + size > SLAB_BYTES) {
      this.#slab = Buffer.allocUnsafe(SLAB_BYTES);
      this.#used = 0;
    }
    return this.#slab.subarray(this.#used, this.#used + size);
  }

  /**
   * The first `length` bytes of `room` (the last reserve()) were written and are in use until the
   * client has them; the slab moves past them (8-byte aligned). A `room` that did not come from
   * the current slab changes nothing.
   */
  keep(room: Buffer, length: number): void {
    const slab = this.#slab;
    if (slab === undefined || room.buffer !== slab.buffer || room.byteOffset !== slab.byteOffset + this.#used) return;
    this.#used = Math.min(SLAB_BYTES, this.#used + ((length + 7) & ~7));
  }
}
