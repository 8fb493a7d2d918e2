import type { ProviderQuirks } from './types.js';

/** Whether the provider wants a turn's reasoning back as `reasoning_content` (DeepSeek, Kimi). */
export const replaysReasoning = (quirks: ProviderQuirks): boolean =>
  quirks.reasoning === 'deepseek' || quirks.replayReasoning === true;

/** The warning for images a text-only provider (`imageParts: false`) did not get. */
export function noteDroppedImages(count: number, warnings: string[]): void {
  if (count > 0)
    warnings.push(`${count} image(s) replaced by a note: this provider takes no images (quirk imageParts: false)`);
}

/**
 * Claude through a gateway that caches only where asked (OpenRouter): a top-level `cache_control`
 * makes it mark the last cacheable block, so every turn of a coder's loop reads its long system
 * prompt, tools and history from Anthropic's cache instead of paying for them in full.
 */
export function cacheControlFor(
  quirks: ProviderQuirks,
  upstreamModel: string,
): { cache_control?: { type: 'ephemeral' } } {
  return quirks.topLevelCacheControl === true && /claude|anthropic/i.test(upstreamModel)
    ? { cache_control: { type: 'ephemeral' } }
    : {};
}
