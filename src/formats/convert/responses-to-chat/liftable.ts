import { type LiftPlan, type LiftRule, planLift } from '../../json-lift.js';
import type { ProviderQuirks } from '../types.js';

const TEXT: LiftRule = { string: true };

/** What the step after convertRequest only copies, besides texts (see responsesLiftRule). */
export interface CopiedAsIs {
  /** `image_url` of input images (Chat: copied; Anthropic: the data URL is parsed). */
  images: boolean;
  /** Function-call `arguments` (Chat: copied; Anthropic: parsed into an object). */
  arguments: boolean;
  /** Tool `parameters` objects (Chat without stripped schema keywords: passed on unread). */
  schemas: boolean;
}

/**
 * Where convertRequest (Responses → Chat) moves values without reading them: `instructions`,
 * message texts (`text` says how later steps may test them: a message can be the assistant's),
 * tool outputs (only ever tool messages), tool descriptions, and what `copied` allows. Never a
 * custom tool call's `input` (serialised into `arguments`), names or ids. See Converter.liftable.
 */
export function responsesLiftRule(text: LiftRule, copied: CopiedAsIs): LiftRule {
  const images: Record<string, LiftRule> = copied.images ? { image_url: TEXT } : {};
  const parts: LiftRule = { ...text, items: { keys: { text, ...images } } };
  const outputs: LiftRule = { ...TEXT, items: { keys: { text: TEXT, ...images } } };
  const item: LiftRule = {
    keys: { content: parts, output: outputs, ...(copied.arguments ? { arguments: TEXT } : {}) },
  };
  const tool: LiftRule = { keys: { description: TEXT, ...(copied.schemas ? { parameters: { object: true } } : {}) } };
  return {
    keys: {
      instructions: { ...text, items: item },
      input: { ...text, items: item },
      tools: { items: { keys: { ...tool.keys, tools: { items: tool } } } }, // a namespace's own tools
    },
  };
}

const WITH_SCHEMAS = planLift(responsesLiftRule(TEXT, { images: true, arguments: true, schemas: true }));
/** map-tools.ts `clean` copies and strips the schema when the provider strips keywords. */
const WITHOUT_SCHEMAS = planLift(responsesLiftRule(TEXT, { images: true, arguments: true, schemas: false }));

export function liftable(quirks: ProviderQuirks): LiftPlan {
  return (quirks.stripSchemaKeywords?.length ?? 0) > 0 ? WITHOUT_SCHEMAS : WITH_SCHEMAS;
}
