import { type LiftPlan, type LiftRule, planLift } from '../../json-lift.js';
import type { ProviderQuirks } from '../types.js';

const TEXT: LiftRule = { string: true };
/** Text parts (input_text, output_text, …) and images by data URL: copied into Chat parts or joined. */
const PARTS: LiftRule = { string: true, items: { keys: { text: TEXT, image_url: TEXT } } };
/** An input item: a message's content, a tool call's arguments, a tool output (string or parts). */
const ITEM: LiftRule = { keys: { content: PARTS, arguments: TEXT, output: PARTS } };

const tools = (tool: LiftRule): LiftRule => ({
  items: { keys: { ...tool.keys, tools: { items: tool } } }, // a namespace's own tools
});
const rule = (tool: LiftRule): LiftRule => ({
  keys: { instructions: { string: true, items: ITEM }, input: { string: true, items: ITEM }, tools: tools(tool) },
});

/** Tool parameters pass unread when no schema keyword is stripped for the provider (map-tools.ts `clean`). */
const WITH_SCHEMAS = planLift(rule({ keys: { description: TEXT, parameters: { object: true } } }));
const WITHOUT_SCHEMAS = planLift(rule({ keys: { description: TEXT } }));

/**
 * What convertRequest moves without reading (see Converter.liftable): `instructions`, input
 * texts and images, tool-call arguments, tool outputs, tool descriptions, and tool parameters
 * unless the provider's schema keywords are stripped. Not here: a custom tool call's `input`
 * (serialised into `arguments`), names and ids.
 */
export function liftable(quirks: ProviderQuirks): LiftPlan {
  return (quirks.stripSchemaKeywords?.length ?? 0) > 0 ? WITHOUT_SCHEMAS : WITH_SCHEMAS;
}
