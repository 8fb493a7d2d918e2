import type { Command } from 'commander';
import { type Coder, createProfile, type ProfileInput, parseHeaders } from '../../config/profiles.js';
import { getProvider, listProviders } from '../../config/providers.js';
import { loadConfig, updateConfig } from '../../config/store.js';
import { API_FORMATS, type ApiFormat } from '../../formats/api-format.js';
import { action, printLine } from '../output.js';
import { positiveInteger } from '../positive-integer.js';
import { askChoice, askSecret, askText, canPrompt, missing } from '../prompts.js';

export interface ProfileFlags {
  provider?: string;
  apiKey?: string;
  apiKeyEnv?: string;
  authToken?: string;
  baseUrl?: string;
  model?: string;
  haikuModel?: string;
  sonnetModel?: string;
  opusModel?: string;
  apiFormat?: string;
  header?: string[];
  maxTokens?: number;
}

/** The profile flags shared by create and edit. */
export function addProfileFlags(cmd: Command): Command {
  return cmd
    .option('--provider <id>', 'provider id (see: swixter providers list)')
    .option('--api-key <key>', "API key sent to the provider ('' = forward the client's own key)")
    .option('--api-key-env <VAR>', 'read the key from this environment variable when the proxy sends a request')
    .option('--auth-token <token>', 'bearer token (ANTHROPIC_AUTH_TOKEN style) instead of an API key')
    .option('--base-url <url>', "override the provider's base URL")
    .option('--model <model>', 'model to use (the main model)')
    .option('--haiku-model <model>', 'model for requests that ask for a haiku model')
    .option('--sonnet-model <model>', 'model for requests that ask for a sonnet model')
    .option('--opus-model <model>', 'model for requests that ask for an opus model')
    .option(
      '--api-format <format>',
      "wire format: anthropic_messages | openai_chat | openai_responses | gemini (default: the provider's)",
    )
    .option('--header <K=V>', 'extra header sent upstream (repeatable)', (v: string, acc: string[] = []) => [...acc, v])
    .option('--max-tokens <n>', 'clamp max_tokens sent upstream to this value', positiveInteger);
}

export function flagsToInput(flags: ProfileFlags): ProfileInput {
  return {
    provider: flags.provider,
    apiKey: flags.apiKey,
    apiKeyEnv: flags.apiKeyEnv,
    authToken: flags.authToken,
    baseURL: flags.baseUrl,
    model: flags.model,
    haikuModel: flags.haikuModel,
    sonnetModel: flags.sonnetModel,
    opusModel: flags.opusModel,
    apiFormat: flags.apiFormat,
    headers: parseHeaders(flags.header),
    maxTokens: flags.maxTokens,
  };
}

export const FORMAT_CHOICES = API_FORMATS.map((f) => ({ value: f, name: f }));

/** Fills what is missing by asking (TTY) or fails with what to pass (no TTY). */
async function completeInput(
  coder: Coder,
  name: string | undefined,
  input: ProfileInput,
): Promise<{ name: string; input: ProfileInput }> {
  const config = await loadConfig();
  const interactive = canPrompt();
  let profileName = name;
  if (!profileName) {
    if (!interactive)
      throw missing('profile name', `pass it: swixter ${coder} create <name> --provider <id> --api-key <key>`);
    profileName = await askText('Profile name', { required: true });
  }
  if (!input.provider) {
    if (!interactive) throw missing('--provider', 'pass --provider <id> (see: swixter providers list)');
    input.provider = await askChoice(
      'Provider',
      listProviders(config).map((p) => ({ value: p.id, name: `${p.name} (${p.id})`, description: p.baseURL })),
    );
  }
  const provider = getProvider(config, input.provider);
  if (provider.requiresBaseURL && !input.baseURL) {
    if (!interactive)
      throw missing('--base-url', `provider "${provider.id}" needs --base-url https://your-endpoint/v1`);
    input.baseURL = await askText('Base URL', { required: true });
  }
  const hasKey = input.apiKey !== undefined || input.apiKeyEnv !== undefined || input.authToken !== undefined;
  if (!hasKey && !provider.local) {
    if (!interactive) {
      throw missing(
        '--api-key',
        `pass --api-key <key>, --api-key-env ${provider.envKey}, or --api-key '' to forward the client's own key`,
      );
    }
    input.apiKey = await askSecret(`API key for ${provider.name} (empty = forward the client's own key)`);
  }
  if (interactive && input.model === undefined && name === undefined) {
    const model = await askText('Model (empty = the one the client asks for)', { default: provider.exampleModel });
    if (model) input.model = model;
  }
  if (interactive && input.apiFormat === undefined && name === undefined) {
    const chosen = await askChoice<ApiFormat>('API format', FORMAT_CHOICES, provider.apiFormat);
    // The provider's own format is not pinned into the profile: it follows the preset.
    if (chosen !== provider.apiFormat) input.apiFormat = chosen;
  }
  return { name: profileName, input };
}

export function registerProfileCreate(parent: Command, coder: Coder): void {
  addProfileFlags(
    parent
      .command('create [name]')
      .alias('new')
      .description(
        `Create a profile (the first one becomes ${coder}'s active profile); asks for missing values on a terminal`,
      ),
  ).action(
    action(async (name: string | undefined, flags: ProfileFlags) => {
      const completed = await completeInput(coder, name, flagsToInput(flags));
      const now = new Date().toISOString();
      const { profile, active } = await updateConfig((config) => {
        const created = createProfile(config, completed.name, completed.input, coder, now);
        return { profile: created, active: config.coders?.[coder]?.activeProfile === created.name };
      });
      printLine(
        `Profile "${profile.name}" created (provider ${profile.providerId}).${active ? ` Active for ${coder}.` : ''}`,
      );
    }),
  );
}
