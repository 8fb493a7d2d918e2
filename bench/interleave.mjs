// The floor and Swixter measured in alternating short slices rather than one long window each.
//
// This machine's speed drifts within seconds: the same process read 6,500–7,500 small requests a
// second in consecutive 250 ms windows, with half-second bursts of ~10,500 (2026-11-26, session
// 17). With one 1.5 s window per system, a burst that falls in one system's window and not the
// other's moves that round's ratio by a third. Sliced and alternated (a b a b …), both systems see
// the same stretches of the machine's time, and a ratio reads what the two proxies cost.

import { closeClients, openClients, summarize } from './load.mjs';

/**
 * @typedef {object} SliceWindows
 * @property {number} warmupMs       once per system, before its first slice (not counted)
 * @property {number} durationMs     measured time per system, split into `slices`
 * @property {number} slices
 * @property {number} sliceWarmupMs  at the start of every slice (not counted)
 */

/**
 * Measures `systems` (two, usually floor and Swixter) in alternating slices and returns one merged
 * result per system, shaped as runLoad's (plus `slices`). `measure(system, loadOptions)` runs one
 * window of runLoad for that system with the given options (clients, warm-up, duration) and adds
 * CPU and foreign-CPU figures; `originOf(system)` and `concurrency` set up each system's
 * connections, which stay open across its slices (no connection set-up inside a slice).
 *
 * @param {object} args
 * @param {string[]} args.systems  in the order of the first slice pair
 * @param {(system: string) => string} args.originOf
 * @param {number} args.concurrency
 * @param {SliceWindows} args.windows
 * @param {(system: string, load: object) => Promise<object>} args.measure
 */
export async function measureInterleaved({ systems, originOf, concurrency, windows, measure }) {
  const clients = new Map(systems.map((s) => [s, openClients(originOf(s), concurrency)]));
  try {
    for (const s of systems) await measure(s, { clients: clients.get(s), warmupMs: windows.warmupMs, durationMs: 0 });
    const parts = new Map(systems.map((s) => [s, []]));
    const sliceMs = windows.durationMs / windows.slices;
    // the same order in every pair: each slice follows a slice of the other system (a system
    // measured twice in a row finds its own code and data still in the caches: see "The order of
    // a paired run" in docs/performance.md)
    for (let k = 0; k < windows.slices; k++) {
      for (const s of systems)
        parts
          .get(s)
          .push(await measure(s, { clients: clients.get(s), warmupMs: windows.sliceWarmupMs, durationMs: sliceMs }));
    }
    return Object.fromEntries(systems.map((s) => [s, mergeSlices(parts.get(s))]));
  } finally {
    await Promise.all([...clients.values()].map(closeClients));
  }
}

/** One result from a system's slices: counts and times added up, percentiles over all requests. */
export function mergeSlices(parts) {
  const sum = (f) => parts.reduce((total, p) => total + f(p), 0);
  const durationMs = sum((p) => p.durationMs);
  const requests = sum((p) => p.requests);
  const cpuKnown = parts.every((p) => Number.isFinite(p.cpuUsPerRequest) || p.requests === 0);
  const errorSamples = [...new Set(parts.flatMap((p) => p.errorSamples))].slice(0, 3);
  return {
    concurrency: parts[0].concurrency,
    durationMs,
    slices: parts.length,
    requests,
    ok: sum((p) => p.ok),
    completed: sum((p) => p.completed),
    rps: requests / (durationMs / 1000),
    bytesPerRequest: requests ? sum((p) => p.bytesPerRequest * p.requests) / requests : 0,
    latency: summarize(parts.flatMap((p) => p.samples.latencies)),
    ttfb: summarize(parts.flatMap((p) => p.samples.ttfbs)),
    errors: sum((p) => p.errors),
    errorSamples,
    cpuUsPerRequest:
      cpuKnown && requests > 0 ? sum((p) => (p.requests ? p.cpuUsPerRequest * p.requests : 0)) / requests : Number.NaN,
    foreignCpuPct: durationMs > 0 ? sum((p) => p.foreignCpuPct * p.durationMs) / durationMs : Number.NaN,
  };
}
