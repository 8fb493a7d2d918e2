import type { NormalizedError } from '../../errors/error-kinds.js';
import type { ChatUsage } from '../../openai-chat/types.js';
import { initialThinkTagState, type ThinkTagState } from '../think-tag-splitter.js';
import { initialToolCallState, type ToolCall, type ToolCallState } from './tool-call-buffer.js';

/**
 * Where the conversion of one Chat stream into an Anthropic stream stands.
 *
 *   awaiting ──first chunk──▶ streaming ──finish_reason──▶ finishing ──usage after finish / [DONE] / EOF──▶ stopped
 *      │                         │ [DONE] (no finish) ────────────────────────────────────────────────────▶ stopped
 *      └──── error chunk / EOF / fail() ───────────────────────────────────────────────────────────────────▶ failed
 *
 * awaiting: nothing received, no message_start sent (the proxy can still fail over) ·
 * streaming: message_start sent, blocks opening and closing ·
 * finishing: finish_reason received, every block closed; message_delta is held until usage comes ·
 * stopped: message_delta + message_stop sent · failed: an `error` event ended the stream.
 */
export type StreamPhase = 'awaiting' | 'streaming' | 'finishing' | 'stopped' | 'failed';

/** The one Anthropic content block that may be open; indices are positions, contiguous from 0. */
export type OpenBlock =
  | { kind: 'none' }
  | { kind: 'text'; index: number }
  | { kind: 'thinking'; index: number; signature: string | undefined }
  | { kind: 'tool'; index: number; call: ToolCall };

export interface StreamState {
  phase: StreamPhase;
  messageId: string;
  open: OpenBlock;
  nextBlockIndex: number;
  /** A text, thinking or tool block has been started (message_start alone is not content). */
  sawContent: boolean;
  sawToolCall: boolean;
  sawRefusal: boolean;
  /** Whitespace that would have opened a text block on its own (onText): it waits for other text. */
  heldSpace: string;
  /** The first finish_reason received; later duplicates are ignored (case 75). */
  finishReason: string | null;
  /** vLLM's matched stop string (case 51). */
  stopSequence: string | null;
  /** The last usage the upstream reported (repeats replace, never add: case 74). */
  usage: ChatUsage | undefined;
  upstreamError: NormalizedError | undefined;
  tools: ToolCallState;
  think: ThinkTagState;
  /** Upstream data lines that were not JSON (skipped, case 83). */
  malformedChunks: number;
  warnings: string[];
  /** Signature for thinking blocks that arrive without one (ConversionContext.signatureTag). */
  signatureTag: string | undefined;
}

export function initialStreamState(messageId: string, signatureTag?: string): StreamState {
  return {
    phase: 'awaiting',
    messageId,
    open: { kind: 'none' },
    nextBlockIndex: 0,
    sawContent: false,
    sawToolCall: false,
    sawRefusal: false,
    heldSpace: '',
    finishReason: null,
    stopSequence: null,
    usage: undefined,
    upstreamError: undefined,
    tools: initialToolCallState(),
    think: initialThinkTagState(),
    malformedChunks: 0,
    warnings: [],
    signatureTag,
  };
}

const MAX_WARNINGS = 20;

/** Warnings are for the log; a misbehaving upstream must not grow them without bound. */
export function warn(state: StreamState, message: string): void {
  if (state.warnings.length < MAX_WARNINGS) state.warnings.push(message);
}
