import type { Converter } from '../types.js';
import { liftable } from './liftable.js';
import { convertRequest } from './request.js';
import { convertResponse } from './response.js';
import { chatStreamToResponses } from './stream.js';

/** OpenAI Responses client (Codex CLI, openai SDK `responses.*`) → OpenAI Chat Completions upstream. */
export const responsesToChat: Converter = {
  client: 'openai_responses',
  upstream: 'openai_chat',
  request: convertRequest,
  liftable,
  response: convertResponse,
  stream: chatStreamToResponses,
};
