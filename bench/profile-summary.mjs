// Summarises a V8 .cpuprofile (from `node bench/profile.mjs`, `BENCH_CPU_PROF=1 npm run bench`, or
// any `node --cpu-prof`):
//   node bench/profile-summary.mjs <file.cpuprofile> [top=25] [skip-ms=0]
// Prints where the busy time goes three ways: by function (self time), by the innermost
// Swixter function on the stack (self time of everything it calls, libraries and built-ins
// included, charged to the Swixter code that called them), and by file. Samples in the first
// `skip-ms` of the profile (start-up) are left out.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export function summarizeProfile(file, { top = 25, skipMs = 0 } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const out = [];

  const byId = new Map();
  const parent = new Map();
  for (const node of profile.nodes) byId.set(node.id, node);
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const selfUs = new Map();
  let clock = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    clock += profile.timeDeltas[i] ?? 0;
    if (clock < skipMs * 1000) continue;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }

  const shortUrl = (url) => {
    if (!url) return '';
    const m = /\/(dist|node_modules)\/(.*)$/.exec(url);
    if (m)
      return m[1] === 'dist'
        ? `src/${m[2].replace(/\.js$/, '.ts')}`
        : m[2].replace(/^\.pnpm\/[^/]+\/node_modules\//, '');
    return url.replace(/^node:/, 'node:').replace(/^file:\/\//, '');
  };
  const label = (node) => {
    const cf = node.callFrame;
    const name = cf.functionName || '(anonymous)';
    const where = shortUrl(cf.url);
    return where ? `${name}  ${where}:${cf.lineNumber + 1}` : name;
  };
  const isSwixter = (node) => /\/dist\//.test(node.callFrame.url);

  let total = 0;
  let idle = 0;
  const selfByLabel = new Map();
  const byFile = new Map();
  const bySwixter = new Map();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    const name = node.callFrame.functionName;
    total += us;
    if (name === '(idle)') {
      idle += us;
      continue;
    }
    const l = label(node);
    selfByLabel.set(l, (selfByLabel.get(l) ?? 0) + us);
    const f = shortUrl(node.callFrame.url) || name || '(native)';
    byFile.set(f, (byFile.get(f) ?? 0) + us);
    // charge to the innermost Swixter frame on the stack
    let cur = node;
    while (cur && !isSwixter(cur)) cur = byId.get(parent.get(cur.id));
    const owner = cur
      ? label(cur)
      : name === '(garbage collector)' || name === '(program)'
        ? name
        : '(outside Swixter code)';
    bySwixter.set(owner, (bySwixter.get(owner) ?? 0) + us);
  }

  const busy = total - idle;
  const pct = (us) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  const print = (title, map) => {
    out.push('', title);
    for (const [k, us] of [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top))
      out.push(`  ${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  };
  out.push(
    `${file}`,
    `  profiled ${(total / 1e6).toFixed(1)} s${skipMs ? ` (after skipping the first ${skipMs} ms)` : ''}, busy ${(busy / 1e6).toFixed(1)} s (${((100 * busy) / total).toFixed(0)}%); percentages are of busy time`,
  );
  print('Self time by function', selfByLabel);
  print('By innermost Swixter function on the stack (what it calls included)', bySwixter);
  print('Self time by file', byFile);
  return out.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, top, skip] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node bench/profile-summary.mjs <file.cpuprofile> [top] [skip-ms]\n');
    process.exit(2);
  }
  process.stdout.write(`${summarizeProfile(file, { top: Number(top ?? 25), skipMs: Number(skip ?? 0) })}\n`);
}
