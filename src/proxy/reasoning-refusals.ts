import type { ApiFormat } from '../formats/api-format.js';

/**
 * Upstream error messages that refuse the reasoning parameter itself, for this model: a model
 * without reasoning. Coders ask for reasoning on every request (Claude Code sends adaptive thinking
 * with an effort even to a custom model), and such a model answers 400 to the parameter:
 * - OpenAI (gpt-4.1, gpt-4o): "Unsupported parameter: 'reasoning_effort' is not supported with
 *   this model.";
 * - Ollama, a model without thinking: `"qwen3-coder" does not support thinking`; one that thinks
 *   only on or off: `think value "high" is not supported for this model`;
 * - Anthropic, a Claude model without extended thinking: "… does not support thinking"; one that
 *   thinks only in adaptive mode, under a name not known as such (claude-generations.ts):
 *   `"thinking.type.enabled" is not supported for this model`.
 */
const PARAMETER_REFUSALS: readonly RegExp[] = [
  /unsupported parameter\W+reasoning[_.]effort/i,
  /does not support (?:extended )?thinking/i,
  /think value\b[^.]*not supported/i,
  /thinking is not (?:supported|available|enabled)/i,
  /thinking\.type\.enabled"? is not supported/i,
];

/**
 * Other answers about the parameter: a value the model does not take (OpenAI: "Unsupported value:
 * 'reasoning_effort' does not support 'minimal' with this model"; Ollama: "invalid reasoning
 * value: 'minimal'"), or one it does not take with tools. The request goes again without the
 * parameter, and so do the model's later requests with that value; other values still go.
 */
const NAMES_PARAMETER = /reasoning[_.]effort|invalid reasoning value/i;

/**
 * What an upstream's error answer (its own message) says of the reasoning parameter: `model`, the
 * model refuses it (send none from now on); `request`, this request's value was refused (send none
 * with that value from now on); undefined, it is not about the parameter.
 */
export function reasoningRefusal(status: number | null, message: string): 'model' | 'request' | undefined {
  if (status !== 400 && status !== 422) return undefined;
  if (/reasoning_content/i.test(message)) return undefined; // DeepSeek: about the history's reasoning
  if (PARAMETER_REFUSALS.some((pattern) => pattern.test(message))) return 'model';
  return NAMES_PARAMETER.test(message) ? 'request' : undefined;
}

/** The reasoning parameter a converted request body for an upstream of `format` carries, as text; undefined when none. */
export function reasoningValue(body: unknown, format: ApiFormat): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const value = format === 'anthropic_messages' ? b.thinking : (b.reasoning_effort ?? b.reasoning);
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Past this many, the oldest refusal is forgotten (its model is asked once more). */
const LIMIT = 1024;

/**
 * The (profile, upstream model) pairs whose upstream refused the reasoning parameter, or one of its
 * values: their requests are converted without it (with that value) from then on, so only the
 * first one pays a second round trip. In memory; a restart or a config change asks again.
 */
export class ReasoningRefusals {
  readonly #keys = new Set<string>();
  readonly #values = new Set<string>();

  /** Forgets every refusal (the config changed: a profile may point elsewhere now). */
  clear(): void {
    this.#keys.clear();
    this.#values.clear();
  }

  /** Whether this profile's model refused this value of the parameter. */
  hasValue(profile: string, model: string, value: string): boolean {
    return this.#values.size > 0 && this.#values.has(`${profile}\n${model}\n${value}`);
  }

  addValue(profile: string, model: string, value: string): void {
    remember(this.#values, `${profile}\n${model}\n${value}`);
  }

  has(profile: string, model: string): boolean {
    return this.#keys.size > 0 && this.#keys.has(`${profile}\n${model}`);
  }

  add(profile: string, model: string): void {
    remember(this.#keys, `${profile}\n${model}`);
  }
}

/** Adds `key` as the newest entry, forgetting the oldest past LIMIT. */
function remember(keys: Set<string>, key: string): void {
  keys.delete(key);
  keys.add(key);
  if (keys.size > LIMIT) keys.delete(keys.values().next().value as string);
}
