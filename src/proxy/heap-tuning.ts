import { setFlagsFromString } from 'node:v8';

let tuned = false;

/**
 * Turns off V8's allocation-site pretenuring for this process, once.
 *
 * A proxy's objects live as long as the request that made them. After a burst of long streams
 * (each holds its per-request objects for seconds), V8 decides that the allocation sites those
 * objects come from make long-lived objects and from then on allocates them straight in the old
 * generation — also for the next million short requests. V8 revisits such decisions only when a
 * full GC finds most of the old generation dead, which did not happen here, so the process stayed
 * in that state: in
 * `npm run bench:compare -- json-c32 --paced-first` every scavenge took 6–7 ms instead of ~1 ms,
 * the old generation grew by 10+ MB/s, and small requests cost 25–40% more CPU for as long as
 * the process ran. Without pretenuring, objects are copied once or twice before promotion, which
 * costs far less here. See docs/performance.md, "The burst that slowed every later request".
 */
export function tuneHeapForProxy(): void {
  if (tuned) return;
  tuned = true;
  setFlagsFromString('--no-allocation-site-pretenuring');
}
