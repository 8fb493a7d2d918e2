import type { Converter } from '../types.js';
import { LIFTABLE_TOOLS_APART, liftable, liftableTools } from './liftable.js';
import { convertRequest, prepareTools } from './request.js';
import { convertResponse } from './response.js';
import { chatStreamToResponses } from './stream.js';

/** OpenAI Responses client (Codex CLI, openai SDK `responses.*`) → OpenAI Chat Completions upstream. */
export const responsesToChat: Converter = {
  client: 'openai_responses',
  upstream: 'openai_chat',
  request: convertRequest,
  liftable,
  tools: { liftable: () => LIFTABLE_TOOLS_APART, liftableTools, prepare: prepareTools },
  response: convertResponse,
  stream: chatStreamToResponses,
};
