import type { AnthropicUsage } from '../../anthropic/types.js';
import type { NormalizedError } from '../../errors/error-kinds.js';

/**
 * Where an Anthropic → Chat stream is:
 *
 *   awaiting_start ──message_start──▶ streaming ──message_delta──▶ finishing ──message_stop──▶ finished
 *         │                              │  (role chunk sent)        (finish chunk sent)      (usage?, [DONE])
 *         └────────── event: error / EOF / transport failure ───────────────┴──────────────▶ failed
 *                                                                                         (error chunk sent)
 */
export type StreamPhase = 'awaiting_start' | 'streaming' | 'finishing' | 'finished' | 'failed';

export interface StreamState {
  phase: StreamPhase;
  /** Shared by every chunk: `chatcmpl-<msg id>` once message_start arrived. */
  id: string;
  /** Anthropic block index → Chat tool-call index (k counts tool_use blocks only, case 137). */
  toolIndexByBlock: Map<number, number>;
  /** Tool calls started so far; also the next k. */
  toolCalls: number;
  /**
   * Tool calls (k) that have sent no argument text yet. A tool without parameters streams only an
   * empty `partial_json`; its call gets `"{}"` when its block stops, since clients parse the
   * arguments as JSON and `""` is not.
   */
  toolsWithoutArguments: Set<number>;
  /** A text, thinking or tool-call chunk has been emitted (the proxy's failover gate). */
  sawContent: boolean;
  /** Cumulative usage from message_start and message_delta. */
  usage: AnthropicUsage | undefined;
  /** The error that ended the stream, when the upstream reported one or was cut off. */
  upstreamError: NormalizedError | undefined;
}

export function initialStreamState(): StreamState {
  return {
    phase: 'awaiting_start',
    id: '',
    toolIndexByBlock: new Map(),
    toolCalls: 0,
    toolsWithoutArguments: new Set(),
    sawContent: false,
    usage: undefined,
    upstreamError: undefined,
  };
}
