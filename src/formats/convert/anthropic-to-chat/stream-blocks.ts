import { newId } from '../../ids.js';
import type { SseFrame } from '../../sse/types.js';
import type { ConversionContext } from '../types.js';
import {
  blockStopFrame,
  inputJsonDeltaFrame,
  signatureDeltaFrame,
  textDeltaFrame,
  textStartFrame,
  thinkingDeltaFrame,
  thinkingStartFrame,
  toolUseStartFrame,
} from './stream-frames.js';
import { type StreamState, warn } from './stream-state.js';
import { nextWaiting, type ToolCall, takePending } from './tool-call-buffer.js';
import { toClientToolId } from './tool-ids.js';
import { clientToolName } from './tool-names.js';

// Block transitions of the Chat → Anthropic stream. Each touches only StreamState and appends
// frames to `out`. Invariants (protocol-notes §1.2): one block open at a time, indices
// contiguous from 0, one block type per index, content_block_stop before the next start.

/** The only place a content_block_stop is emitted. */
export function closeOpenBlock(s: StreamState, out: SseFrame[]): void {
  const open = s.open;
  if (open.kind === 'none') return;
  const signature = open.kind === 'thinking' ? (open.signature ?? s.signatureTag) : undefined;
  if (open.kind === 'thinking' && signature !== undefined) {
    // one signature_delta right before the thinking block's stop, as the real API does (case 63)
    out.push(signatureDeltaFrame(open.index, signature));
  }
  if (open.kind === 'tool') open.call.status = 'closed';
  out.push(blockStopFrame(open.index));
  s.open = { kind: 'none' };
}

export function onText(s: StreamState, text: string, out: SseFrame[]): void {
  if (text === '') return;
  if (s.open.kind !== 'text') {
    // A text block opens only with text that is not all whitespace, as in the non-streaming
    // answer (case 57): the API refuses a whitespace-only text block when the client sends the
    // turn back (protocol-notes §1.6). The whitespace waits for such text, or is dropped.
    if (text.trim() === '') {
      s.heldSpace += text;
      return;
    }
    text = s.heldSpace + text;
    s.heldSpace = '';
    closeOpenBlock(s, out);
    s.open = { kind: 'text', index: s.nextBlockIndex++ };
    s.sawContent = true;
    out.push(textStartFrame(s.open.index));
  }
  out.push(textDeltaFrame(s.open.index, JSON.stringify(text)));
}

export function onThinking(s: StreamState, thinking: string, out: SseFrame[]): void {
  if (thinking === '') return;
  if (s.open.kind !== 'thinking') {
    closeOpenBlock(s, out);
    s.open = { kind: 'thinking', index: s.nextBlockIndex++, signature: undefined };
    s.sawContent = true;
    out.push(thinkingStartFrame(s.open.index));
  }
  out.push(thinkingDeltaFrame(s.open.index, thinking));
}

/** Remembers a reasoning signature for the open thinking block (the last one wins, as `signature_delta` replaces). */
export function onSignature(s: StreamState, signature: string): void {
  if (s.open.kind === 'thinking') s.open.signature = signature;
  else warn(s, 'reasoning signature arrived outside a thinking block; dropped');
}

/**
 * Moves tool calls forward after new fragments: sends the open call's held arguments, closes it
 * once its JSON is complete and another call is waiting, and opens the next waiting call as soon
 * as its name is known. Calls keep their upstream order.
 */
export function advanceTools(s: StreamState, context: ConversionContext, out: SseFrame[]): void {
  for (;;) {
    const open = s.open;
    if (open.kind === 'tool') {
      sendPending(open.call, open.index, out);
      if (open.call.scan.status !== 'complete' || nextWaiting(s.tools)?.name === undefined) return;
      closeOpenBlock(s, out);
    }
    const next = nextWaiting(s.tools);
    if (next?.name === undefined) return;
    openTool(s, next, context, out);
  }
}

/** At the finish: closes the open block and gives every waiting call its block, in order. */
export function finishTools(s: StreamState, context: ConversionContext, out: SseFrame[]): void {
  closeOpenBlock(s, out);
  for (let next = nextWaiting(s.tools); next !== undefined; next = nextWaiting(s.tools)) {
    if (next.name === undefined) {
      next.status = 'closed';
      warn(s, `tool call ${next.id ?? '(no id)'} dropped: the upstream never sent its name`);
      continue;
    }
    openTool(s, next, context, out);
    closeOpenBlock(s, out);
  }
}

function openTool(s: StreamState, call: ToolCall, context: ConversionContext, out: SseFrame[]): void {
  closeOpenBlock(s, out);
  const upstreamName = call.name ?? '';
  const name = clientToolName(context, upstreamName);
  const id = call.id !== undefined ? toClientToolId(call.id) : newId('toolu_'); // case 68
  call.status = 'open';
  s.open = { kind: 'tool', index: s.nextBlockIndex++, call };
  s.sawContent = true;
  s.sawToolCall = true;
  out.push(toolUseStartFrame(s.open.index, id, name));
  sendPending(call, s.open.index, out);
}

function sendPending(call: ToolCall, index: number, out: SseFrame[]): void {
  const partial = takePending(call);
  if (partial === '') return; // no empty input_json_delta (case 69)
  out.push(inputJsonDeltaFrame(index, partial));
}
