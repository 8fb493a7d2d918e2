/** How a Response ends, from the Chat finish_reason (case 118). */
export type ResponseOutcome =
  | { status: 'completed' }
  | { status: 'incomplete'; reason: 'max_output_tokens' | 'content_filter' };

export function mapFinishReason(reason: string | null | undefined): ResponseOutcome {
  switch (reason) {
    case 'length':
      return { status: 'incomplete', reason: 'max_output_tokens' };
    case 'content_filter':
      return { status: 'incomplete', reason: 'content_filter' };
    default:
      return { status: 'completed' }; // stop, tool_calls, function_call, null ([DONE] without finish), vendor extras
  }
}
