import type { ChatReasoningDetail } from '../../openai-chat/types.js';

interface ReasoningCarrier {
  reasoning_content?: string | null;
  reasoning?: string | null;
  reasoning_details?: ChatReasoningDetail[] | null;
}

/**
 * The reasoning text of a Chat message or delta, whichever dialect carried it (cases 48, 62):
 * DeepSeek/GLM/llama.cpp `reasoning_content`, Ollama/vLLM/OpenRouter `reasoning`, or OpenRouter
 * `reasoning_details[].text`. OpenRouter sends `reasoning` *and* `reasoning_details` with the same
 * text, so only the first present source is used. The signature only ever comes from
 * `reasoning_details` (case 63); it is never invented.
 */
export function readReasoning(carrier: ReasoningCarrier): { text: string; signature: string | undefined } {
  const details = Array.isArray(carrier.reasoning_details) ? carrier.reasoning_details : [];
  let signature: string | undefined;
  for (const detail of details)
    if (typeof detail?.signature === 'string' && detail.signature !== '') signature = detail.signature;

  if (typeof carrier.reasoning_content === 'string' && carrier.reasoning_content !== '') {
    return { text: carrier.reasoning_content, signature };
  }
  if (typeof carrier.reasoning === 'string' && carrier.reasoning !== '') return { text: carrier.reasoning, signature };
  let text = '';
  for (const detail of details) {
    if (detail?.type === 'reasoning.text' && typeof detail.text === 'string') text += detail.text;
    else if (detail?.type === 'reasoning.summary' && typeof detail.summary === 'string') text += detail.summary;
  }
  return { text, signature };
}
