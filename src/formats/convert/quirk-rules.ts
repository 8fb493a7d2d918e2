import type { ProviderQuirks } from './types.js';

/** Whether the provider wants a turn's reasoning back as `reasoning_content` (DeepSeek, Kimi). */
export const replaysReasoning = (quirks: ProviderQuirks): boolean =>
  quirks.reasoning === 'deepseek' || quirks.replayReasoning === true;

/** The warning for images a text-only provider (`imageParts: false`) did not get. */
export function noteDroppedImages(count: number, warnings: string[]): void {
  if (count > 0)
    warnings.push(`${count} image(s) replaced by a note: this provider takes no images (quirk imageParts: false)`);
}
