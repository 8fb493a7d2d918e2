import type { ProviderQuirks } from './types.js';

/** Whether the provider wants a turn's reasoning back as `reasoning_content` (DeepSeek, Kimi). */
export const replaysReasoning = (quirks: ProviderQuirks): boolean =>
  quirks.reasoning === 'deepseek' || quirks.replayReasoning === true;
