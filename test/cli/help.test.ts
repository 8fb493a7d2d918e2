import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempHome, tempHome } from '../helpers/cli.js';

let home: TempHome;
beforeAll(async () => {
  home = await tempHome();
});
afterAll(() => home.cleanup());

describe('help and version', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const r = await home.run('--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it.each([
    [[], ['claude', 'codex', 'group', 'providers']],
    [['claude'], ['create', 'edit|update', 'list|ls', 'show', 'delete|rm', 'switch|sw', 'current']],
    [['codex'], ['create', 'edit|update', 'list|ls', 'switch|sw']],
    [
      ['claude', 'create'],
      [
        '--provider',
        '--api-key',
        '--api-key-env',
        '--base-url',
        '--model',
        '--haiku-model',
        '--api-format',
        '--header',
      ],
    ],
    [['group'], ['create', 'list|ls', 'show', 'edit|update', 'delete|rm', 'set-default']],
    [['providers'], ['list|ls', 'show', 'add', 'remove|rm']],
  ])('swixter %j --help lists %j', async (args, expected) => {
    const r = await home.run(...args, '--help');
    expect(r.code).toBe(0);
    for (const word of expected) expect(r.stdout).toContain(word);
  });

  it('an unknown command is a usage error (exit 2)', async () => {
    const r = await home.run('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });
});
