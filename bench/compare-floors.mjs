// Which floor does the least work? The floor proxy (node:http's own client, bench/floor-proxy.mjs)
// beside the former one (an undici Pool, bench/floor-undici.mjs), in the same run: peak memory
// after the memory scenario's 64 paced streams, then requests/s and CPU per request in
// interleaved windows (the order flips every round), medians.
//
//   node bench/compare-floors.mjs [--rounds 6] [--ms 2000]

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runLoad } from './load.mjs';
import { benchFile, cpuMs, pinningPlan, pinSelf, startChild, startMock, stopAll } from './processes.mjs';
import { PACED, pacedStreamRequest, scenarios } from './scenarios.mjs';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '6' }, ms: { type: 'string', default: '2000' } },
});
const rounds = Number(values.rounds);
const ms = Number(values.ms);

const pin = pinningPlan();
if (pin.enabled) pinSelf(pin.loadCore);
const mock = await startMock(pin.enabled ? pin.loadCore : undefined);
const upstream = `http://127.0.0.1:${mock.port}`;
const start = (name, file) =>
  startChild({
    name,
    command: process.execPath,
    args: [benchFile(file), upstream],
    core: pin.enabled ? pin.proxyCore : undefined,
    ready: (line) => (line.startsWith('{') ? { port: JSON.parse(line).port } : undefined),
  });
const floors = {
  'node:http': await start('floor', './floor-proxy.mjs'),
  undici: await start('undici', './floor-undici.mjs'),
};

const peakMb = (pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
const paced = pacedStreamRequest();
for (const floor of Object.values(floors))
  await runLoad(
    { ...paced, origin: `http://127.0.0.1:${floor.port}` },
    { concurrency: PACED.concurrency, warmupMs: 0, durationMs: 3600 },
  );
console.log(
  `peak RSS after ${PACED.concurrency} paced streams: ${Object.entries(floors)
    .map(([k, f]) => `${k} ${peakMb(f.pid).toFixed(1)} MB`)
    .join(', ')}`,
);

const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
for (const id of ['json-c32', 'sse-c32', '1mb-c8']) {
  const sc = scenarios().find((s) => s.id === id);
  const results = Object.fromEntries(Object.keys(floors).map((k) => [k, { rate: [], cpu: [] }]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? Object.keys(floors).reverse() : Object.keys(floors);
    for (const name of order) {
      const floor = floors[name];
      let cpu0 = 0;
      let cpu1 = 0;
      const r = await runLoad(
        { ...sc.requests.floor, origin: `http://127.0.0.1:${floor.port}` },
        {
          concurrency: sc.concurrency,
          warmupMs: 500,
          durationMs: ms,
          onWindowStart: () => (cpu0 = cpuMs(floor.pid)),
          onWindowEnd: () => (cpu1 = cpuMs(floor.pid)),
        },
      );
      if (r.errors > 0 || r.requests === 0)
        console.log(`  ${name} ${id} round ${round + 1}: ${r.errors} failed requests, ${r.requests} counted`);
      results[name].rate.push((r.work * 1000) / ms);
      results[name].cpu.push(((cpu1 - cpu0) * 1000) / r.work);
    }
  }
  const line = Object.entries(results)
    .map(([k, v]) => `${k} ${median(v.rate).toFixed(0)} req/s, ${median(v.cpu).toFixed(0)} µs CPU per request`)
    .join(' | ');
  console.log(`${id} (c=${sc.concurrency}, ${rounds} rounds × ${ms} ms): ${line}`);
}
await stopAll(2000);
process.exit(0);
