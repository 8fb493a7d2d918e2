import { type LiftRule, planLift } from '../../json-lift.js';
import { BILLING_HEADER } from './map-system.js';

const TEXT: LiftRule = { string: true };

const TOOLS: LiftRule = { items: { keys: { description: TEXT } } };

/**
 * The strings convertRequest moves without reading (see Converter.liftable): message texts as
 * a string or in text blocks (joined, tested for being empty), tool_result contents, system
 * texts (tested for being blank, and for Claude Code's billing header, which is never lifted),
 * tool descriptions. Not here: tool_use inputs (serialised into `arguments`), image and document
 * data (a text document is decoded), thinking blocks (their signatures are checked).
 */
const PLAN: Record<string, LiftRule> = {
  system: { string: true, items: { keys: { text: { string: { unlessStartsWith: BILLING_HEADER } } } } },
  messages: {
    items: {
      keys: {
        content: {
          string: true,
          items: { keys: { text: TEXT, content: { string: true, items: { keys: { text: TEXT } } } } },
        },
      },
    },
  },
  tools: TOOLS,
};

export const LIFTABLE = planLift({ keys: PLAN });

/** LIFTABLE with the tools lifted whole, and the plan inside them, for Converter.tools (request.ts prepareTools). */
export const LIFTABLE_TOOLS_APART = planLift({ keys: { ...PLAN, tools: { whole: true } } });
export const LIFTABLE_TOOLS = planLift(TOOLS);
