import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '../fixtures');

export function fixture(relative: string): string {
  return readFileSync(join(FIXTURES, relative), 'utf8');
}

/**
 * Replays a recorded SSE body in deterministic, uneven byte-level pieces (splitting events and
 * multi-byte characters), with a yield between pieces, as a real upstream's TCP chunks would.
 */
export async function replaySse(res: ServerResponse, text: string, seed = 7): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  const bytes = Buffer.from(text);
  let offset = 0;
  let state = seed;
  while (offset < bytes.length) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const size = 1 + (state % 97);
    res.write(bytes.subarray(offset, offset + size));
    offset += size;
    await new Promise((done) => setImmediate(done));
  }
  res.end();
}
