import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A stand-in for a coder CLI: prints one JSON line with its arguments, the ANTHROPIC_* /
 * OPENAI_* / SWIXTER_* environment, the --settings file it got, and the proxy instances
 * registered while it runs; optionally sends one request through ANTHROPIC_BASE_URL; then
 * exits with $FAKE_EXIT (or kills itself with $FAKE_SIGNAL).
 */
const FAKE_CODER = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
async function main() {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(ANTHROPIC|OPENAI|SWIXTER_PROXY)/.test(k)));
  const args = process.argv.slice(2);
  const i = args.indexOf('--settings');
  const settings = i >= 0 ? JSON.parse(fs.readFileSync(args[i + 1], 'utf8')) : null;
  const runDir = path.join(process.env.SWIXTER_HOME, 'run');
  const instances = fs.existsSync(runDir)
    ? fs.readdirSync(runDir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(runDir, f), 'utf8')))
    : [];
  let response = null;
  if (process.env.FAKE_REQUEST) {
    const headers = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'user-agent': 'claude-cli/9.9.9 (fake)' };
    if (!process.env.FAKE_NO_TOKEN) headers.authorization = 'Bearer ' + process.env.ANTHROPIC_AUTH_TOKEN;
    const res = await fetch(process.env.ANTHROPIC_BASE_URL + '/v1/messages', {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }),
    });
    response = { status: res.status, body: await res.json() };
  }
  process.stdout.write(JSON.stringify({ args, env, settings, instances, response }) + '\\n');
  if (process.env.FAKE_SIGNAL) process.kill(process.pid, process.env.FAKE_SIGNAL);
  process.exitCode = Number(process.env.FAKE_EXIT || 0);
}
main();
`;

/** Waits for a signal; reports it and exits with a code that names it. */
const FAKE_WAITER = `#!/usr/bin/env node
for (const [signal, code] of [['SIGINT', 21], ['SIGTERM', 22], ['SIGHUP', 23]]) {
  process.on(signal, () => {
    process.stdout.write('got ' + signal + '\\n');
    process.exit(code);
  });
}
process.stdout.write('ready\\n');
setInterval(() => {}, 1000);
`;

/** Writes `claude`, `codex`, `some-tool` (fake coders) and `waiter` into `<dir>/bin`; returns that folder. */
export async function writeFakeCoders(dir: string): Promise<string> {
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  for (const [name, text] of [
    ['claude', FAKE_CODER],
    ['codex', FAKE_CODER],
    ['some-tool', FAKE_CODER],
    ['waiter', FAKE_WAITER],
  ] as const) {
    await writeFile(join(bin, name), text);
    await chmod(join(bin, name), 0o755);
  }
  return bin;
}

export interface FakeReport {
  args: string[];
  env: Record<string, string>;
  settings: { env: Record<string, string> } | null;
  instances: Array<{ name: string; pid: number; url: string; temporary?: boolean; mode: { kind: string } }>;
  response: { status: number; body: any } | null;
}

export const parseReport = (stdout: string): FakeReport => JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
