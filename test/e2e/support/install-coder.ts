import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The coder CLIs the e2e tests run, pinned to the versions docs verified (real-clients.md). */
export const CODERS = {
  claude: { pkg: '@anthropic-ai/claude-code', version: '2.1.197' },
  codex: { pkg: '@openai/codex', version: '0.169.0' },
} as const;

export type CoderName = keyof typeof CODERS;

/** `.cache/coders/` at the repository root (git-ignored through `.cache/`); SWIXTER_E2E_CODER_CACHE overrides it. */
export const CODER_CACHE = resolve(
  process.env.SWIXTER_E2E_CODER_CACHE || resolve(import.meta.dirname, '../../../.cache/coders'),
);

/** Long enough for a cold install of both packages (~13 s here, ~650 MB) on a slow CI runner. */
export const INSTALL_TIMEOUT_MS = 300_000;

const MARKER = '.swixter-installed';

const log = (message: string) => process.stderr.write(`[e2e install] ${message}\n`);

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The executable inside an installed folder, or undefined when it is not (yet) usable. Claude
 * Code's `bin/claude.exe` is a 500-byte stub that only prints an error until its postinstall copies
 * the native binary over it; when the scripts did not run, the native package's binary is used.
 */
async function executableIn(name: CoderName, dir: string): Promise<string | undefined> {
  if (name === 'codex') {
    const bin = join(dir, 'node_modules/.bin/codex');
    return (await isExecutable(bin)) ? bin : undefined;
  }
  const linked = join(dir, 'node_modules/.bin/claude');
  const native = join(dir, `node_modules/@anthropic-ai/claude-code-${process.platform}-${process.arch}/claude`);
  const big = async (file: string) => (await isExecutable(file)) && (await stat(file)).size > 1_000_000;
  if (await big(linked)) return linked;
  if (await big(native)) {
    log(`the claude postinstall link is missing; using ${native}`);
    return native;
  }
  return undefined;
}

function npmInstall(prefix: string, spec: string): Promise<void> {
  return new Promise((done, fail) => {
    const args = ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', spec];
    const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
      cwd: prefix,
      // `npm test` / `npx` export the parent's npm_config_* (its prefix, local prefix, exec call);
      // those must not steer this install. The rest (registry, cache, certificates) still apply.
      env: Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !/^npm_config_(prefix|local_prefix|global|call)$/i.test(k)),
      ),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: string[] = [];
    const relay = (chunk: Buffer) => {
      out.push(chunk.toString());
      for (const line of chunk.toString().split('\n')) if (line.trim()) log(`  npm: ${line.trimEnd()}`);
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    const timer = setTimeout(() => child.kill('SIGKILL'), INSTALL_TIMEOUT_MS - 10_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) done();
      else fail(new Error(`npm ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${out.join('').slice(-4000)}`));
    });
  });
}

const inFlight = new Map<CoderName, Promise<string>>();

/**
 * Installs the pinned coder package into `.cache/coders/<name>-<version>/` unless it is already
 * there, and returns the path of its executable. The install goes to a private folder first and is
 * renamed into place when complete, so concurrent test files never see a half-installed copy (the
 * loser of a race throws its copy away and uses the winner's).
 */
export function installCoder(name: CoderName): Promise<string> {
  let pending = inFlight.get(name);
  if (!pending) {
    pending = install(name);
    inFlight.set(name, pending);
    pending.catch(() => inFlight.delete(name));
  }
  return pending;
}

async function install(name: CoderName): Promise<string> {
  const { pkg, version } = CODERS[name];
  const dir = join(CODER_CACHE, `${name}-${version}`);
  const marker = join(dir, MARKER);
  const installed = async () => ((await exists(marker)) ? executableIn(name, dir) : undefined);

  const ready = await installed();
  if (ready) return ready;
  if (await exists(dir)) {
    // A copy made by hand with the same npm command is fine; anything else is a broken leftover.
    const adopted = (await exists(marker)) ? undefined : await executableIn(name, dir);
    if (adopted) {
      await writeFile(marker, `${pkg}@${version}\n`);
      return adopted;
    }
    log(`${dir} is incomplete; reinstalling`);
    await rm(dir, { recursive: true, force: true });
  }

  const started = Date.now();
  const staging = join(CODER_CACHE, `.staging-${name}-${version}-${process.pid}-${Date.now()}`);
  await mkdir(staging, { recursive: true });
  log(`installing ${pkg}@${version} into ${dir} (first run only; a few hundred MB)…`);
  try {
    await npmInstall(staging, `${pkg}@${version}`);
    if (!(await executableIn(name, staging))) throw new Error(`${pkg}@${version} installed but has no executable`);
    await writeFile(join(staging, MARKER), `${pkg}@${version}\n`);
    try {
      await rename(staging, dir); // atomic: the folder appears complete, marker included
    } catch (error) {
      // Another process finished first (the target exists and is not empty): use its copy.
      const theirs = await installed();
      if (!theirs) throw error;
      log(`another run installed ${pkg}@${version} meanwhile; using it`);
      return theirs;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const bin = await installed();
  if (!bin) throw new Error(`${pkg}@${version}: no usable executable in ${dir}`);
  log(`${pkg}@${version} ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${bin}`);
  return bin;
}
