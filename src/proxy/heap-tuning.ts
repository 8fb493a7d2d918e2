import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

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
 * - **The young generation grows past 16 MB only under load** (holdYoungGenerationUntilBusy).
 */
export function tuneHeapForProxy(): void {
  if (tuned) return;
  tuned = true;
  setFlagsFromString('--no-allocation-site-pretenuring');
  if (v8Major() <= 11) setFlagsFromString('--turbo-force-mid-tier-regalloc');
  holdYoungGenerationUntilBusy();
}

function v8Major(): number {
  return Number.parseInt(process.versions.v8, 10);
}

/** Scavenges within one second that mark the proxy as busy. */
const BUSY_SCAVENGES_PER_SECOND = 10;
/** The young generation's size (V8's `new_space`) from which it is held. */
const HOLD_FROM_BYTES = 16 * 1024 * 1024;
/** V8's own factor (the same on V8 11 to 14). */
const V8_GROWTH_FACTOR = 2;

/**
 * Holds V8's young generation at 16 MB (HOLD_FROM_BYTES; it grows to that as usual) until the
 * proxy first scavenges BUSY_SCAVENGES_PER_SECOND times within a second; from then on V8 sizes it
 * as usual (up to 32 MB on Node 20).
 *
 * V8 doubles the young generation whenever the bytes that survived scavenges since its last
 * growth exceed its size. Streams that take seconds keep their objects alive across scavenges,
 * so a few dozen concurrent coder sessions double it at a few scavenges per second: RSS that
 * buys nothing there. A larger young generation pays when scavenges are frequent (a high request
 * rate), which is what ends the hold. 64 paced streams scavenge ~4 times a second at 16 MB;
 * small requests at a rate of thousands per second, dozens of times.
 */
function holdYoungGenerationUntilBusy(): void {
  let heldSince: number | undefined;
  const hold = (): boolean => {
    if (youngGenerationBytes() < HOLD_FROM_BYTES) return false;
    setFlagsFromString('--semi-space-growth-factor=1');
    heldSince = performance.now();
    return true;
  };
  const busyRate = () => new ScavengeRate(BUSY_SCAVENGES_PER_SECOND, 1000);
  let rate = busyRate();
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind !== constants.NODE_PERFORMANCE_GC_MINOR) continue;
      if (heldSince === undefined && hold()) rate = busyRate();
      // entries arrive in batches: those from before the hold say nothing about the load since
      if (heldSince !== undefined && entry.startTime < heldSince) continue;
      if (!rate.record(entry.startTime)) continue;
      // Busy: V8 sizes the young generation from here on (busy before the hold: it never starts).
      if (heldSince !== undefined) setFlagsFromString(`--semi-space-growth-factor=${V8_GROWTH_FACTOR}`);
      observer.disconnect();
      return;
    }
  });
  hold();
  observer.observe({ entryTypes: ['gc'] });
}

function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

/** Whether the last `count` events fell within less than `windowMs` (a sliding window of event times). */
export class ScavengeRate {
  readonly #times: number[];
  #next = 0;
  #seen = 0;

  constructor(
    private readonly count: number,
    private readonly windowMs: number,
  ) {
    this.#times = new Array<number>(count).fill(0);
  }

  /** Records an event at `at` (ms); true when it and the `count - 1` events before it span less than the window. */
  record(at: number): boolean {
    this.#times[this.#next] = at;
    this.#next = (this.#next + 1) % this.count;
    this.#seen++;
    // once `count` events were seen, the slot to be written next holds the oldest of the last `count`
    return this.#seen >= this.count && at - (this.#times[this.#next] ?? at) < this.windowMs;
  }
}
