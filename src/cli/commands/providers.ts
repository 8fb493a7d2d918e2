import type { Command } from 'commander';
import * as v from 'valibot';
import { UserError } from '../../config/errors.js';
import { BUILTIN_PRESETS, type ProviderPreset } from '../../config/presets.js';
import { checkName, checkUrl } from '../../config/profiles.js';
import { getProvider, listProviders } from '../../config/providers.js';
import { AuthStyle, ProviderQuirks, QUIRK_KEYS, withEntry } from '../../config/schema.js';
import { loadConfig, updateConfig } from '../../config/store.js';
import { isApiFormat } from '../../formats/api-format.js';
import { action, printJson, printLine, printTable } from '../output.js';
import { positiveInteger } from '../positive-integer.js';

function providerJson(p: ProviderPreset) {
  return {
    id: p.id,
    name: p.name,
    baseURL: p.baseURL,
    apiFormat: p.apiFormat,
    auth: p.auth,
    envKey: p.envKey,
    local: p.local ?? false,
    maxTokens: p.maxTokens ?? null,
    quirks: p.quirks,
    source: p.source,
  };
}

/** `--quirk key=value` options → a quirks object: true/false for flags, a comma list for stripSchemaKeywords. */
function parseQuirks(pairs: readonly string[]): ProviderQuirks | undefined {
  if (pairs.length === 0) return undefined;
  const quirks: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq) : pair;
    if (!QUIRK_KEYS.includes(key))
      throw new UserError(`unknown --quirk "${pair}"`, `use key=value with a key of: ${QUIRK_KEYS.join(', ')}`, true);
    if (eq < 0) throw new UserError(`--quirk "${pair}" has no value`, `write it as ${key}=<value>`, true);
    const raw = pair.slice(eq + 1);
    if (key === 'stripSchemaKeywords') {
      const keywords = raw.split(',');
      if (keywords.some((k) => k === ''))
        throw new UserError(
          `--quirk stripSchemaKeywords=${raw}: empty keyword`,
          "give a comma list without gaps, quoted so the shell keeps a $: 'stripSchemaKeywords=$schema,format'",
          true,
        );
      quirks[key] = keywords;
    } else quirks[key] = raw === 'true' || raw === 'false' ? raw === 'true' : raw;
  }
  const parsed = v.safeParse(ProviderQuirks, quirks);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const key = issue.path?.map((item) => String(item.key)).join('.') ?? '';
    throw new UserError(
      `invalid --quirk ${key}: ${issue.message}`,
      'flags take true or false; reasoning: openai|deepseek|openrouter|none; maxTokensField: max_tokens|max_completion_tokens; stripSchemaKeywords: a comma list',
      true,
    );
  }
  return parsed.output;
}

export function registerProviders(program: Command): void {
  const providers = program
    .command('providers')
    .alias('provider')
    .description('List, inspect and add API providers (built-in presets and your own)');

  providers
    .command('list')
    .alias('ls')
    .description('List providers: id, API format, auth style, base URL')
    .option('--json', 'print JSON instead of a table')
    .action(
      action(async (opts: { json?: boolean }) => {
        const list = listProviders(await loadConfig());
        if (opts.json) return printJson(list.map(providerJson));
        printTable(
          ['ID', 'NAME', 'FORMAT', 'AUTH', 'KEY ENV', 'BASE URL', 'SOURCE'],
          list.map((p) => [p.id, p.name, p.apiFormat, p.auth, p.envKey, p.baseURL, p.source]),
        );
      }),
    );

  providers
    .command('show <id>')
    .description('Show one provider')
    .option('--json', 'print JSON')
    .action(
      action(async (id: string, opts: { json?: boolean }) => {
        const p = providerJson(getProvider(await loadConfig(), id));
        if (opts.json) return printJson(p);
        for (const [key, value] of Object.entries(p))
          printLine(
            `${key.padEnd(10)} ${typeof value === 'object' && value !== null ? JSON.stringify(value) : (value ?? '-')}`,
          );
      }),
    );

  providers
    .command('add <id>')
    .description('Add a provider (or override a built-in one with the same id)')
    .requiredOption('--base-url <url>', 'API root, e.g. https://llm.example.com/v1')
    .requiredOption('--api-format <format>', 'anthropic_messages | openai_chat | openai_responses | gemini')
    .option('--auth <style>', 'bearer (Authorization: Bearer) or x-api-key')
    .option('--name <name>', 'display name')
    .option('--env-key <VAR>', 'environment variable that usually holds the key')
    .option('--max-tokens <n>', 'clamp max_tokens sent to this provider', positiveInteger)
    .option(
      '--quirk <key=value>',
      `what the provider accepts, layered over the preset's (repeatable): ${QUIRK_KEYS.join(', ')}; e.g. maxTokensField=max_completion_tokens, topK=true`,
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .action(
      action(
        async (
          id: string,
          opts: {
            baseUrl: string;
            apiFormat: string;
            auth?: string;
            name?: string;
            envKey?: string;
            maxTokens?: number;
            quirk: string[];
            json?: boolean;
          },
        ) => {
          checkName('provider', id);
          checkUrl(opts.baseUrl);
          if (!isApiFormat(opts.apiFormat)) {
            throw new UserError(
              `unknown API format "${opts.apiFormat}"`,
              'use one of: anthropic_messages, openai_chat, openai_responses, gemini',
              true,
            );
          }
          const auth = opts.auth === undefined ? undefined : v.safeParse(AuthStyle, opts.auth);
          if (auth && !auth.success)
            throw new UserError(`unknown --auth "${opts.auth}"`, 'use bearer or x-api-key', true);
          if (opts.maxTokens !== undefined && !(opts.maxTokens > 0))
            throw new UserError('--max-tokens must be a positive integer', undefined, true);
          const quirks = parseQuirks(opts.quirk);
          const overrides = BUILTIN_PRESETS.some((p) => p.id === id);
          await updateConfig((config) => {
            config.providers = withEntry(config.providers, id, {
              id,
              baseURL: opts.baseUrl,
              apiFormat: opts.apiFormat as ProviderPreset['apiFormat'],
              ...(auth?.success ? { auth: auth.output } : {}),
              ...(opts.name ? { name: opts.name } : {}),
              ...(opts.envKey ? { envKey: opts.envKey } : {}),
              ...(opts.maxTokens ? { maxTokens: opts.maxTokens } : {}),
              ...(quirks ? { quirks } : {}),
            });
          });
          printLine(overrides ? `Provider "${id}" saved (overrides the built-in preset).` : `Provider "${id}" added.`);
        },
      ),
    );

  providers
    .command('remove <id>')
    .alias('rm')
    .description('Remove a provider you added (a built-in preset it overrode comes back)')
    .action(
      action(async (id: string) => {
        await updateConfig((config) => {
          if (!config.providers?.[id]) {
            const builtin = BUILTIN_PRESETS.some((p) => p.id === id);
            throw new UserError(
              builtin ? `"${id}" is a built-in preset and cannot be removed` : `unknown provider "${id}"`,
              builtin ? 'you can override it with: swixter providers add' : 'see: swixter providers list',
            );
          }
          const users = Object.values(config.profiles ?? {}).filter(
            (p) => p.providerId === id && !BUILTIN_PRESETS.some((b) => b.id === id),
          );
          if (users.length > 0) {
            throw new UserError(
              `provider "${id}" is used by profile(s) ${users.map((p) => p.name).join(', ')}`,
              'delete or edit those profiles first',
            );
          }
          delete config.providers[id];
        });
        printLine(`Provider "${id}" removed.`);
      }),
    );
}
