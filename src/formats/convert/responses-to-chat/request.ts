import { dropImageParts } from '../../openai-chat/text-only.js';
import { addThoughtSignaturePlaceholders } from '../../openai-chat/thought-signatures.js';
import type { ChatRequest, ChatTool } from '../../openai-chat/types.js';
import { usePreparedTools } from '../prepared-tools.js';
import { cacheControlFor, noteDroppedImages, replaysReasoning } from '../quirk-rules.js';
import {
  ConversionError,
  type ConvertedRequest,
  type ConvertOptions,
  type PreparedTools,
  type ProviderQuirks,
} from '../types.js';
import { asArray, asString, isObject, nonEmpty } from './json.js';
import { mapInput } from './map-input.js';
import { mapParams } from './map-params.js';
import { mapToolChoice, mapTools, ResponsesToolDefs } from './map-tools.js';

export const CHAT_COMPLETIONS_PATH = '/v1/chat/completions';

/**
 * A Responses API request (Codex CLI, openai SDK `responses.*`) → a Chat Completions request
 * (protocol-notes §5.6, cases 104–113). Throws ConversionError for what Chat cannot express.
 */
export function convertRequest(body: unknown, options: ConvertOptions): ConvertedRequest {
  if (!isObject(body)) throw new ConversionError('the request body must be a JSON object');
  rejectServerState(body);
  const input = typeof body.input === 'string' ? body.input : asArray(body.input);
  if (input === undefined) throw new ConversionError('`input` must be a string or an array of input items');

  const tools = requestTools(body, options);
  const choice = mapToolChoice(body.tool_choice, tools);
  const history = mapInput(body.instructions, input, {
    names: tools.names,
    replayReasoning: replaysReasoning(options.quirks),
    fileParts: options.quirks.fileParts === true,
    signedOwner: options.signedReasoningOwner,
    shortToolIds: options.quirks.shortToolIds === true,
    noUserAfterTool: options.quirks.noUserAfterTool === true,
  });
  if (history.messages.length === 0) throw new ConversionError('the request has no instructions and no input');
  if (options.quirks.thoughtSignaturePlaceholder === true)
    addThoughtSignaturePlaceholders(history.messages, options.upstreamModel);

  const warnings = [...tools.warnings, ...(choice.warning === undefined ? [] : [choice.warning]), ...history.warnings];
  if (options.quirks.imageParts === false) noteDroppedImages(dropImageParts(history.messages), warnings);
  const params = mapParams(body, options, warnings);
  if (body.background === true) warnings.push('background:true ignored: the answer is returned directly');

  const hasTools = tools.count > 0;
  const parallel =
    hasTools && typeof body.parallel_tool_calls === 'boolean' && options.quirks.parallelToolCalls !== false
      ? { parallel_tool_calls: body.parallel_tool_calls }
      : {};
  const chat: ChatRequest = {
    model: options.upstreamModel,
    messages: history.messages,
    ...(tools.value === undefined ? {} : { tools: tools.value }),
    ...(choice.toolChoice === undefined ? {} : { tool_choice: choice.toolChoice }),
    ...parallel,
    ...params,
    ...cacheControlFor(options.quirks, options.upstreamModel),
  };
  return {
    path: CHAT_COMPLETIONS_PATH,
    body: chat,
    context: {
      clientModel: asString(body.model) ?? options.upstreamModel,
      toolNames: tools.names.toolNames,
      stream: body.stream === true,
      created: options.now,
      signedReasoningOwner: options.signedReasoningOwner,
    },
    warnings,
  };
}

/**
 * The request's tools, mapped now or from ConvertOptions.preparedTools: then `body.tools` is the
 * proxy's stand-in, which goes where the tools go, to be replaced by the prepared tools' JSON.
 */
function requestTools(
  body: Record<string, unknown>,
  options: ConvertOptions,
): Pick<ResponsesToolDefs, 'names' | 'count' | 'warnings'> & { value: ChatTool[] | undefined } {
  const prepared = options.preparedTools;
  if (prepared === undefined) {
    const mapped = mapTools(body.tools, options.quirks);
    const count = mapped.tools.length;
    return { names: mapped.names, count, warnings: mapped.warnings, value: count > 0 ? mapped.tools : undefined };
  }
  const { mapping: defs, tools } = usePreparedTools(prepared, ResponsesToolDefs, body.tools);
  return { names: defs.names, count: defs.count, warnings: defs.warnings, value: tools };
}

/** Responses `tools` converted alone (Converter.tools), for the proxy to reuse while a client resends them. */
export function prepareTools(tools: unknown, quirks: ProviderQuirks): PreparedTools {
  const mapped = mapTools(tools, quirks);
  const json = mapped.tools.length > 0 ? JSON.stringify(mapped.tools) : undefined;
  const defs = new ResponsesToolDefs(mapped);
  return { json, warnings: defs.warnings, mapping: defs };
}

/** Case 113: stored responses and conversations live on OpenAI's servers, not in the proxy. */
function rejectServerState(body: Record<string, unknown>): void {
  const hint =
    'Swixter converts this request to Chat Completions and keeps no server-side state; send the whole ' +
    'conversation in `input` with `store: false` (as Codex CLI does).';
  if (nonEmpty(body.previous_response_id) !== undefined) {
    throw new ConversionError(`previous_response_id is not supported for this provider. ${hint}`);
  }
  if (body.conversation !== undefined && body.conversation !== null) {
    throw new ConversionError(`conversation is not supported for this provider. ${hint}`);
  }
}
