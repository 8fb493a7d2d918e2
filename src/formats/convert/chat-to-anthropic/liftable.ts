import { type LiftRule, planLift } from '../../json-lift.js';

/** Texts are tested for being blank, and the final assistant text is trimmed at its end (map-messages.ts). */
export const CHAT_TEXT: LiftRule = { string: { visibleEnd: true } };

/**
 * What convertRequest (Chat → Anthropic) moves without reading it (see Converter.liftable):
 * message contents as a string or in text parts, tool descriptions. Not here: tool-call
 * arguments (parsed into `input`), image and file data URLs (parsed), tool parameters (given a
 * `type` when they have none).
 */
export const LIFTABLE = planLift({
  keys: {
    messages: { items: { keys: { content: { ...CHAT_TEXT, items: { keys: { text: CHAT_TEXT } } } } } },
    tools: { items: { keys: { function: { keys: { description: { string: true } } } } } },
  },
});
