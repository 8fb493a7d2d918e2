// A quick, paired comparison for one change: this checkout's Swixter beside the floor proxy —
// and beside another build with --base — on the same scenarios, in many short interleaved
// windows (the same order every round), reporting medians. On a shared machine whose speed
// drifts from minute to minute, this settles "is B faster than A" far better than two full
// `npm run bench` runs made at different times. Not a replacement for the full report.
//
//   npm run build && node bench/compare.mjs json-c32,sse-c32 [--rounds 10] [--ms 2000] [--launches 1] [--base <dir> [--both-ways]] [--warm-all] [--paced-first] [--node-args="<flags>"] [--this-node-args="<flags>"]
//
// --launches N: start fresh processes N times per scenario, `rounds` rounds each. Two processes of
// the very same build differ by up to ±8% in CPU per request for as long as they run (JIT and
// memory-layout luck; an A/A run on 2026-11-26 read 1.08, 0.93 and 0.99 for three scenarios), so
// "swixter ÷ base" from one launch cannot tell changes of that size apart; the median over
// several launches can.
// --warm-all: before measuring, send every other scenario of the same Swixter instance through it
// (as the full bench does); without it each instance only ever sees the measured requests.
// --paced-first: before that, 64 slow streams through every system (the full run's memory section).
// --base <dir>: a checkout with its own node_modules and build (e.g. `git worktree add /tmp/base
// HEAD~1 && cd /tmp/base && npm ci && npm run build`), started as "base".
// --both-ways (with --base): every other launch starts and measures base before swixter. The
// position in a round biases CPU per request by a few per cent (a build read 1.04 ÷ the other
// one way and 1.09 the other way round in one hour); the geometric mean of the two halves'
// medians ("combined") cancels it. Use an even number of launches.
// --node-args="<flags>": extra Node/V8 flags for every Swixter process (e.g. "--trace-gc", or
// "--import ./probe.mjs" to load a probe that records GC events).
// --this-node-args="<flags>" (with --base): flags for this checkout's Swixter only, to pair a flag
// against the same build without it (e.g. --base pointing at a copy of this build).

import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad } from './load.mjs';
import { cpuMs, pinningPlan, pinSelf, startFloor, startMock, startSwixter, stopAll, tempHome } from './processes.mjs';
import { PACED, pacedStreamRequest, scenarios } from './scenarios.mjs';
import { writeConfig } from './setup.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '10' },
    ms: { type: 'string', default: '2000' },
    base: { type: 'string' },
    'warm-all': { type: 'boolean', default: false },
    'paced-first': { type: 'boolean', default: false },
    'node-args': { type: 'string', default: '' },
    'this-node-args': { type: 'string', default: '' },
    launches: { type: 'string', default: '1' },
    'both-ways': { type: 'boolean', default: false },
  },
});
const all = scenarios();
const wanted = (positionals[0] ?? 'json-c32').split(',').map((id) => all.find((s) => s.id === id) ?? id);
const unknown = wanted.filter((s) => typeof s === 'string');
if (unknown.length > 0) {
  process.stderr.write(`unknown scenario(s): ${unknown.join(', ')}; one of ${all.map((s) => s.id).join(', ')}\n`);
  process.exit(2);
}
const rounds = Number(values.rounds);
const launches = Math.max(1, Number(values.launches));
const window = { warmupMs: 200, durationMs: Number(values.ms) };
const nodeArgs = values['node-args'].split(' ').filter(Boolean);
const thisNodeArgs = [...nodeArgs, ...values['this-node-args'].split(' ').filter(Boolean)];
const baseMain = values.base ? join(resolve(values.base), 'dist/cli/main.js') : undefined;
const bothWays = values['both-ways'];
if (bothWays && !baseMain) {
  process.stderr.write('--both-ways compares two builds: give --base <dir>\n');
  process.exit(2);
}
if (baseMain && !existsSync(baseMain)) {
  process.stderr.write(`${baseMain} is missing: build the base checkout first\n`);
  process.exit(2);
}

const home = tempHome('compare');
const pin = pinningPlan();
if (pin.enabled) pinSelf(pin.loadCore);
const core = pin.enabled ? pin.proxyCore : undefined;
const mock = await startMock(pin.enabled ? pin.loadCore : undefined);
const mockOrigin = `http://127.0.0.1:${mock.port}`;
writeConfig(home, mockOrigin);

/** The middle value; for an even count the mean of the two middle ones. */
const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/**
 * Two launches of one build differ by up to ±8% for as long as they run, so a ratio from a few
 * launches is uncertain by several per cent: A/A runs (two copies of one build, both ways) read a
 * combined 1.07 with 4 launches and 1.00 (launches 0.91–1.12) with 8, on 2026-11-26. A bootstrap
 * over the launches says how much: the 2.5th and 97.5th percentiles of `statistic` over 2,000
 * resamplings (a fixed seed: the same launches give the same interval). With fewer than 8
 * launches it claims more certainty than there is (2 per half: too few values to resample), so it
 * is not printed.
 */
const MIN_LAUNCHES_FOR_INTERVAL = 8;
function bootstrap95(statistic) {
  seed = 0x5eed;
  const values = Array.from({ length: 2000 }, statistic).sort((a, b) => a - b);
  return [values[49], values[1949]];
}
let seed = 0x5eed;
/** xs drawn with replacement (mulberry32). */
function resample(xs) {
  return xs.map(() => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return xs[Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * xs.length)];
  });
}

/**
 * One launch: fresh processes for this scenario, warmed, then `rounds` interleaved rounds.
 * `baseFirst`: base is started and measured before swixter (--both-ways).
 */
async function launch(sc, baseFirst) {
  const profile = sc.swixter === 'conv' ? 'bench-chat' : 'bench-anthropic';
  const floor = await startFloor(core, mockOrigin);
  const systems = { floor: { ...floor, request: sc.requests.floor } };
  const startThis = async () => {
    systems.swixter = {
      ...(await startSwixter({ core, home, profile, name: 'compare', nodeArgs: thisNodeArgs })),
      request: sc.requests.swixter,
    };
  };
  const startBase = async () => {
    systems.base = {
      ...(await startSwixter({ core, home, profile, name: 'compare-base', main: baseMain, nodeArgs })),
      request: sc.requests.swixter,
    };
  };
  if (baseFirst) await startBase();
  await startThis();
  if (baseMain && !baseFirst) await startBase();
  const names = Object.keys(systems);
  const measure = async (name, w, request = systems[name].request, concurrency = sc.concurrency) => {
    const s = systems[name];
    let c0 = 0;
    let c1 = 0;
    const res = await runLoad(
      { ...request, origin: `http://127.0.0.1:${s.port}` },
      {
        concurrency,
        ...w,
        onWindowStart: () => {
          c0 = cpuMs(s.pid);
        },
        onWindowEnd: () => {
          c1 = cpuMs(s.pid);
        },
      },
    );
    return { rps: res.rps, cpu: ((c1 - c0) * 1000) / Math.max(1, res.work), errors: res.errors };
  };
  // --paced-first: the full run's memory section (64 slow streams) before anything else
  if (values['paced-first'])
    for (const name of names)
      await measure(name, { warmupMs: 600, durationMs: 3000 }, { ...pacedStreamRequest() }, PACED.concurrency);
  // --warm-all: first every scenario this Swixter instance serves in the full bench, as there
  if (values['warm-all'])
    for (const other of all.filter((o) => o.swixter === sc.swixter))
      for (const name of names.filter((n) => n !== 'floor'))
        await measure(name, { warmupMs: 0, durationMs: 1500 }, other.requests.swixter, other.concurrency);
  for (const name of names) await measure(name, { warmupMs: 300, durationMs: 1500 }); // JIT warm-up
  const results = Object.fromEntries(names.map((n) => [n, []]));
  // The same order every round (floor, swixter, base, floor, swixter, base, …): every system has
  // all the others measured between two of its windows. Flipping the order every round (until
  // 2026-11-26) measured the last system twice in a row every other round, and that alone read
  // 5–10% cheaper CPU per request (A/A and swapped runs); rotating it left uneven gaps (1, 1, 4).
  for (let r = 0; r < rounds; r++) for (const name of names) results[name].push(await measure(name, window));
  await Promise.all(Object.values(systems).map(stop));
  return results;
}

for (const sc of wanted) {
  const results = {};
  const launchRatios = [];
  for (let l = 0; l < launches; l++) {
    const one = await launch(sc, bothWays && l % 2 === 1);
    for (const [name, xs] of Object.entries(one)) {
      results[name] ??= [];
      results[name].push(...xs);
    }
    if (baseMain) launchRatios.push(median(one.swixter.map((x, i) => x.cpu / one.base[i].cpu)));
  }
  const names = Object.keys(results);
  const floorRps = median(results.floor.map((x) => x.rps));
  const shape = `${launches > 1 ? `${launches} launches × ` : ''}${rounds} rounds × ${window.durationMs} ms`;
  process.stdout.write(`${sc.id} (c=${sc.concurrency}, ${shape}):\n`);
  for (const name of names) {
    const xs = results[name];
    const rps = median(xs.map((x) => x.rps));
    const errors = xs.reduce((sum, x) => sum + x.errors, 0);
    process.stdout.write(
      `  ${name.padEnd(8)} ${Math.round(rps).toString().padStart(6)} req/s  ${(rps / floorRps).toFixed(2)}× floor  CPU ${median(xs.map((x) => x.cpu)).toFixed(0)} µs/req${errors ? `  ${errors} errors` : ''}\n`,
    );
  }
  if (baseMain) {
    const perRound = results.swixter.map((x, i) => x.cpu / results.base[i].cpu);
    process.stdout.write(
      `  swixter ÷ base CPU per request: median ${median(perRound).toFixed(2)} (rounds: ${perRound.map((x) => x.toFixed(2)).join(' ')})\n`,
    );
    if (launches > 1)
      process.stdout.write(
        `  per launch (median of its rounds): ${launchRatios.map((x) => x.toFixed(2)).join(' ')}; median ${median(launchRatios).toFixed(2)}\n`,
      );
    if (bothWays && launches > 1) {
      const firsts = launchRatios.filter((_, l) => l % 2 === 0);
      const seconds = launchRatios.filter((_, l) => l % 2 === 1);
      const combined = (a, b) => Math.sqrt(median(a) * median(b));
      process.stdout.write(
        `  swixter measured first ${median(firsts).toFixed(2)}, base first ${median(seconds).toFixed(2)}: combined ${combined(firsts, seconds).toFixed(2)}\n`,
      );
      if (launches >= MIN_LAUNCHES_FOR_INTERVAL) {
        const [low, high] = bootstrap95(() => combined(resample(firsts), resample(seconds)));
        process.stdout.write(
          `  combined, 95% interval over launches: ${low.toFixed(2)}–${high.toFixed(2)}${low <= 1 && high >= 1 ? ' (holds 1.00: these launches do not tell the builds apart)' : ''}\n`,
        );
      }
    } else if (launches >= MIN_LAUNCHES_FOR_INTERVAL) {
      const [low, high] = bootstrap95(() => median(resample(launchRatios)));
      process.stdout.write(`  per-launch median, 95% interval: ${low.toFixed(2)}–${high.toFixed(2)}\n`);
    }
  }
}
await stopAll(3000);

/** Stops one proxy (the mock stays up for the next scenario). */
function stop(proc) {
  const { child } = proc.entry;
  if (child.exitCode !== null) return Promise.resolve();
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  return exited;
}
