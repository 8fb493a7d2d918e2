import { setFlagsFromString } from 'node:v8';
import { capYoungGeneration } from './young-generation.js';

let tuned = false;

/**
 * Sets this process's V8 flags for a proxy, once. See docs/performance.md, "The memory target, met".
 *
 * - **No allocation-site pretenuring.** A proxy's objects live as long as the request that made
 *   them. After a burst of long streams (each holds its per-request objects for seconds), V8
 *   decides that the allocation sites those objects come from make long-lived objects and from
 *   then on allocates them straight in the old generation — also for the next million short
 *   requests. V8 revisits such decisions only when a full GC finds most of the old generation
 *   dead, which did not happen here, so the process stayed in that state: in
 *   `npm run bench:compare -- json-c32 --paced-first` every scavenge took 6–7 ms instead of
 *   ~1 ms and small requests cost 25–40% more CPU for as long as the process ran. Without
 *   pretenuring, objects are copied once or twice before promotion, which costs far less here
 *   ("The burst that slowed every later request").
 * - **The mid-tier register allocator for WebAssembly (V8 11, i.e. Node 20).** undici parses HTTP
 *   with llhttp compiled to WebAssembly; optimising its main function with the top-tier register
 *   allocator takes ~35 MB of compiler memory for ~100 ms at the first upstream responses, the
 *   largest single item of the proxy's peak RSS. The mid-tier allocator needs ~15 MB, and the
 *   parser it produces is as fast within measurement (client-side microbench, 30–36 µs per
 *   50-event stream either way). The flag acts on WebAssembly only; V8 12 (Node 22) removed it,
 *   and its own compiler's peak there is lower.
 * - **The young generation grows past 16 MB only under load** (young-generation.ts).
 */
export function tuneHeapForProxy(): void {
  if (tuned) return;
  tuned = true;
  setFlagsFromString('--no-allocation-site-pretenuring');
  if (v8Major() <= 11) setFlagsFromString('--turbo-force-mid-tier-regalloc');
  capYoungGeneration();
}

function v8Major(): number {
  return Number.parseInt(process.versions.v8, 10);
}
