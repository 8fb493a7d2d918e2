// The memory section of `npm run bench`: 64 paced streams at once through each proxy, on
// processes that have served nothing else yet; peak RSS = VmHWM.

import { runLoad } from './load.mjs';
import { memoryMb, startSwixter, stopChild } from './processes.mjs';
import { PACED, pacedStreamRequest } from './scenarios.mjs';

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * Measures the passthrough Swixter, the floor, and a conversion Swixter started for this (VmHWM
 * is a high-water mark, so the conversion row needs a process of its own; it is stopped after).
 * Returns the section's results and how many requests the Swixter processes answered.
 */
export async function measureMemory({ window, swixter, floor, swixterOptions, log, addCheck, warnIfStderr }) {
  const memory = {
    spec: `${PACED.concurrency} concurrent Anthropic streams, ${PACED.events} events × ${PACED.paceMs} ms each, for ${(window.warmupMs + window.durationMs) / 1000} s, on freshly started processes; peak = VmHWM`,
  };
  let sent = 0;
  const convMemory = await startSwixter({ ...swixterOptions, profile: 'bench-chat', name: 'bench-memory-conv' });
  const runs = [
    ['pt', swixter],
    ['floor', floor],
    ['conv', convMemory],
  ];
  for (const [key, proc] of runs) {
    const idle = memoryMb(proc.pid);
    let peakAnon = idle.anon;
    const sampler = setInterval(() => {
      peakAnon = Math.max(peakAnon, memoryMb(proc.pid).anon);
    }, 50);
    const res = await runLoad(
      { ...pacedStreamRequest(), origin: `http://127.0.0.1:${proc.port}` },
      { concurrency: PACED.concurrency, ...window },
    );
    clearInterval(sampler);
    const after = memoryMb(proc.pid);
    if (res.ok === 0) {
      const why = res.errorSamples[0] ?? 'no answer';
      memory[key] = {
        unavailable: key === 'conv' ? `conversion not available: ${why}` : `no stream succeeded: ${why}`,
      };
      log(`memory ${key}: n/a (${memory[key].unavailable})`);
      continue;
    }
    memory[key] = {
      rssBeforeMb: idle.rss,
      anonBeforeMb: idle.anon,
      fileMb: after.file,
      peakAnonMb: Math.max(peakAnon, after.anon),
      hwmMb: after.hwm,
      rssAfterMb: after.rss,
      requests: res.requests,
      errors: res.errors,
      ttfbP50: res.ttfb.p50,
      latencyP50: res.latency.p50,
    };
    sent += key === 'floor' ? 0 : res.completed;
    if (res.errors) addCheck(`memory ${key}: ${res.errors} failed streams: ${res.errorSamples.join(' | ')}`);
    log(
      `memory ${key.padEnd(5)}: peak ${after.hwm.toFixed(1)} MB (idle ${idle.rss.toFixed(1)} MB), rss after ${after.rss.toFixed(1)} MB, ${res.requests} streams`,
    );
    await sleep(200);
  }
  warnIfStderr('memory conv', convMemory);
  await stopChild(convMemory.entry);
  return { memory, sent };
}
