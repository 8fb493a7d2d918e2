import type { ChatMessage } from './types.js';

/** Google's documented stand-in for a thought signature the caller does not have: it skips Gemini's check. */
export const THOUGHT_SIGNATURE_PLACEHOLDER = 'skip_thought_signature_validator';

/** Models that check the signatures: Gemini 3 and later, and the `-latest` aliases that may name them. */
const CHECKS_SIGNATURES = /\bgemini-(?:[3-9]|\d{2,})|\bgemini-[a-z-]*latest\b/i;

/**
 * Gemini 3 behind Google's OpenAI-compatible endpoint answers 400 ("Function call is missing a
 * thought_signature") to a history whose assistant tool calls lack the signature it gave them
 * (`extra_content.google.thought_signature`). A coder's next request carries only the calls' ids,
 * names and arguments, so the first tool call of each assistant message gets Google's placeholder
 * instead; a signature already there is kept. Other models are left alone.
 */
export function addThoughtSignaturePlaceholders(messages: ChatMessage[], model: string): void {
  if (!CHECKS_SIGNATURES.test(model)) return;
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    const first = message.tool_calls?.[0];
    if (first !== undefined && first.extra_content === undefined)
      first.extra_content = { google: { thought_signature: THOUGHT_SIGNATURE_PLACEHOLDER } };
  }
}
