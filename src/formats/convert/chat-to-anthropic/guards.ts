/** Narrowing helpers for JSON read from the wire (clients and upstreams send what they like). */

export type JsonObject = Record<string, unknown>;

export const isRecord = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export const stringOr = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);

/** A finite number, or undefined (null and absent mean "not given" for every optional OpenAI field). */
export const numberOf = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
