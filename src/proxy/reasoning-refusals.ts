import type { ApiFormat } from '../formats/api-format.js';

/**
 * Upstream error messages that refuse the reasoning parameter itself, for this model: a model
 * without reasoning. Coders ask for reasoning on every request (Claude Code sends adaptive thinking
 * with an effort even to a custom model), and such a model answers 400 to the parameter:
 * - OpenAI (gpt-4.1, gpt-4o): "Unsupported parameter: 'reasoning_effort' is not supported with
 *   this model.";
 * - Ollama, a model without thinking: `"qwen3-coder" does not support thinking`; one that thinks
 *   only on or off: `think value "high" is not supported for this model`;
 * - Anthropic, a Claude model without extended thinking: "… does not support thinking".
 */
const PARAMETER_REFUSALS: readonly RegExp[] = [
  /unsupported parameter\W+reasoning[_.]effort/i,
  /does not support (?:extended )?thinking/i,
  /think value\b[^.]*not supported/i,
  /thinking is not (?:supported|available|enabled)/i,
];

/**
 * Other answers about the parameter: a value the model does not take (OpenAI: "Unsupported value:
 * 'reasoning_effort' does not support 'minimal' with this model"; Ollama: "invalid reasoning
 * value: 'minimal'"), or one it does not take with tools. The request is worth sending once without
 * the parameter, but the model keeps it for other requests (another effort may suit it).
 */
const NAMES_PARAMETER = /reasoning[_.]effort|invalid reasoning value/i;

/**
 * What an upstream's error answer (its own message) says of the reasoning parameter: `model`, the
 * model refuses it (send none from now on); `request`, this request's value was refused (send this
 * one again without it); undefined, it is not about the parameter.
 */
export function reasoningRefusal(status: number | null, message: string): 'model' | 'request' | undefined {
  if (status !== 400 && status !== 422) return undefined;
  if (/reasoning_content/i.test(message)) return undefined; // DeepSeek: about the history's reasoning
  if (PARAMETER_REFUSALS.some((pattern) => pattern.test(message))) return 'model';
  return NAMES_PARAMETER.test(message) ? 'request' : undefined;
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

  /** Forgets every refusal (the config changed: a profile may point elsewhere now). */
  clear(): void {
    this.#keys.clear();
  }

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
