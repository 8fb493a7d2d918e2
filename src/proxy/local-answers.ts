import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnthropicRequest } from '../formats/anthropic/types.js';
import type { ApiFormat } from '../formats/api-format.js';
import { listingShape, modelList } from '../formats/model-list.js';
import { estimateAnthropicInputTokens } from '../formats/tokens/index.js';
import { GatewayError } from './gateway-error.js';
import type { Plan } from './plan.js';
import type { RequestFacts } from './request-body.js';
import { sendJson } from './respond.js';

export interface LocalAnswer {
  status: number;
  bytes: number;
  firstByteAt: number;
}

/**
 * `POST /v1/messages/count_tokens` when the first target does not speak Anthropic Messages: a
 * local estimate covering system, messages, tools and images — never a 404, never forwarded to an
 * upstream that has no such endpoint (protocol-notes cases 100–101).
 */
export function answerCountTokens(res: ServerResponse, facts: RequestFacts): LocalAnswer {
  if (!facts.json || !Array.isArray(facts.json.messages)) {
    throw new GatewayError('invalid_request', 'count_tokens needs a JSON body with a messages array', 'conversion');
  }
  const input_tokens = estimateAnthropicInputTokens(facts.json as unknown as AnthropicRequest);
  const bytes = sendJson(res, 200, { input_tokens });
  return { status: 200, bytes, firstByteAt: performance.now() };
}

/** The models a plan's profiles are configured with, in priority order, without duplicates. */
export function configuredModels(plan: Plan): string[] {
  const ids: string[] = [];
  for (const target of plan.targets) {
    const p = target.profile;
    if (!p) continue;
    for (const id of [
      p.models?.anthropicModel,
      p.model,
      p.openaiModel,
      p.models?.defaultOpusModel,
      p.models?.defaultSonnetModel,
      p.models?.defaultHaikuModel,
    ]) {
      if (id && !ids.includes(id)) ids.push(id);
    }
  }
  return ids;
}

/** `GET /v1/models` answered from the profiles' configured models, in the client's listing shape. */
export function answerModels(
  res: ServerResponse,
  req: IncomingMessage,
  clientFormat: ApiFormat,
  ids: string[],
): LocalAnswer {
  const anthropicClient = clientFormat === 'anthropic_messages' || req.headers['anthropic-version'] !== undefined;
  const body = modelList(
    anthropicClient ? 'anthropic' : listingShape(clientFormat),
    ids,
    Math.floor(Date.now() / 1000),
  );
  const bytes = sendJson(res, 200, body);
  return { status: 200, bytes, firstByteAt: performance.now() };
}
