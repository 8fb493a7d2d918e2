import { normalizedError } from '../../errors/error-kinds.js';
import { parseUpstreamError } from '../../errors/parse-upstream-error.js';
import { newId } from '../../ids.js';
import { signedThinking } from '../../openai-chat/signed-thinking.js';
import { argumentsText } from '../../openai-chat/tool-arguments.js';
import type { ResponsesOutputItem } from '../../openai-responses/types.js';
import { splitThinkText } from '../think-tag-splitter.js';
import type { ConversionContext, ResponseResult } from '../types.js';
import { asArray, asString, isObject, nonEmpty } from './json.js';
import { mapFinishReason } from './map-finish-reason.js';
import { responsesUsage, usageSummary } from './map-usage.js';
import {
  cutByLimit,
  ITEM_ID_PREFIX,
  messageItem,
  reasoningItem,
  responseObject,
  signedContent,
  toolCallItem,
  toolItemPrefix,
} from './output-items.js';
import { answerText, firstChoice, reasoningText } from './read-chat.js';

/**
 * A non-streaming Chat completion → a Response object (case 121). Output order: reasoning,
 * message, then one item per tool call. A 200 that carries an error is returned as an error.
 */
export function convertResponse(body: unknown, context: ConversionContext): ResponseResult {
  if (!isObject(body) || isObject(body.error) || body.object === 'error') {
    return { ok: false, error: parseUpstreamError(200, body) };
  }
  const choice = firstChoice(body.choices);
  if (choice === undefined) {
    return { ok: false, error: normalizedError('upstream_failed', 'the upstream answered 200 without any choices') };
  }
  const message = isObject(choice.message) ? choice.message : {};
  const output: ResponsesOutputItem[] = [];

  // `<think>…</think>` opening the content is reasoning too (case 84); the reasoning field wins
  const content = answerText(message);
  const split = context.thinkTags === false ? { thinking: '', text: content } : splitThinkText(content);
  const reasoning = reasoningText(message) || split.thinking;
  if (reasoning.length > 0) {
    const encrypted = signedContent(context, signedThinking(message.reasoning_details));
    output.push(reasoningItem(newId(ITEM_ID_PREFIX.reasoning), reasoning, encrypted));
  }
  const text = split.text;
  if (text.length > 0) output.push(messageItem(newId(ITEM_ID_PREFIX.message), text, 'completed'));
  const finishReason = asString(choice.finish_reason);
  for (const call of asArray(message.tool_calls) ?? []) {
    if (!isObject(call)) continue;
    const fn = isObject(call.function) ? call.function : {};
    const upstreamName = asString(fn.name) ?? '';
    const item = {
      itemId: newId(toolItemPrefix(context, upstreamName)),
      callId: nonEmpty(call.id) ?? newId('call_'),
      upstreamName,
      arguments: argumentsText(fn.arguments) ?? '',
    };
    // a call cut off by the token limit is listed, as unfinished
    const cut = finishReason === 'length' && cutByLimit(item.arguments);
    output.push(toolCallItem(context, item, cut ? 'incomplete' : 'completed'));
  }

  const outcome = mapFinishReason(finishReason);
  const response = responseObject(context, {
    id: newId('resp_'),
    status: outcome.status,
    output,
    usage: responsesUsage(body.usage),
    outcome,
  });
  return { ok: true, body: response, usage: usageSummary(body.usage) };
}
