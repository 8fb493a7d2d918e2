import { ConversionError } from '../types.js';

/**
 * The Anthropic ids of one request's tool calls. Anthropic takes ids of `[a-zA-Z0-9_-]` only, and
 * answers 400 ("`tool_use` ids must be unique") when two calls in the conversation share one.
 * Chat histories can hold both: providers that number their calls per answer (`call_0` in every
 * turn; Groq's and Kimi's `functions.read:0`), and ids that only differ in the characters the
 * cleaning replaces (`functions.read:2`, `functions.read_2`). A call's id is cleaned (case 40),
 * then, when an earlier call has it already, suffixed (`call_0_2`); a tool result answers the
 * latest call with its id. The same history gives the same ids, so a provider's prompt cache holds.
 */
export class ToolIdTable {
  readonly #used = new Set<string>();
  /** The client's id → the id its latest call got. */
  readonly #latest = new Map<string, string>();

  /** The id of a `tool_use` block for the client's call id. */
  forCall(id: unknown, where: string): string {
    const clean = cleanToolId(id, where);
    let unique = clean;
    for (let n = 2; this.#used.has(unique); n++) unique = `${clean}_${n}`;
    this.#used.add(unique);
    this.#latest.set(id as string, unique);
    return unique;
  }

  /** The id of a `tool_result` block for the client's `tool_call_id`. */
  forResult(id: unknown, where: string): string {
    const clean = cleanToolId(id, where);
    return this.#latest.get(id as string) ?? clean;
  }
}

function cleanToolId(id: unknown, where: string): string {
  if (typeof id !== 'string' || id.length === 0) throw new ConversionError(`${where}: a tool call id is required`);
  return id.replace(/[^a-zA-Z0-9_-]/g, '_');
}
