// Bench set-up pieces: options, the Swixter config the bench writes, and facts for the report.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONVERSION_MODEL, UPSTREAM_KEYS } from './payloads.mjs';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

// ---- options ------------------------------------------------------------------------------------

export function options() {
  const argv = process.argv.slice(2);
  const flag = (name) => argv.includes(name);
  const value = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const env = process.env;
  const quick = flag('--quick') || env.BENCH_QUICK === '1';
  const rounds = Number(value('--rounds') ?? env.BENCH_ROUNDS ?? (quick ? 1 : 3));
  const only = (value('--only') ?? env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (flag('--no-pin')) env.BENCH_PIN = '0';
  return {
    quick,
    rounds: Number.isInteger(rounds) && rounds > 0 ? rounds : 3,
    only,
    cpuProf: flag('--cpu-prof') || env.BENCH_CPU_PROF === '1',
    keep: flag('--keep') || env.BENCH_KEEP === '1',
    retryBudgetMs: Number(env.BENCH_RETRY_BUDGET_MS ?? (quick ? 3000 : 25_000)),
    // throughput and latency: direct gets warmupMs + durationMs in one window; the floor and
    // Swixter each warmupMs once, then durationMs in `slices` alternating slices, each after
    // sliceWarmupMs of load not counted (interleave.mjs)
    windows: quick
      ? {
          warmup: { warmupMs: 0, durationMs: 150 },
          throughput: { warmupMs: 100, durationMs: 400, slices: 2, sliceWarmupMs: 30 },
          latency: { warmupMs: 100, durationMs: 300, slices: 2, sliceWarmupMs: 30 },
          memory: { warmupMs: 200, durationMs: 800 },
        }
      : {
          warmup: { warmupMs: 0, durationMs: 500 },
          throughput: { warmupMs: 1000, durationMs: 1500, slices: 6, sliceWarmupMs: 50 },
          latency: { warmupMs: 200, durationMs: 1000, slices: 5, sliceWarmupMs: 30 },
          memory: { warmupMs: 600, durationMs: 3000 },
        },
  };
}

export function gitRevision() {
  try {
    const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${rev} + uncommitted changes in src/` : rev;
  } catch {
    return 'unknown';
  }
}

export function writeConfig(dir, mockOrigin) {
  const now = new Date().toISOString();
  const config = {
    version: '2.0.0',
    profiles: {
      'bench-anthropic': {
        name: 'bench-anthropic',
        providerId: 'anthropic',
        apiKey: UPSTREAM_KEYS.anthropic,
        baseURL: mockOrigin,
        createdAt: now,
        updatedAt: now,
      },
      'bench-chat': {
        name: 'bench-chat',
        providerId: 'custom',
        apiKey: UPSTREAM_KEYS.chat,
        baseURL: `${mockOrigin}/v1`,
        apiFormat: 'openai_chat',
        model: 'mock-chat-model',
        createdAt: now,
        updatedAt: now,
      },
    },
    coders: {},
    groups: {},
    // One Swixter process serves every scenario, as one proxy serves a user's coders: the
    // conversion scenarios' models go to the Chat profile.
    proxy: {
      // rotated at the default size, but no file dropped: the run checks one line per request
      logKeep: 50,
      routes: [
        { match: { model: CONVERSION_MODEL }, profile: 'bench-chat' },
        { match: { model: 'mock-model' }, profile: 'bench-chat' }, // Codex's request (test/fixtures/codex)
      ],
    },
  };
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
}

/** What the access logs say: entries, statuses, errors. */
export function accessLogSummary(dir) {
  const logs = join(dir, 'logs');
  if (!existsSync(logs)) return { files: 0 };
  const summary = { files: 0, entries: 0, byStatus: {}, withError: 0, withUsage: 0, errors: [] };
  for (const file of readdirSync(logs)) {
    summary.files++;
    const text = readFileSync(join(logs, file), 'utf8');
    for (const line of text.split('\n')) {
      if (!line) continue;
      summary.entries++;
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        summary.errors.length < 5 && summary.errors.push(`${file}: a line that is not JSON: ${line.slice(0, 80)}`);
        continue;
      }
      summary.byStatus[entry.status] = (summary.byStatus[entry.status] ?? 0) + 1;
      if (entry.usage) summary.withUsage++;
      if (entry.error) {
        summary.withError++;
        const text = `${entry.path} ${entry.status} ${entry.error.kind}: ${entry.error.message}`;
        if (summary.errors.length < 5 && !summary.errors.includes(text)) summary.errors.push(text);
      }
    }
  }
  return summary;
}
