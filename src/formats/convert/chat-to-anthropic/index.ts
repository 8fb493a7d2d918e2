import type { Converter } from '../types.js';
import { LIFTABLE } from './liftable.js';
import { convertRequest } from './request.js';
import { convertResponse } from './response.js';
import { AnthropicToChatStream } from './stream.js';

/** OpenAI Chat Completions clients → Anthropic Messages upstreams (`POST /v1/messages`). */
export const chatToAnthropic: Converter = {
  client: 'openai_chat',
  upstream: 'anthropic_messages',
  request: convertRequest,
  liftable: () => LIFTABLE,
  response: convertResponse,
  stream: (context) => new AnthropicToChatStream(context),
};
