import type { Command } from 'commander';
import { UserError } from '../../config/errors.js';
import { type Coder, editProfile, getProfile, type ProfileInput } from '../../config/profiles.js';
import { findProvider, listProviders } from '../../config/providers.js';
import type { Profile } from '../../config/schema.js';
import { loadConfig, updateConfig } from '../../config/store.js';
import type { ApiFormat } from '../../formats/api-format.js';
import { action, printLine } from '../output.js';
import { askChoice, askSecret, askText, canPrompt } from '../prompts.js';
import { addProfileFlags, FORMAT_CHOICES, flagsToInput, type ProfileFlags } from './profile-create.js';

type Field = 'provider' | 'apiKey' | 'baseURL' | 'model' | 'haiku' | 'sonnet' | 'opus' | 'apiFormat' | 'done';

/** The interactive edit menu: pick a field, change it, repeat; "Save and exit" ends. */
async function editInteractively(profile: Profile): Promise<ProfileInput> {
  const config = await loadConfig();
  const input: ProfileInput = {};
  const current = () => ({ ...profile, ...input });
  for (;;) {
    const p = current();
    const provider = findProvider(config, input.provider ?? profile.providerId);
    const field = await askChoice<Field>(`Edit profile "${profile.name}"`, [
      { value: 'provider', name: `Provider: ${input.provider ?? profile.providerId}` },
      { value: 'apiKey', name: 'API Key' },
      {
        value: 'baseURL',
        name: `Base URL: ${input.baseURL ?? profile.baseURL ?? `${provider?.baseURL ?? ''} (provider default)`}`,
      },
      { value: 'model', name: `Model: ${input.model ?? p.model ?? '(client chooses)'}` },
      { value: 'haiku', name: `Haiku model: ${input.haikuModel ?? profile.models?.defaultHaikuModel ?? '-'}` },
      { value: 'sonnet', name: `Sonnet model: ${input.sonnetModel ?? profile.models?.defaultSonnetModel ?? '-'}` },
      { value: 'opus', name: `Opus model: ${input.opusModel ?? profile.models?.defaultOpusModel ?? '-'}` },
      {
        value: 'apiFormat',
        name: `API Format: ${input.apiFormat ?? profile.apiFormat ?? `${provider?.apiFormat ?? ''} (provider default)`}`,
      },
      { value: 'done', name: 'Save and exit' },
    ]);
    switch (field) {
      case 'provider':
        input.provider = await askChoice(
          'Provider',
          listProviders(config).map((x) => ({ value: x.id, name: `${x.name} (${x.id})` })),
          input.provider ?? profile.providerId,
        );
        break;
      case 'apiKey': {
        // Enter alone keeps the key (a typo'd menu choice must not erase it; `--api-key ""` clears it)
        const key = await askSecret('New API key (Enter keeps the current one)');
        if (key !== '') input.apiKey = key;
        break;
      }
      case 'baseURL':
        input.baseURL = await askText('Base URL', { default: profile.baseURL ?? provider?.baseURL });
        break;
      case 'model':
        input.model = await askText('Model', { default: p.model });
        break;
      case 'haiku':
        input.haikuModel = await askText('Haiku model', { default: profile.models?.defaultHaikuModel });
        break;
      case 'sonnet':
        input.sonnetModel = await askText('Sonnet model', { default: profile.models?.defaultSonnetModel });
        break;
      case 'opus':
        input.opusModel = await askText('Opus model', { default: profile.models?.defaultOpusModel });
        break;
      case 'apiFormat':
        input.apiFormat = await askChoice<ApiFormat>(
          'API Format',
          FORMAT_CHOICES,
          (input.apiFormat ?? profile.apiFormat ?? provider?.apiFormat) as ApiFormat,
        );
        break;
      case 'done':
        return input;
    }
  }
}

const hasAny = (input: ProfileInput): boolean => Object.values(input).some((v) => v !== undefined);

export function registerProfileEdit(parent: Command, coder: Coder): void {
  addProfileFlags(
    parent
      .command('edit <name>')
      .alias('update')
      .description('Change a profile with flags; with no flags on a terminal, opens an interactive menu'),
  ).action(
    action(async (name: string, flags: ProfileFlags) => {
      let input = flagsToInput(flags);
      if (!hasAny(input)) {
        const profile = getProfile(await loadConfig(), name, coder);
        if (!canPrompt())
          throw new UserError(
            'nothing to change',
            `pass flags (see: swixter ${coder} edit --help), or run in a terminal for the menu`,
            true,
          );
        input = await editInteractively(profile);
        if (!hasAny(input)) return printLine('No changes.');
      }
      const now = new Date().toISOString();
      await updateConfig((config) => editProfile(config, name, input, now, coder));
      printLine(`Profile "${name}" updated.`);
    }),
  );
}
