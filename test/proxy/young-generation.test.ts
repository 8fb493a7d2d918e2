// The proxy's young-generation hold (src/proxy/heap-tuning.ts), in a real V8: a child process
// keeps ~4 MB alive across scavenges at a few scavenges per second (as long streams do), then
// scavenges many times a second (as a high request rate does). Runs the built module (dist/).
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const MODULE = resolve(import.meta.dirname, '../../dist/proxy/heap-tuning.js');
const MB = 1024 * 1024;

const CHILD = `
import { getHeapSpaceStatistics } from 'node:v8';
const { tuneHeapForProxy } = await import(process.argv[1]);
const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const keep = [];
// ~2 MB that stays alive for three rounds
const round = () => { keep.push(Array.from({ length: 2000 }, (_, i) => new Array(128).fill(i))); if (keep.length > 3) keep.shift(); };
if (process.argv[2] === 'tuned') tuneHeapForProxy();
for (let i = 0; i < 100 && newSpace() < 16 * 1048576; i++) { round(); gc({ type: 'minor' }); }
await sleep(100);
const start = newSpace();
for (let i = 0; i < 8; i++) { round(); gc({ type: 'minor' }); await sleep(250); }
const paced = newSpace();
for (let i = 0; i < 100; i++) { round(); gc({ type: 'minor' }); if (i % 10 === 0) await sleep(1); }
console.log(JSON.stringify({ start, paced, busy: newSpace() }));
`;

function run(mode: 'tuned' | 'untuned'): Promise<{ start: number; paced: number; busy: number }> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      ['--expose-gc', '--input-type=module', '-e', CHILD, MODULE, mode],
      { timeout: 30_000 },
      (error, stdout, stderr) => (error ? fail(new Error(`${error.message}\n${stderr}`)) : done(JSON.parse(stdout))),
    );
  });
}

describe('young generation', () => {
  it('stays at 16 MB under long-lived objects at a few scavenges a second, and grows once scavenges are frequent', async (ctx) => {
    const [tuned, untuned] = await Promise.all([run('tuned'), run('untuned')]);
    // V8 14 (Node 26) reports its young generation's size otherwise; the hold never engages there
    if (untuned.start !== 16 * MB) ctx.skip();
    // without the hold, V8 doubles it during the paced phase: the scenario does what it should
    expect(untuned).toMatchObject({ start: 16 * MB, paced: 32 * MB });
    expect(tuned).toMatchObject({ start: 16 * MB, paced: 16 * MB });
    expect(tuned.busy).toBeGreaterThanOrEqual(32 * MB); // as much as V8 wants (Node 24 goes on to 128 MB)
  }, 30_000);
});
