import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, type TempHome, tempHome } from '../helpers/cli.js';

// On a terminal, missing values are asked for (@inquirer/prompts). `script` gives the CLI a real
// pseudo-terminal; the keys below are what a person would type.

const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const ENTER = '\r';
const DOWN = '\u001b[B';

let home: TempHome;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(() => home.cleanup());

/** Runs the CLI on a pseudo-terminal, typing `keys` one step at a time. */
function onTerminal(args: string[], keys: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const command = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-q', '-c', command, '/dev/null'], {
      env: { PATH: process.env.PATH, HOME: home.dir, SWIXTER_HOME: join(home.dir, 'swixter'), TERM: 'xterm' },
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d.toString();
    });
    // Each key is typed once the terminal has redrawn after the previous one (or after 3 s),
    // so a slow machine only makes the test slower, not wrong.
    let i = 0;
    let seen = 0;
    let waited = 0;
    const tick = () => {
      if (i >= keys.length) return;
      if (output.length > seen || waited >= 3000) {
        seen = output.length;
        waited = 0;
        setTimeout(() => {
          seen = output.length;
          child.stdin.write(keys[i++]!);
          setTimeout(tick, 50);
        }, 150);
        return;
      }
      waited += 50;
      setTimeout(tick, 50);
    };
    setTimeout(tick, 300);
    child.on('exit', (code) => done({ code, output }));
  });
}

describe.skipIf(!hasScript)('interactive prompts on a terminal', () => {
  it('create asks for the name, provider, key, model and format', async () => {
    // name; provider (the first, anthropic); key; model (keep the suggestion); format (keep the provider's)
    const r = await onTerminal(
      ['claude', 'create'],
      [`tty-prof${ENTER}`, ENTER, `sk-ant-typed-key-9876${ENTER}`, ENTER, ENTER],
    );
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('Profile "tty-prof" created');
    expect(r.output).not.toContain('sk-ant-typed-key-9876'); // the key prompt is masked
    const config = (await home.readConfig()) as any;
    expect(config.profiles['tty-prof']).toMatchObject({
      providerId: 'anthropic',
      apiKey: 'sk-ant-typed-key-9876',
      model: 'claude-sonnet-4-5',
    });
    expect(config.profiles['tty-prof'].apiFormat).toBeUndefined(); // the provider's own format is not pinned
  }, 30_000);

  it('edit without flags opens the menu; "API Format" is a select list of the four formats', async () => {
    await home.run('claude', 'create', 'p', '--provider', 'groq', '--api-key', 'k-123456789');
    // menu: 7 × down → "API Format"; list: openai_chat is current, one down → openai_responses; menu again: 8 × down → "Save and exit"
    const keys = [...Array(7).fill(DOWN), ENTER, DOWN, ENTER, ...Array(8).fill(DOWN), ENTER];
    const r = await onTerminal(['claude', 'edit', 'p'], keys);
    expect(r.code, r.output).toBe(0);
    for (const format of ['anthropic_messages', 'openai_chat', 'openai_responses', 'gemini'])
      expect(r.output).toContain(format);
    expect(r.output).toContain('Profile "p" updated');
    expect(((await home.readConfig()) as any).profiles.p.apiFormat).toBe('openai_responses');
  }, 30_000);

  it('edit → "API Key" → Enter keeps the stored key (an empty answer never erases it)', async () => {
    await home.run('claude', 'create', 'p', '--provider', 'groq', '--api-key', 'gsk-kept-key-123456789');
    // menu: 1 × down → "API Key"; Enter at the key prompt; menu again: 8 × down → "Save and exit"
    const keys = [DOWN, ENTER, ENTER, ...Array(8).fill(DOWN), ENTER];
    const r = await onTerminal(['claude', 'edit', 'p'], keys);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('Enter keeps the current one');
    expect(r.output).toContain('No changes.'); // saved: the menu ran to its end
    expect(((await home.readConfig()) as any).profiles.p.apiKey).toBe('gsk-kept-key-123456789');
  }, 30_000);
});
