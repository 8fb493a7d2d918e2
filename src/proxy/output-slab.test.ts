import { describe, expect, it } from 'vitest';
import { OutputSlab } from './output-slab.js';

const range = (b: Buffer) => ({ buffer: b.buffer, from: b.byteOffset, to: b.byteOffset + b.length });

describe('OutputSlab', () => {
  it('never hands out bytes that were kept: what one chunk wrote survives the next ones', () => {
    const slab = new OutputSlab();
    const kept: Array<{ bytes: Buffer; text: string }> = [];
    for (let i = 0; i < 200; i++) {
      const room = slab.reserve(6000);
      const text = `chunk ${i} `.repeat(1 + (i % 50));
      const length = room.write(text);
      slab.keep(room, length);
      kept.push({ bytes: room.subarray(0, length), text });
    }
    for (const { bytes, text } of kept) expect(bytes.toString()).toBe(text);
  });

  it('gives back the unwritten rest of a reservation to the next one', () => {
    const slab = new OutputSlab();
    const first = slab.reserve(5000);
    slab.keep(first, 13);
    const second = slab.reserve(5000);
    expect(second.buffer).toBe(first.buffer);
    expect(second.byteOffset).toBe(first.byteOffset + 16); // 13, aligned to 8
  });

  it('starts a new slab when the current one is full, and serves large outputs apart', () => {
    const slab = new OutputSlab();
    const first = slab.reserve(16 * 1024);
    slab.keep(first, 16 * 1024);
    const buffers = new Set([first.buffer]);
    for (let i = 0; i < 4; i++) {
      const room = slab.reserve(16 * 1024);
      slab.keep(room, 16 * 1024);
      buffers.add(room.buffer);
    }
    expect(buffers.size).toBe(2); // four 16 KB outputs fill a 64 KB slab; the fifth opens another
    const large = slab.reserve(100_000);
    expect(large.length).toBe(100_000);
    expect(buffers.has(large.buffer)).toBe(false);
  });

  it("leaves outputs under 4 KB to Node's buffer pool (a slow client then pins no slab)", () => {
    const slab = new OutputSlab();
    const large = slab.reserve(5000);
    slab.keep(large, 5000);
    const small = slab.reserve(600);
    expect(small.length).toBe(600);
    expect(small.buffer).not.toBe(large.buffer);
    slab.keep(small, 600);
    expect(slab.reserve(5000).byteOffset).toBe(large.byteOffset + 5000); // the slab did not move for it
  });

  it('ignores keep() for a buffer that is not its latest reservation', () => {
    const slab = new OutputSlab();
    const room = slab.reserve(5000);
    slab.keep(Buffer.alloc(5000), 5000);
    slab.keep(room.subarray(8), 50);
    const next = slab.reserve(5000);
    expect(range(next)).toEqual(range(room)); // nothing was kept: the same bytes again
  });
});
