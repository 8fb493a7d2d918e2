import type { ResponsesStreamEvent } from '../../openai-responses/types.js';
import type { SseFrame } from '../../sse/types.js';
import type { StreamState } from './stream-state.js';

/**
 * Appends one Responses event: `event: <type>` (the openai SDK needs it) and data
 * `{type, sequence_number, …fields}` numbered from the state's counter.
 */
export function writeEvent(
  state: StreamState,
  out: SseFrame[],
  type: string,
  fields: Omit<ResponsesStreamEvent, 'type' | 'sequence_number'>,
): void {
  const data: ResponsesStreamEvent = { type, sequence_number: state.nextSequence, ...fields };
  state.nextSequence += 1;
  out.push({ event: type, data });
}
