// Profiles Swixter under one bench scenario: starts the mock and Swixter (with --cpu-prof),
// sends that scenario's Swixter request at its concurrency for a while, stops Swixter (which
// writes the profile) and prints where the time went.
//   npm run build && node bench/profile.mjs <scenario id> [seconds=8]
// Scenario ids: json-c32, json-c1, sse-c32, sse-c1, 1mb-c8, 1mb-c1, conv-sse-c32, conv-sse-c1,
// conv-1mb-c8, conv-1mb-c1, resp-sse-c32, resp-sse-c1. Profiles land in .bench-out/profiles/.

import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLoad } from './load.mjs';
import { cpuMs, pinningPlan, pinSelf, startMock, startSwixter, stopAll, tempHome } from './processes.mjs';
import { summarizeProfile } from './profile-summary.mjs';
import { scenarios } from './scenarios.mjs';

const [id, secondsArg] = process.argv.slice(2);
const all = scenarios();
const sc = all.find((s) => s.id === id);
if (!sc) {
  process.stderr.write(`usage: node bench/profile.mjs <${all.map((s) => s.id).join('|')}> [seconds]\n`);
  process.exit(2);
}
const seconds = Number(secondsArg ?? 8);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dir = join(ROOT, '.bench-out', 'profiles', `${id}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
mkdirSync(dir, { recursive: true });
const home = tempHome('profile');

const pin = pinningPlan();
if (pin.enabled) pinSelf(pin.loadCore);
const mock = await startMock(pin.enabled ? pin.loadCore : undefined);
const mockOrigin = `http://127.0.0.1:${mock.port}`;
writeFileSync(
  join(home, 'config.json'),
  JSON.stringify({
    version: '2.0.0',
    profiles: {
      'bench-anthropic': { name: 'bench-anthropic', providerId: 'anthropic', apiKey: 'sk-ant-x', baseURL: mockOrigin },
      'bench-chat': {
        name: 'bench-chat',
        providerId: 'custom',
        apiKey: 'sk-x',
        baseURL: `${mockOrigin}/v1`,
        apiFormat: 'openai_chat',
        model: 'mock-chat-model',
      },
    },
  }),
);
const started = performance.now();
const swixter = await startSwixter({
  core: pin.enabled ? pin.proxyCore : undefined,
  home,
  profile: sc.swixter === 'pt' ? 'bench-anthropic' : 'bench-chat',
  name: 'profiled',
  nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
});
let cpu0 = 0;
let cpu1 = 0;
const warmupMs = 1000;
const skipMs = Math.round(performance.now() - started + warmupMs);
const res = await runLoad(
  { ...sc.requests.swixter, origin: `http://127.0.0.1:${swixter.port}` },
  {
    concurrency: sc.concurrency,
    warmupMs,
    durationMs: seconds * 1000,
    onWindowStart: () => {
      cpu0 = cpuMs(swixter.pid);
    },
    onWindowEnd: () => {
      cpu1 = cpuMs(swixter.pid);
    },
  },
);
await stopAll(8000);
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) {
  process.stderr.write(`no profile written in ${dir}\n`);
  process.exit(1);
}
const target = join(dir, `swixter-${id}.cpuprofile`);
renameSync(join(dir, file), target);
process.stdout.write(
  `${id}: ${Math.round(res.rps)} req/s at c=${sc.concurrency}, p50 ${res.latency.p50.toFixed(3)} ms, ` +
    `${(((cpu1 - cpu0) * 1000) / res.work).toFixed(0)} µs CPU per request, ${res.errors} errors` +
    `${res.errorSamples.length ? ` (${res.errorSamples.join(' | ')})` : ''}\n`,
);
process.stdout.write(`${summarizeProfile(target, { top: 25, skipMs })}\n`);
