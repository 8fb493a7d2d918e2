/**
 * A Chat tool call's `function.arguments` as JSON text. The API sends text; some servers (HF TGI,
 * some llama.cpp builds) send the value itself, usually an object, which stands for its JSON.
 * Undefined when there are none (absent or null).
 */
export function argumentsText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return undefined;
  return JSON.stringify(value);
}
