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
  return {
    keys: {
      instructions: { ...text, items: item },
      input: { ...text, items: item },
      tools: toolsRule(copied.schemas),
    },
  };
}

/** A tools array: descriptions, and the parameter objects when `schemas` (see CopiedAsIs). */
function toolsRule(schemas: boolean): LiftRule {
  const tool: LiftRule = { keys: { description: TEXT, ...(schemas ? { parameters: { object: true } } : {}) } };
  return { items: { keys: { ...tool.keys, tools: { items: tool } } } }; // a namespace's own tools
}

/** map-tools.ts `clean` copies and strips the schema when the provider strips keywords. */
const copiesSchemas = (quirks: ProviderQuirks): boolean => (quirks.stripSchemaKeywords?.length ?? 0) === 0;

const WITH_SCHEMAS = planLift(responsesLiftRule(TEXT, { images: true, arguments: true, schemas: true }));
const WITHOUT_SCHEMAS = planLift(responsesLiftRule(TEXT, { images: true, arguments: true, schemas: false }));

export function liftable(quirks: ProviderQuirks): LiftPlan {
  return copiesSchemas(quirks) ? WITH_SCHEMAS : WITHOUT_SCHEMAS;
}

/** The plan with the top-level tools lifted whole, for Converter.tools (request.ts prepareTools). */
export const LIFTABLE_TOOLS_APART = planLift({
  keys: { ...responsesLiftRule(TEXT, { images: true, arguments: true, schemas: false }).keys, tools: { whole: true } },
});

const TOOLS_WITH_SCHEMAS = planLift(toolsRule(true));
const TOOLS_WITHOUT_SCHEMAS = planLift(toolsRule(false));

/** Inside the tools array, for Converter.tools (ToolsStage.liftableTools). */
export function liftableTools(quirks: ProviderQuirks): LiftPlan {
  return copiesSchemas(quirks) ? TOOLS_WITH_SCHEMAS : TOOLS_WITHOUT_SCHEMAS;
}
