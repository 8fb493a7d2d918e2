import type { AnthropicContentBlock, AnthropicTextBlock } from '../../anthropic/types.js';
import { ConversionError } from '../types.js';

/**
 * Claude Code puts `x-anthropic-billing-header: cc_version=…; cc_entrypoint=…; cch=…;` in
 * `system[0]`. It means nothing to the model and `cch` changes on every request, which defeats the
 * prefix cache of every OpenAI-compatible provider (anthropics/claude-code#68900,
 * waybarrios/vllm-mlx#277). Only a whole top-level system block starting with it is dropped.
 */
export const BILLING_HEADER = 'x-anthropic-billing-header:';

/**
 * The texts of the top-level `system` field, in order, without empty/whitespace-only blocks
 * (cases 1–3). `cache_control` is not carried (case 4).
 */
export function systemTexts(system: unknown): string[] {
  if (system === undefined || system === null) return [];
  if (typeof system === 'string') return system.trim() === '' ? [] : [system];
  if (!Array.isArray(system)) throw new ConversionError('system must be a string or an array of text blocks');
  const texts: string[] = [];
  system.forEach((block: Partial<AnthropicTextBlock>, i) => {
    if (typeof block?.text !== 'string') throw new ConversionError(`system[${i}] is not a text block`);
    if (block.text.trim() === '' || block.text.startsWith(BILLING_HEADER)) return;
    texts.push(block.text);
  });
  return texts;
}

/** The text of a `role: "system"` message inside `messages[]` (Claude Code's mid-conversation system). */
export function systemMessageText(content: string | AnthropicContentBlock[], path: string): string | undefined {
  if (typeof content === 'string') return content.trim() === '' ? undefined : content;
  const texts: string[] = [];
  content.forEach((block, j) => {
    if (block.type !== 'text' || typeof block.text !== 'string') {
      throw new ConversionError(`${path}.content[${j}]: a system message may only hold text`);
    }
    if (block.text.trim() !== '') texts.push(block.text);
  });
  return texts.length > 0 ? texts.join('\n') : undefined;
}
