import type { NormalizedError } from '../../errors/error-kinds.js';
import type { SignedThinking } from '../../openai-chat/signed-thinking.js';
import type { ResponsesOutputItem } from '../../openai-responses/types.js';
import { initialThinkTagState, type ThinkTagState } from '../think-tag-splitter.js';

/** One Chat tool call (a `tool_calls[].index`) on its way to becoming an output item. */
export interface ToolCallState {
  /** The Chat `tool_calls[].index` (or a stand-in when the upstream omitted it). */
  index: number;
  /** Upstream id; generated (`call_…`) when the item is added if the upstream had sent none. */
  callId: string | undefined;
  /** The id was generated here: an upstream id arriving later belongs to this call, not a new one. */
  idGenerated: boolean;
  /** Upstream (Chat) name; the item cannot be added before it is known. */
  upstreamName: string | undefined;
  /** Every argument fragment received so far. */
  arguments: string;
  /** How much of `arguments` has been sent as `function_call_arguments.delta`. */
  sent: number;
  /** waiting: not added yet (no name, or another item is open) · open: receiving · closed: done sent */
  phase: 'waiting' | 'open' | 'closed';
  /** Set when the item is added. */
  outputIndex: number;
  itemId: string;
}

/** The single output item receiving deltas; Responses items are streamed one after another. */
export type OpenItem =
  | { kind: 'none' }
  | {
      kind: 'text' | 'reasoning';
      outputIndex: number;
      itemId: string;
      text: string;
      /** Reasoning: the thinking blocks signed so far, and how much of `text` they cover. */
      signed?: SignedThinking[];
      signedUpTo?: number;
    }
  | { kind: 'tool'; call: ToolCallState };

export interface StreamState {
  /** `resp_…`: the same id in response.created and the terminal event. */
  responseId: string;
  /** The next `sequence_number` (strictly increasing from 0). */
  nextSequence: number;
  /** not_started: response.created not sent · completed / failed: terminal event sent */
  phase: 'not_started' | 'streaming' | 'completed' | 'failed';
  /** Output items by output_index, as last announced (final once their `output_item.done` is out). */
  output: ResponsesOutputItem[];
  open: OpenItem;
  /** Tool calls in order of first appearance; output items are added in this order. */
  toolCalls: ToolCallState[];
  /** First finish_reason seen; the terminal event waits for [DONE] or EOF (usage may follow). */
  finishReason: string | null;
  sawContent: boolean;
  /** The last `usage` object seen (on the finish chunk, a `choices: []` chunk, or repeated). */
  usage: unknown;
  upstreamError: NormalizedError | undefined;
  /** `<think>…</think>` opening the content is reasoning (case 84). */
  think: ThinkTagState;
}

/** `thinkTags: false`: no `<think>` block is looked for (ConversionContext.thinkTags). */
export function initialStreamState(responseId: string, thinkTags = true): StreamState {
  return {
    responseId,
    nextSequence: 0,
    phase: 'not_started',
    output: [],
    open: { kind: 'none' },
    toolCalls: [],
    finishReason: null,
    sawContent: false,
    usage: undefined,
    upstreamError: undefined,
    think: thinkTags ? initialThinkTagState() : { ...initialThinkTagState(), mode: 'text' },
  };
}
