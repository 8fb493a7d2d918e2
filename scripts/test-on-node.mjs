// Runs the test suite once more on another Node.js major than the one running npm (22 in
// `npm test`; 20.18.0, the oldest the package supports, 24 and 26 are pinned too). Swixter supports Node >= 20.18, and Node 21
// changed things the proxy depends on: a corked chunked ServerResponse there sends its end before
// the chunks it held, which lost the last events of passthrough streams, and timing that hid a
// race in the config lock on 20 exposed it on 22 (CHANGELOG, Fixed). Neither shows on Node 20.
//
// The binary comes from the npm registry (the `node-<platform>-<arch>` packages the `node` package
// installs from), pinned below, unpacked into .cache/node/ on first use; later runs need no network.
//
//   node scripts/test-on-node.mjs [major] [vitest arguments…]

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PINNED = { 20: '20.18.0', 22: '22.23.3', 24: '24.21.0', 26: '26.10.0' };

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [major = '22', ...vitestArgs] = process.argv.slice(2);
const version = PINNED[major];
if (!version) {
  console.error(`test-on-node: no pinned version for Node ${major} (known: ${Object.keys(PINNED).join(', ')})`);
  process.exit(2);
}
if (process.platform !== 'linux' && process.platform !== 'darwin') {
  console.log(`test-on-node: skipped, no Node ${major} package for ${process.platform} is wired up here`);
  process.exit(0);
}
const pkg = `node-${process.platform}-${process.arch}`;
const dir = join(root, '.cache', 'node', `${pkg}-${version}`);
const node = join(dir, 'bin', 'node');

if (!existsSync(node)) {
  const staging = `${dir}.staging-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  console.log(`test-on-node: fetching ${pkg}@${version} from the npm registry (first run only)…`);
  try {
    run('npm', ['pack', `${pkg}@${version}`, '--pack-destination', staging, '--silent']);
    const tarball = readdirSync(staging).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${pkg}@${version} produced no tarball in ${staging}`);
    run('tar', ['xzf', join(staging, tarball), '-C', staging]);
    if (!existsSync(join(staging, 'package', 'bin', 'node'))) throw new Error(`${pkg}@${version} holds no bin/node`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(join(staging, 'package'), dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

console.log(`test-on-node: vitest on Node ${version} (${node})`);
const result = spawnSync(node, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...vitestArgs], {
  cwd: root,
  stdio: 'inherit',
  // child processes the tests start by name (`node`, npm's scripts) get the same Node
  env: { ...process.env, PATH: `${join(dir, 'bin')}${delimiter}${process.env.PATH ?? ''}` },
});
process.exit(result.status ?? 1);

function run(command, args) {
  const r = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}
