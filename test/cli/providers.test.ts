import { writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TempHome, tempHome } from '../helpers/cli.js';

type Json = Record<string, any>;
let home: TempHome;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(() => home.cleanup());

const REQUIRED = [
  'anthropic',
  'openai',
  'groq',
  'openrouter',
  'deepseek',
  'ollama',
  'lmstudio',
  'together',
  'fireworks',
  'mistral',
  'xai',
  'moonshot',
  'zhipu',
  'gemini',
  'cerebras',
  'custom',
];

describe('swixter providers', () => {
  it('lists every built-in preset with format, auth style, key env and base URL', async () => {
    const list = JSON.parse((await home.run('providers', 'list', '--json')).stdout) as Json[];
    expect(list.map((p) => p.id)).toEqual(expect.arrayContaining(REQUIRED));
    expect(list.find((p) => p.id === 'anthropic')).toMatchObject({
      apiFormat: 'anthropic_messages',
      auth: 'x-api-key',
      envKey: 'ANTHROPIC_API_KEY',
    });
    expect(list.find((p) => p.id === 'groq')).toMatchObject({
      apiFormat: 'openai_chat',
      auth: 'bearer',
      envKey: 'GROQ_API_KEY',
      baseURL: 'https://api.groq.com/openai/v1',
    });
    expect(list.find((p) => p.id === 'ollama')).toMatchObject({ local: true });
    const table = (await home.run('providers', 'ls')).stdout;
    expect(table).toMatch(/gemini\s+Google Gemini/);
  });

  it('show prints one provider; an unknown id fails with the known ids as a hint', async () => {
    expect((await home.run('providers', 'show', 'deepseek')).stdout).toContain('https://api.deepseek.com');
    const r = await home.run('providers', 'show', 'nope');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown provider "nope"');
    expect(r.stderr).toContain('groq');
  });

  it('add stores a user provider usable by profiles; it can override a preset; remove brings the preset back', async () => {
    const add = await home.run(
      'providers',
      'add',
      'corp',
      '--base-url',
      'https://llm.corp.example/v1',
      '--api-format',
      'openai_chat',
      '--auth',
      'x-api-key',
    );
    expect(add.code, add.stderr).toBe(0);
    expect(((await home.readConfig()) as Json).providers.corp).toEqual({
      id: 'corp',
      baseURL: 'https://llm.corp.example/v1',
      apiFormat: 'openai_chat',
      auth: 'x-api-key',
    });
    expect((await home.run('claude', 'create', 'p', '--provider', 'corp', '--api-key', 'k')).code).toBe(0);

    await home.run('providers', 'add', 'groq', '--base-url', 'http://127.0.0.1:9999/v1', '--api-format', 'openai_chat');
    const groq = JSON.parse((await home.run('providers', 'show', 'groq', '--json')).stdout) as Json;
    expect(groq).toMatchObject({ baseURL: 'http://127.0.0.1:9999/v1', source: 'user', envKey: 'GROQ_API_KEY' });
    expect((await home.run('providers', 'remove', 'groq')).code).toBe(0);
    const back = JSON.parse((await home.run('providers', 'show', 'groq', '--json')).stdout) as Json;
    expect(back).toMatchObject({ baseURL: 'https://api.groq.com/openai/v1', source: 'builtin' });
  });

  it('add --quirk layers what the provider accepts over the preset; show prints the merged quirks', async () => {
    const add = await home.run(
      'providers',
      'add',
      'openai',
      '--base-url',
      'https://my-resource.openai.azure.example/openai/v1',
      '--api-format',
      'openai_chat',
      '--quirk',
      'topK=true',
      '--quirk',
      'maxTokensField=max_tokens',
      '--quirk',
      'stripSchemaKeywords=$schema,format',
    );
    expect(add.code, add.stderr).toBe(0);
    expect(((await home.readConfig()) as Json).providers.openai.quirks).toEqual({
      topK: true,
      maxTokensField: 'max_tokens',
      stripSchemaKeywords: ['$schema', 'format'],
    });
    const shown = JSON.parse((await home.run('providers', 'show', 'openai', '--json')).stdout) as Json;
    // the preset's other quirks stay (reasoning_effort, file parts); the user's value beats the preset's
    expect(shown.quirks).toMatchObject({
      maxTokensField: 'max_tokens',
      reasoning: 'openai',
      fileParts: true,
      topK: true,
      stripSchemaKeywords: ['$schema', 'format'],
    });
    // keyword lists add to the preset's: Gemini keeps stripping what it rejects
    const gemini = (await home.run('providers', 'show', 'gemini', '--json')).stdout;
    const presetKeywords = (JSON.parse(gemini) as Json).quirks.stripSchemaKeywords as string[];
    expect(presetKeywords.length).toBeGreaterThan(0);
    await home.run(
      ...['providers', 'add', 'gemini', '--base-url', 'https://g.example/v1beta/openai', '--api-format', 'openai_chat'],
      ...['--quirk', 'stripSchemaKeywords=x-vendor'],
    );
    const merged = JSON.parse((await home.run('providers', 'show', 'gemini', '--json')).stdout) as Json;
    expect(merged.quirks.stripSchemaKeywords).toEqual([...presetKeywords, 'x-vendor']);
    expect((await home.run('providers', 'show', 'openai')).stdout).toMatch(/quirks\s+\{.*"topK":true/);
  });

  it('rejects unknown or ill-typed quirks, on the command line and in config.json', async () => {
    const args = ['providers', 'add', 'x', '--base-url', 'https://x/v1', '--api-format', 'openai_chat'];
    const rejected: Array<[quirk: string, messages: string[]]> = [
      [
        'maxTokenField=max_completion_tokens',
        ['unknown --quirk "maxTokenField=max_completion_tokens"', 'maxTokensField'],
      ],
      ['topK=yes', ['invalid --quirk topK']],
      ['maxTokensField=max_output_tokens', ['invalid --quirk maxTokensField']],
      ['topK', ['--quirk "topK" has no value']],
      // an unquoted $schema is expanded away by the shell: ",format" must not pass silently
      ['stripSchemaKeywords=,format', ['empty keyword']],
    ];
    for (const [quirk, messages] of rejected) {
      const r = await home.run(...args, '--quirk', quirk);
      expect(r.code, quirk).toBe(2); // a usage error
      for (const message of messages) expect(r.stderr).toContain(message);
    }

    expect((await home.run(...args)).code).toBe(0);
    const config = (await home.readConfig()) as Json;
    config.providers.x.quirks = { maxTokenField: 'max_completion_tokens' };
    await writeFile(home.configFile, JSON.stringify(config));
    const load = await home.run('providers', 'show', 'x');
    expect(load.code).toBe(1);
    expect(load.stderr).toContain('providers.x.quirks');
    expect(load.stderr).toContain('maxTokenField');
  });

  it('validates add and remove', async () => {
    expect(
      (await home.run('providers', 'add', 'x', '--base-url', 'ftp://x', '--api-format', 'openai_chat')).stderr,
    ).toContain('invalid URL');
    expect(
      (await home.run('providers', 'add', 'x', '--base-url', 'https://x', '--api-format', 'soap')).stderr,
    ).toContain('unknown API format');
    expect(
      (
        await home.run(
          'providers',
          'add',
          'x',
          '--base-url',
          'https://x',
          '--api-format',
          'openai_chat',
          '--auth',
          'basic',
        )
      ).stderr,
    ).toContain('unknown --auth');
    expect((await home.run('providers', 'remove', 'groq')).stderr).toContain('built-in preset');
    await home.run('providers', 'add', 'corp', '--base-url', 'https://x/v1', '--api-format', 'openai_chat');
    await home.run('claude', 'create', 'p', '--provider', 'corp', '--api-key', 'k');
    const used = await home.run('providers', 'remove', 'corp');
    expect(used.code).toBe(1);
    expect(used.stderr).toContain('used by profile(s) p');
  });
});
