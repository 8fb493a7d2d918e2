import { claudeGeneration } from '../../anthropic/claude-generations.js';
import type { AnthropicMessage, AnthropicRequest } from '../../anthropic/types.js';
import { ConversionError, type ConvertedRequest, type ConvertOptions } from '../types.js';
import { includeUsageExtra } from './context.js';
import { isRecord } from './guards.js';
import { mapMessages } from './map-messages.js';
import {
  checkUnsupportedFields,
  mapOutputBudget,
  mapResponseFormat,
  mapSampling,
  mapStop,
  sanitizeUserId,
} from './map-params.js';
import { mapToolChoice, mapTools } from './map-tools.js';
import { toolHistoryAsText } from './tool-history-text.js';

export const ANTHROPIC_MESSAGES_PATH = '/v1/messages';

/** A Chat Completions request → an Anthropic Messages request for `POST /v1/messages`. */
export function convertRequest(body: unknown, options: ConvertOptions): ConvertedRequest {
  if (!isRecord(body)) throw new ConversionError('the request body must be a JSON object');
  const fieldWarnings = checkUnsupportedFields(body);
  const mapped = mapMessages(body.messages);
  const tools = mapTools(body.tools);
  const choice = mapToolChoice(body.tool_choice, body.parallel_tool_calls, tools !== undefined);
  const generation = claudeGeneration(options.upstreamModel);
  const budget = mapOutputBudget(
    body.max_completion_tokens,
    body.max_tokens,
    options.omitReasoning === true ? undefined : body.reasoning_effort,
    options.maxTokensCap,
    generation,
  );

  // no tools defined: calls and results in the history are told as text (Anthropic refuses the blocks)
  const messages = tools ? mapped.messages : toolHistoryAsText(mapped.messages);
  const historyWarnings =
    messages === mapped.messages ? [] : ['tool calls in the history were sent as text: the request defines no tools'];

  // Anthropic rejects thinking together with a forced tool choice; the client's explicit choice wins.
  let thinking = budget.thinking;
  const forcedTool = choice.toolChoice?.type === 'any' || choice.toolChoice?.type === 'tool';
  const thinkingWarnings: string[] = [];
  if (thinking && forcedTool) {
    thinking = undefined;
    thinkingWarnings.push(
      'reasoning_effort was dropped: Anthropic does not allow thinking when tool_choice forces a tool',
    );
  }
  // With thinking on, Anthropic wants the last tool-calling turn to start with its (signed)
  // thinking block, which a Chat client rarely sends back: without it, the request goes without.
  if (thinking && lastToolTurnUnsigned(messages)) {
    thinking = undefined;
    thinkingWarnings.push(
      "reasoning_effort was dropped: Anthropic requires the last tool-calling turn's own thinking, which the history does not hold",
    );
  }
  const output = mapResponseFormat(body.response_format);
  const sampling = mapSampling(body, thinking !== undefined, generation);
  const effort = thinking === undefined ? undefined : budget.effort;
  const outputConfig =
    output.format || effort
      ? { ...(effort ? { effort } : {}), ...(output.format ? { format: output.format } : {}) }
      : undefined;
  const stop = mapStop(body.stop);
  const userId = options.quirks.forwardUser === false ? undefined : sanitizeUserId(body.user);
  const stream = body.stream === true;

  const upstream: AnthropicRequest = {
    model: options.upstreamModel,
    max_tokens: budget.max_tokens,
    ...(mapped.system.length > 0 ? { system: mapped.system } : {}),
    messages,
    ...(tools ? { tools } : {}),
    ...(choice.toolChoice ? { tool_choice: choice.toolChoice } : {}),
    ...(thinking ? { thinking } : {}),
    ...(sampling.temperature !== undefined ? { temperature: sampling.temperature } : {}),
    ...(sampling.top_p !== undefined ? { top_p: sampling.top_p } : {}),
    ...(sampling.top_k !== undefined ? { top_k: sampling.top_k } : {}),
    ...(stop.stop_sequences ? { stop_sequences: stop.stop_sequences } : {}),
    ...(outputConfig ? { output_config: outputConfig } : {}),
    ...(userId ? { metadata: { user_id: userId } } : {}),
    ...(stream ? { stream: true } : {}),
  };

  const streamOptions = isRecord(body.stream_options) ? body.stream_options : undefined;
  return {
    path: ANTHROPIC_MESSAGES_PATH,
    body: upstream,
    context: {
      clientModel: typeof body.model === 'string' && body.model.length > 0 ? body.model : options.upstreamModel,
      toolNames: {},
      stream,
      created: options.now,
      signedReasoningOwner: options.signedReasoningOwner,
      extra: includeUsageExtra(stream && streamOptions?.include_usage === true),
    },
    warnings: [
      ...fieldWarnings,
      ...mapped.warnings,
      ...historyWarnings,
      ...choice.warnings,
      ...budget.warnings,
      ...thinkingWarnings,
      ...sampling.warnings,
      ...stop.warnings,
      ...output.warnings,
    ],
  };
}

/** Whether the last assistant message holds a tool_use block. */
/** The last assistant turn calls tools and does not start with its signed thinking. */
function lastToolTurnUnsigned(messages: readonly AnthropicMessage[]): boolean {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.role !== 'assistant') continue;
    if (!Array.isArray(message.content) || !message.content.some((block) => block.type === 'tool_use')) return false;
    return message.content[0]?.type !== 'thinking';
  }
  return false;
}
