import type { SignedThinking } from '../../openai-chat/signed-thinking.js';
import { encodeSignedReasoning } from '../../openai-responses/signed-reasoning.js';
import type { ResponsesOutputItem, ResponsesResponse, ResponsesUsage } from '../../openai-responses/types.js';
import type { ConversionContext } from '../types.js';
import { isObject, parseJson } from './json.js';
import type { ResponseOutcome } from './map-finish-reason.js';
import { clientTool } from './tool-names.js';

type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

/** A message item; `text` undefined gives the empty content of `output_item.added`. */
export function messageItem(id: string, text: string | undefined, status: ItemStatus): ResponsesOutputItem {
  return {
    type: 'message',
    id,
    role: 'assistant',
    status,
    content: text === undefined ? [] : [{ type: 'output_text', text, annotations: [] }],
  };
}

/** `encrypted`: signed thinking for the client to send back (openai-responses/signed-reasoning.ts). */
export function reasoningItem(id: string, text: string | undefined, encrypted?: string): ResponsesOutputItem {
  const summary = text === undefined ? [] : [{ type: 'summary_text' as const, text }];
  return encrypted === undefined
    ? { type: 'reasoning', id, summary }
    : { type: 'reasoning', id, summary, encrypted_content: encrypted };
}

/** The encrypted_content for a reasoning item's signed thinking, when the context carries it. */
export function signedContent(
  context: ConversionContext,
  blocks: readonly SignedThinking[] | undefined,
): string | undefined {
  const owner = context.signedReasoningOwner;
  return owner === undefined || blocks === undefined || blocks.length === 0
    ? undefined
    : encodeSignedReasoning({ blocks: [...blocks], owner });
}

/** A Chat tool call as the client knows it: its original name, namespace, and custom-ness restored. */
export interface UpstreamToolCall {
  itemId: string;
  callId: string;
  upstreamName: string;
  arguments: string;
}

export function toolCallItem(
  context: ConversionContext,
  call: UpstreamToolCall,
  status: ItemStatus,
): ResponsesOutputItem {
  const tool = clientTool(context, call.upstreamName);
  const namespace = tool.namespace === undefined ? {} : { namespace: tool.namespace };
  if (tool.kind === 'custom') {
    const input = status === 'in_progress' ? '' : customToolInput(call.arguments);
    return {
      type: 'custom_tool_call',
      id: call.itemId,
      call_id: call.callId,
      name: tool.name,
      input,
      status,
      ...namespace,
    };
  }
  // A call without arguments: Codex parses them as JSON, so "" would fail where "{}" works.
  const args = status === 'in_progress' ? '' : call.arguments || '{}';
  return {
    type: 'function_call',
    id: call.itemId,
    call_id: call.callId,
    name: tool.name,
    arguments: args,
    status,
    ...namespace,
  };
}

/**
 * A custom tool is offered to the Chat model as a function with one string argument `input`
 * (case 109); the client wants that string back. Arguments that are not such an object are
 * passed as they came rather than lost.
 */
export function customToolInput(args: string): string {
  const parsed = parseJson(args);
  return isObject(parsed) && typeof parsed.input === 'string' ? parsed.input : args;
}

/** Item id prefixes as the Responses API uses them. */
export const ITEM_ID_PREFIX = { message: 'msg_', function: 'fc_', custom: 'ctc_', reasoning: 'rs_' } as const;

export function toolItemPrefix(context: ConversionContext, upstreamName: string): string {
  return clientTool(context, upstreamName).kind === 'custom' ? ITEM_ID_PREFIX.custom : ITEM_ID_PREFIX.function;
}

export interface ResponseFields {
  id: string;
  status: ResponsesResponse['status'];
  output: ResponsesOutputItem[];
  usage: ResponsesUsage | null;
  error?: { code: string; message: string };
  outcome?: ResponseOutcome;
}

/** The Response object (`response.*` event payloads and the non-streaming body). */
export function responseObject(context: ConversionContext, fields: ResponseFields): ResponsesResponse {
  const outcome = fields.outcome;
  return {
    id: fields.id,
    object: 'response',
    created_at: context.created,
    status: fields.status,
    model: context.clientModel,
    output: fields.output,
    usage: fields.usage,
    error: fields.error ?? null,
    incomplete_details: outcome?.status === 'incomplete' ? { reason: outcome.reason } : null,
  };
}

/** Arguments that are not (yet) one JSON value: what a call cut off mid-way leaves. */
export function cutByLimit(args: string): boolean {
  if (args.trim() === '') return false;
  try {
    JSON.parse(args);
    return false;
  } catch {
    return true;
  }
}
