// Test support: runs the request converter with defaults.

import type { AnthropicRequest } from '../../../anthropic/types.js';
import type { ChatRequest } from '../../../openai-chat/types.js';
import type { ConvertedRequest, ConvertOptions, ProviderQuirks } from '../../types.js';
import { convertRequest } from '../request.js';

export const options = (quirks: ProviderQuirks = {}, extra: Partial<ConvertOptions> = {}): ConvertOptions => ({
  upstreamModel: 'upstream-model',
  quirks,
  now: 1_764_000_000,
  ...extra,
});

export function convert(
  body: Partial<AnthropicRequest> & Record<string, unknown>,
  quirks: ProviderQuirks = {},
  extra: Partial<ConvertOptions> = {},
): ConvertedRequest & { chat: ChatRequest } {
  const converted = convertRequest({ model: 'claude-sonnet-4-5', max_tokens: 1024, ...body }, options(quirks, extra));
  return { ...converted, chat: converted.body as ChatRequest };
}
