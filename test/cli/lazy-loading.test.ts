import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempHome, tempHome } from '../helpers/cli.js';

// Each command group is loaded only when it is asked for (src/cli/main.ts): a profile command
// starts without the proxy's data path, and `proxy status` without the profile editors.
const RECORDER = pathToFileURL(resolve(import.meta.dirname, '../helpers/record-modules.mjs')).href;
const DIST = pathToFileURL(resolve(import.meta.dirname, '../../dist')).href;

let home: TempHome;
beforeAll(async () => {
  home = await tempHome();
});
afterAll(() => home.cleanup());

/** The dist/ modules (paths relative to dist/) that `swixter <args>` loaded. */
async function modulesLoadedBy(name: string, ...args: string[]): Promise<string[]> {
  const file = join(home.dir, `${name}.modules`);
  const r = await home.runEnv({ NODE_OPTIONS: `--import ${RECORDER}`, SWIXTER_TEST_MODULES: file }, ...args);
  expect(r.code, r.stderr).toBe(0);
  const urls = (await readFile(file, 'utf8')).split('\n');
  return [...new Set(urls.filter((u) => u.startsWith(`${DIST}/`)).map((u) => u.slice(DIST.length + 1)))];
}

describe('what each command loads', () => {
  it.each([
    [
      'a profile command loads neither the proxy commands nor the data path',
      ['claude', 'list'],
      ['cli/commands/profiles.js'],
      ['cli/commands/proxy.js', 'proxy/start-proxy.js', 'proxy/undici-agent.js'],
    ],
    [
      'proxy status loads no profile editors and no data path',
      ['proxy', 'status'],
      ['cli/commands/proxy-manage.js'],
      ['cli/commands/profiles.js', 'cli/commands/profile-create.js', 'proxy/start-proxy.js', 'proxy/undici-agent.js'],
    ],
  ])('%s', async (_name, args, wanted, unwanted) => {
    const loaded = await modulesLoadedBy(args.join('-'), ...args);
    for (const module of wanted) expect(loaded).toContain(module);
    for (const module of unwanted) expect(loaded).not.toContain(module);
  });

  it('help loads every command group, so it lists them all', async () => {
    const loaded = await modulesLoadedBy('help', '--help');
    for (const group of ['proxy', 'profiles', 'groups', 'providers'])
      expect(loaded).toContain(`cli/commands/${group}.js`);
  });
});
