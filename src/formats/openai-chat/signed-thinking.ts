import type { ChatReasoningDetail } from './types.js';

// Thinking that Anthropic signed, as a Chat message carries it: OpenRouter's `reasoning_details`
// entry `{type: "reasoning.text", text, signature}`. Anthropic takes a thinking block back only with
// its exact text and signature; with them, a tool loop keeps its extended thinking.

export interface SignedThinking {
  text: string;
  signature: string;
}

/** The signed thinking entries of a message's `reasoning_details` (text and signature both present). */
export function signedThinking(details: unknown): SignedThinking[] {
  if (!Array.isArray(details)) return [];
  const out: SignedThinking[] = [];
  for (const detail of details as Array<Partial<ChatReasoningDetail> | null>) {
    if (detail?.type !== 'reasoning.text') continue;
    const { text, signature } = detail;
    if (typeof text === 'string' && text !== '' && typeof signature === 'string' && signature !== '')
      out.push({ text, signature });
  }
  return out;
}

/** The `reasoning_details` entry for one signed thinking block. */
export const signedDetail = (thinking: SignedThinking): ChatReasoningDetail => ({
  type: 'reasoning.text',
  text: thinking.text,
  signature: thinking.signature,
});

/** A signature alone, as a stream sends it at the end of its thinking block. */
export function streamedSignature(details: unknown): string | undefined {
  if (!Array.isArray(details)) return undefined;
  let signature: string | undefined;
  for (const detail of details as Array<Partial<ChatReasoningDetail> | null>)
    if (typeof detail?.signature === 'string' && detail.signature !== '') signature = detail.signature;
  return signature;
}
