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

/** How long measureInterleaved takes for two systems, warm-ups and the uncounted first pair included. */
export const interleavedCost = (w) => 2 * (w.warmupMs + (w.slices + 1) * (w.sliceWarmupMs + w.durationMs / w.slices));

/**
 * Measures `systems` (two, usually floor and Swixter) in alternating slices and returns one merged
 * result per system, shaped as runLoad's (plus `slices` and `spillUsPerRequest`). `measure(system,
 * load)` runs one window of runLoad for that system with the given options (clients, warm-up,
 * duration) and adds `cpuMs`, `cpuUsPerRequest` and `foreignCpuMs`; `cpuOf(system)` reads a
 * process's CPU time (ms). Each system's connections stay open across its slices.
 *
 * Order: both warm up, then one pair of slices that is not counted, then the counted pairs, always
 * in the same order (a b a b …): every counted slice follows a slice of the other system, so
 * neither starts after an idle gap the other lacks, nor right after itself (which finds its code
 * and data still in the caches: see "The order of a paired run" in docs/performance.md).
 *
 * @param {object} args
 * @param {string[]} args.systems
 * @param {(system: string) => string} args.originOf
 * @param {number} args.concurrency
 * @param {SliceWindows} args.windows
 * @param {(system: string, load: object) => Promise<object>} args.measure
 * @param {(system: string) => number} args.cpuOf
 */
export async function measureInterleaved({ systems, originOf, concurrency, windows, measure, cpuOf }) {
  const clients = new Map(systems.map((s) => [s, openClients(originOf(s), concurrency)]));
  try {
    for (const s of systems) await measure(s, { clients: clients.get(s), warmupMs: windows.warmupMs, durationMs: 0 });
    const parts = new Map(systems.map((s) => [s, []]));
    const spillMs = new Map(systems.map((s) => [s, 0]));
    const sliceMs = windows.durationMs / windows.slices;
    for (let k = -1; k < windows.slices; k++) {
      for (const s of systems) {
        // what the others' processes do meanwhile (timers, the GC's background work): their spill
        const others = systems.filter((o) => o !== s);
        const before = others.map(cpuOf);
        const res = await measure(s, { clients: clients.get(s), warmupMs: windows.sliceWarmupMs, durationMs: sliceMs });
        if (k < 0) continue;
        parts.get(s).push(res);
        for (const [i, o] of others.entries()) spillMs.set(o, spillMs.get(o) + cpuOf(o) - before[i]);
      }
    }
    return Object.fromEntries(systems.map((s) => [s, mergeSlices(parts.get(s), spillMs.get(s))]));
  } finally {
    await Promise.all([...clients.values()].map(closeClients));
  }
}

/**
 * One result from a system's slices: counts and times added up, percentiles over all requests.
 * `spillMs`: the CPU its process used while the other system was measured.
 */
export function mergeSlices(parts, spillMs = Number.NaN) {
  const sum = (f) => parts.reduce((total, p) => total + f(p), 0);
  const durationMs = sum((p) => p.durationMs);
  const requests = sum((p) => p.requests);
  const work = sum((p) => p.work);
  const cpuMs = sum((p) => p.cpuMs);
  const foreignCpuMs = sum((p) => p.foreignCpuMs);
  return {
    concurrency: parts[0].concurrency,
    durationMs,
    slices: parts.length,
    requests,
    work,
    ok: sum((p) => p.ok),
    completed: sum((p) => p.completed),
    rps: work / (durationMs / 1000),
    bytesPerRequest: requests ? sum((p) => p.bytesPerRequest * p.requests) / requests : 0,
    latency: summarize(parts.flatMap((p) => p.samples.latencies)),
    ttfb: summarize(parts.flatMap((p) => p.samples.ttfbs)),
    errors: sum((p) => p.errors),
    errorSamples: [...new Set(parts.flatMap((p) => p.errorSamples))].slice(0, 3),
    cpuMs,
    cpuUsPerRequest: work > 0 ? (cpuMs * 1000) / work : Number.NaN,
    // CPU this system's process used while the other was measured, per request of its own
    spillUsPerRequest: work > 0 ? (spillMs * 1000) / work : Number.NaN,
    foreignCpuMs,
    foreignCpuPct: durationMs > 0 ? Math.max(0, (foreignCpuMs * 100) / durationMs) : Number.NaN,
  };
}
