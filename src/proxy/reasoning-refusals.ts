import type { ApiFormat } from '../formats/api-format.js';

/**
 * Upstream error messages that refuse the reasoning parameter a converted request carried. Coders
 * ask for reasoning on every request (Claude Code sends adaptive thinking with an effort even to a
 * custom model), and a model without it answers 400 to the parameter:
 * - OpenAI, a model without reasoning (gpt-4.1, gpt-4o): "Unsupported parameter: 'reasoning_effort'
 *   is not supported with this model."; one with other levels: "Unsupported value:
 *   'reasoning_effort' does not support 'high' with this model.";
 * - Ollama, a model without thinking: `"qwen3-coder" does not support thinking`; one that thinks
 *   only on or off: `think value "high" is not supported for this model`;
 * - others that say thinking is not supported for the model.
 * DeepSeek's "Missing `reasoning_content` field" is about the history, not the parameter: no match.
 */
const REFUSALS: readonly RegExp[] = [
  /reasoning[_.]effort/i,
  /does not support (?:extended )?thinking/i,
  /think value\b[^.]*not supported/i,
  /thinking is not (?:supported|available|enabled)/i,
];

/** Whether an upstream's error answer refuses the reasoning parameter (then the request is worth sending without it). */
export function refusesReasoning(status: number | null, message: string): boolean {
  if (status !== 400 && status !== 422) return false;
  if (/reasoning_content/i.test(message)) return false;
  return REFUSALS.some((pattern) => pattern.test(message));
}

/** Whether a converted request body for an upstream of `format` carries a reasoning parameter. */
export function carriesReasoning(body: unknown, format: ApiFormat): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  if (format === 'anthropic_messages') return b.thinking !== undefined;
  return b.reasoning_effort !== undefined || b.reasoning !== undefined;
}

/** Past this many, the oldest refusal is forgotten (its model is asked once more). */
const LIMIT = 1024;

/**
 * The (profile, upstream model) pairs whose upstream refused the reasoning parameter: their
 * requests are converted without it from then on, so only the first one pays a second round trip.
 * In memory; a restart asks again.
 */
export class ReasoningRefusals {
  readonly #keys = new Set<string>();

  has(profile: string, model: string): boolean {
    return this.#keys.size > 0 && this.#keys.has(`${profile}\n${model}`);
  }

  add(profile: string, model: string): void {
    const key = `${profile}\n${model}`;
    this.#keys.delete(key);
    this.#keys.add(key);
    if (this.#keys.size > LIMIT) this.#keys.delete(this.#keys.values().next().value as string);
  }
}
