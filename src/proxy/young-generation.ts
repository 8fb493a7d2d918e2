import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** The young generation's size (V8's `new_space`) it is capped at, unless the proxy is busy. */
const CAP_BYTES = 16 * 1024 * 1024;
/** Busy: the young generation emptied this many times the cap within a second (see YoungGenerationCap). */
const BUSY_SCAVENGES = 10;
/** V8's own growth factor (the same on V8 11 to 14). */
const V8_GROWTH_FACTOR = 2;
/** Flags with which the user tunes the young generation: then Swixter leaves it alone. */
const USER_TUNING = /--(?:max-semi-space-size|min-semi-space-size|semi-space-growth-factor|minor-ms)\b/;

/** At a scavenge: let V8 grow the young generation, hold it where it is, or the proxy is busy. */
export type CapDecision = 'grow' | 'hold' | 'busy';

/**
 * Decides, at each scavenge, whether V8 may grow the young generation: below the cap it may (V8
 * shrinks it when idle, and it must be able to grow back), at the cap it is held, until the
 * proxy is busy. Busy is an allocation rate: the last `busyScavenges` scavenges emptied more than
 * `busyScavenges` times the cap per second (ten scavenges within a second at 16 MB, within half
 * a second at 8 MB), so a load that scavenges often only because the generation is small is not
 * busy.
 */
export class YoungGenerationCap {
  readonly #times: number[];
  readonly #sizes: number[];
  #next = 0;
  #seen = 0;
  /** The sum of #sizes. */
  #bytes = 0;

  constructor(
    readonly capBytes: number,
    readonly busyScavenges = BUSY_SCAVENGES,
  ) {
    this.#times = new Array<number>(busyScavenges).fill(0);
    this.#sizes = new Array<number>(busyScavenges).fill(0);
  }

  /** A scavenge at `at` (ms) with the young generation at `bytes`. */
  scavenged(at: number, bytes: number): CapDecision {
    const slot = this.#next;
    this.#bytes += bytes - (this.#sizes[slot] ?? 0);
    this.#times[slot] = at;
    this.#sizes[slot] = bytes;
    this.#next = (slot + 1) % this.busyScavenges;
    this.#seen++;
    if (this.#seen >= this.busyScavenges) {
      // the slot written next holds the oldest of the last `busyScavenges`
      const span = at - (this.#times[this.#next] ?? at);
      // what the last scavenges emptied, per second, against `busyScavenges` times the cap
      if (this.#bytes * 1000 > this.busyScavenges * this.capBytes * span) return 'busy';
    }
    return this.initial(bytes);
  }

  /** Before any scavenge: grow below the cap, hold at it. */
  initial(bytes: number): CapDecision {
    return bytes < this.capBytes ? 'grow' : 'hold';
  }
}

/**
 * Caps V8's young generation at 16 MB until the proxy is first busy, by switching V8's growth
 * factor between 1 and its default at scavenges (a PerformanceObserver on GC entries); from the
 * first busy second on, V8 sizes it as it always does and the observer is gone (observing GC
 * entries is not free: Node records each GC for it).
 *
 * V8 doubles the young generation whenever the bytes that survived scavenges since its last
 * growth exceed its size. Streams that take seconds keep their objects alive across scavenges,
 * so a few dozen concurrent coder sessions double it (to 32 MB on Node 20) at a few scavenges a
 * second: RSS that buys nothing there. A larger young generation pays when scavenges are
 * frequent (a high request rate). Below the cap it may always grow: V8 shrinks an idle heap's
 * young generation, and it must get back to 16 MB. Left alone when the user passed
 * young-generation flags of their own.
 */
export function capYoungGeneration(): void {
  if (USER_TUNING.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`)) return;
  const cap = new YoungGenerationCap(CAP_BYTES);
  let growing = true; // V8's default
  const allow = (grow: boolean) => {
    if (grow === growing) return;
    growing = grow;
    setFlagsFromString(`--semi-space-growth-factor=${grow ? V8_GROWTH_FACTOR : 1}`);
  };
  const observer = new PerformanceObserver((list) => {
    const bytes = youngGenerationBytes(); // now; the batch's scavenges all came in the last turn
    let decision: CapDecision | undefined;
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind !== constants.NODE_PERFORMANCE_GC_MINOR) continue;
      decision = cap.scavenged(entry.startTime, bytes);
      if (decision === 'busy') break;
    }
    if (decision === undefined) return;
    allow(decision !== 'hold');
    if (decision === 'busy') observer.disconnect();
  });
  allow(cap.initial(youngGenerationBytes()) === 'grow');
  observer.observe({ entryTypes: ['gc'] });
}

function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}
