import type { Converter } from '../types.js';
import { LIFTABLE, LIFTABLE_TOOLS, LIFTABLE_TOOLS_APART } from './liftable.js';
import { convertRequest, prepareTools } from './request.js';
import { convertResponse } from './response.js';
import { ChatToAnthropicStream } from './stream.js';

/**
 * Anthropic Messages client (Claude Code) → OpenAI Chat Completions upstream (Groq, DeepSeek,
 * OpenRouter, Ollama, vLLM, …). Request: protocol-notes §5.1; response §5.2; stream §5.3.
 */
export const anthropicToChat: Converter = {
  client: 'anthropic_messages',
  upstream: 'openai_chat',
  request: convertRequest,
  liftable: () => LIFTABLE,
  tools: { liftable: () => LIFTABLE_TOOLS_APART, liftableTools: () => LIFTABLE_TOOLS, prepare: prepareTools },
  response: convertResponse,
  stream: (context) => new ChatToAnthropicStream(context),
};

export { CHAT_COMPLETIONS_PATH } from './request.js';
export { ChatToAnthropicStream } from './stream.js';
