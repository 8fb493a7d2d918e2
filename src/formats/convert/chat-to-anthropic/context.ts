import type { ConversionContext } from '../types.js';

/** Key under `ConversionContext.extra`: the client asked for `stream_options: {include_usage: true}`. */
const INCLUDE_USAGE = 'chatIncludeUsage';

export const includeUsageExtra = (includeUsage: boolean): Record<string, unknown> => ({
  [INCLUDE_USAGE]: includeUsage,
});

/** Whether the client wants the final `choices: []` usage chunk before `[DONE]`. */
export const wantsUsageChunk = (context: ConversionContext): boolean => context.extra?.[INCLUDE_USAGE] === true;
