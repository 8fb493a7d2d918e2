// The life of one output item in the stream: added → deltas → done. Only one item is open at a
// time, and the only place an item is finished is closeOpenItem.
import { newId } from '../../ids.js';
import type { SseFrame } from '../../sse/types.js';
import type { ConversionContext } from '../types.js';
import { writeEvent } from './event-writer.js';
import {
  customToolInput,
  cutByLimit,
  ITEM_ID_PREFIX,
  messageItem,
  reasoningItem,
  signedContent,
  toolCallItem,
  toolItemPrefix,
  type UpstreamToolCall,
} from './output-items.js';
import type { StreamState, ToolCallState } from './stream-state.js';
import { clientTool } from './tool-names.js';

/** A text fragment: opens a message item with one output_text part if none is open (case 114). */
export function appendText(state: StreamState, context: ConversionContext, out: SseFrame[], text: string): void {
  if (state.open.kind !== 'text') {
    closeOpenItem(state, context, out);
    const itemId = newId(ITEM_ID_PREFIX.message);
    const outputIndex = addItem(state, out, messageItem(itemId, undefined, 'in_progress'));
    writeEvent(state, out, 'response.content_part.added', {
      item_id: itemId,
      output_index: outputIndex,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [] },
    });
    state.open = { kind: 'text', outputIndex, itemId, text: '' };
  }
  const open = state.open;
  open.text += text;
  state.sawContent = true;
  writeEvent(state, out, 'response.output_text.delta', {
    item_id: open.itemId,
    output_index: open.outputIndex,
    content_index: 0,
    delta: text,
    logprobs: [],
  });
}

/** A reasoning fragment: a reasoning item with one summary part, never output_text (case 117). */
export function appendReasoning(state: StreamState, context: ConversionContext, out: SseFrame[], text: string): void {
  if (state.open.kind !== 'reasoning') {
    closeOpenItem(state, context, out);
    const itemId = newId(ITEM_ID_PREFIX.reasoning);
    const outputIndex = addItem(state, out, reasoningItem(itemId, undefined));
    writeEvent(state, out, 'response.reasoning_summary_part.added', {
      item_id: itemId,
      output_index: outputIndex,
      summary_index: 0,
      part: { type: 'summary_text', text: '' },
    });
    state.open = { kind: 'reasoning', outputIndex, itemId, text: '' };
  }
  const open = state.open;
  open.text += text;
  state.sawContent = true;
  writeEvent(state, out, 'response.reasoning_summary_text.delta', {
    item_id: open.itemId,
    output_index: open.outputIndex,
    summary_index: 0,
    delta: text,
  });
}

/** The open reasoning's text since the last signature is one signed thinking block (an Anthropic upstream's). */
export function signReasoning(state: StreamState, signature: string): void {
  const open = state.open;
  if (open.kind !== 'reasoning') return;
  const text = open.text.slice(open.signedUpTo ?? 0);
  if (text === '') return;
  open.signed = [...(open.signed ?? []), { text, signature }];
  open.signedUpTo = open.text.length;
}

/** Adds a tool call's item (status in_progress, no arguments yet) and sends what it has so far (case 115). */
export function openToolItem(
  state: StreamState,
  context: ConversionContext,
  out: SseFrame[],
  call: ToolCallState,
): void {
  closeOpenItem(state, context, out);
  if (call.callId === undefined) {
    call.callId = newId('call_'); // case 116: generated once, reused everywhere
    call.idGenerated = true;
  }
  call.upstreamName ??= '';
  call.itemId = newId(toolItemPrefix(context, call.upstreamName));
  call.phase = 'open';
  call.outputIndex = addItem(state, out, toolCallItem(context, upstreamCall(call), 'in_progress'));
  state.sawContent = true;
  state.open = { kind: 'tool', call };
  sendArguments(state, context, out, call);
}

/**
 * Sends argument fragments not sent yet. Custom tools send nothing until the end: their input is
 * a string inside JSON (`{"input":"…"}`) that is only decodable once complete.
 */
export function sendArguments(state: StreamState, context: ConversionContext, out: SseFrame[], call: ToolCallState) {
  if (isCustom(context, call) || call.sent >= call.arguments.length) return;
  writeEvent(state, out, 'response.function_call_arguments.delta', {
    item_id: call.itemId,
    output_index: call.outputIndex,
    delta: call.arguments.slice(call.sent),
  });
  call.sent = call.arguments.length;
}

/** Sends the `.done` events of the open item, with its complete content (Codex reads only these). */
export function closeOpenItem(state: StreamState, context: ConversionContext, out: SseFrame[]): void {
  const open = state.open;
  state.open = { kind: 'none' };
  switch (open.kind) {
    case 'none':
      return;
    case 'text': {
      // fields written out, not `{ ...ids, text }`: see formats/with-fields.ts (a hidden class per object on Node 20)
      const { itemId: item_id, outputIndex: output_index, text } = open;
      writeEvent(state, out, 'response.output_text.done', {
        item_id,
        output_index,
        content_index: 0,
        text,
        logprobs: [],
      });
      writeEvent(state, out, 'response.content_part.done', {
        item_id,
        output_index,
        content_index: 0,
        part: { type: 'output_text', text, annotations: [] },
      });
      doneItem(state, out, open.outputIndex, messageItem(open.itemId, open.text, 'completed'));
      return;
    }
    case 'reasoning': {
      const { itemId: item_id, outputIndex: output_index, text } = open;
      writeEvent(state, out, 'response.reasoning_summary_text.done', { item_id, output_index, summary_index: 0, text });
      writeEvent(state, out, 'response.reasoning_summary_part.done', {
        item_id,
        output_index,
        summary_index: 0,
        part: { type: 'summary_text', text },
      });
      doneItem(
        state,
        out,
        open.outputIndex,
        reasoningItem(open.itemId, open.text, signedContent(context, open.signed)),
      );
      return;
    }
    case 'tool':
      closeToolItem(state, context, out, open.call);
      return;
  }
}

function closeToolItem(state: StreamState, context: ConversionContext, out: SseFrame[], call: ToolCallState): void {
  const { itemId: item_id, outputIndex: output_index } = call;
  if (state.finishReason === 'length' && cutByLimit(call.arguments)) {
    // cut off by the token limit: an unfinished call gets no .done (Codex would run it and send it
    // back; a custom tool's input would be the wrapper's cut JSON); the response's output lists it
    // as incomplete, as after a failure
    call.phase = 'closed';
    state.output[call.outputIndex] = toolCallItem(context, upstreamCall(call), 'incomplete');
    return;
  }
  if (isCustom(context, call)) {
    const input = customToolInput(call.arguments);
    if (input.length > 0)
      writeEvent(state, out, 'response.custom_tool_call_input.delta', { item_id, output_index, delta: input });
    writeEvent(state, out, 'response.custom_tool_call_input.done', { item_id, output_index, input });
  } else {
    if (call.arguments.length === 0) call.arguments = '{}'; // a call without arguments: Codex parses them as JSON
    sendArguments(state, context, out, call);
    writeEvent(state, out, 'response.function_call_arguments.done', {
      item_id,
      output_index,
      arguments: call.arguments,
    });
  }
  call.phase = 'closed';
  doneItem(state, out, call.outputIndex, toolCallItem(context, upstreamCall(call), 'completed'));
}

/** The open item as it stands, for a `response.failed` snapshot (status incomplete). */
export function openItemSnapshot(state: StreamState, context: ConversionContext) {
  const open = state.open;
  switch (open.kind) {
    case 'none':
      return undefined;
    case 'text':
      return { outputIndex: open.outputIndex, item: messageItem(open.itemId, open.text, 'incomplete') };
    case 'reasoning':
      return { outputIndex: open.outputIndex, item: reasoningItem(open.itemId, open.text) };
    case 'tool':
      return { outputIndex: open.call.outputIndex, item: toolCallItem(context, upstreamCall(open.call), 'incomplete') };
  }
}

function addItem(state: StreamState, out: SseFrame[], item: StreamState['output'][number]): number {
  const outputIndex = state.output.length;
  state.output.push(item);
  writeEvent(state, out, 'response.output_item.added', { output_index: outputIndex, item });
  return outputIndex;
}

function doneItem(state: StreamState, out: SseFrame[], outputIndex: number, item: StreamState['output'][number]) {
  state.output[outputIndex] = item;
  writeEvent(state, out, 'response.output_item.done', { output_index: outputIndex, item });
}

const isCustom = (context: ConversionContext, call: ToolCallState) =>
  clientTool(context, call.upstreamName ?? '').kind === 'custom';

function upstreamCall(call: ToolCallState): UpstreamToolCall {
  return {
    itemId: call.itemId,
    callId: call.callId ?? '',
    upstreamName: call.upstreamName ?? '',
    arguments: call.arguments,
  };
}
