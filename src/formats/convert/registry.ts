import type { ApiFormat } from '../api-format.js';
import { anthropicToChat } from './anthropic-to-chat/index.js';
import { chatToAnthropic } from './chat-to-anthropic/index.js';
import { responsesToAnthropic } from './responses-to-anthropic/index.js';
import { responsesToChat } from './responses-to-chat/index.js';
import type { Converter } from './types.js';

/** Every (client format → upstream format) pair Swixter converts. Same format needs none (passthrough). */
const CONVERTERS: readonly Converter[] = [anthropicToChat, chatToAnthropic, responsesToChat, responsesToAnthropic];

export function findConverter(client: ApiFormat, upstream: ApiFormat): Converter | undefined {
  return CONVERTERS.find((c) => c.client === client && c.upstream === upstream);
}

export function supportedPairs(): Array<[ApiFormat, ApiFormat]> {
  return CONVERTERS.map((c) => [c.client, c.upstream]);
}
