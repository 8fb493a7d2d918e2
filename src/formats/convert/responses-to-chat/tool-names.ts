import { createHash } from 'node:crypto';
import type { ConversionContext, ToolNameMapping } from '../types.js';

/** Chat function names must match ^[a-zA-Z0-9_-]{1,64}$ (protocol-notes §2.4). */
const MAX_NAME = 64;
const HASH_LENGTH = 8;

const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, HASH_LENGTH);

/**
 * The Chat name for a Responses tool: namespace tools are flattened as `<namespace>__<name>`;
 * characters Chat rejects become `_`; names over 64 characters keep a prefix plus a hash of the
 * original, so two long names never collapse into one.
 */
export function flatToolName(name: string, namespace?: string): string {
  const joined = namespace === undefined ? name : `${namespace}__${name}`;
  const clean = joined.replace(/[^a-zA-Z0-9_-]/g, '_');
  if (clean.length > 0 && clean.length <= MAX_NAME) return clean;
  return withHash(clean, joined);
}

function withHash(clean: string, original: string): string {
  return `${clean.slice(0, MAX_NAME - HASH_LENGTH - 1)}_${shortHash(original)}`;
}

const key = (name: string, namespace: string | undefined) => `${namespace ?? ''}\u0000${name}`;

/**
 * The tool names of one request: client (namespace, name) ↔ upstream name. Renamed, namespaced
 * and custom tools are recorded in `toolNames` (the ConversionContext map the response side reads);
 * plain function tools whose name passes unchanged need no entry.
 */
export class ToolNameTable {
  readonly toolNames: Record<string, ToolNameMapping> = {};
  readonly #upstreamByClient = new Map<string, string>();
  readonly #namespacedByInnerName = new Map<string, string[]>();
  readonly #used = new Set<string>();
  #sealed = false;

  /** No tool is added from now on (the table is shared by every request that sends the same tools). */
  seal(): void {
    this.#sealed = true;
    Object.freeze(this.toolNames);
  }

  /** Registers a tool the upstream will see; returns its upstream name. */
  add(name: string, kind: 'function' | 'custom', namespace?: string): string {
    if (this.#sealed) throw new Error('tool name table is sealed: it is shared by requests (PreparedTools)');
    const existing = this.#upstreamByClient.get(key(name, namespace));
    if (existing !== undefined) return existing;
    let upstream = flatToolName(name, namespace);
    // `__proto__` would hit the prototype setter of the plain `toolNames` object.
    if (this.#used.has(upstream) || upstream === '__proto__') upstream = withHash(upstream, key(name, namespace));
    this.#used.add(upstream);
    this.#upstreamByClient.set(key(name, namespace), upstream);
    if (namespace !== undefined) {
      this.#namespacedByInnerName.set(name, [...(this.#namespacedByInnerName.get(name) ?? []), upstream]);
    }
    if (upstream !== name || kind === 'custom' || namespace !== undefined) {
      this.toolNames[upstream] = { name, kind, ...(namespace === undefined ? {} : { namespace }) };
    }
    return upstream;
  }

  /** True when the upstream will be offered a tool with this (client) name. */
  has(name: string, namespace?: string): boolean {
    return this.#upstreamByClient.has(key(name, namespace));
  }

  /**
   * The upstream name for a tool named in the conversation history. A call that comes back
   * without its namespace is matched to the one namespaced tool with that inner name, if unique.
   */
  upstreamName(name: string, namespace?: string): string {
    const known = this.#upstreamByClient.get(key(name, namespace));
    if (known !== undefined) return known;
    if (namespace === undefined) {
      const candidates = this.#namespacedByInnerName.get(name);
      if (candidates?.length === 1 && candidates[0] !== undefined) return candidates[0];
    }
    return flatToolName(name, namespace);
  }
}

/** How the client knows a tool the upstream called by `upstreamName`. */
export function clientTool(
  context: ConversionContext,
  upstreamName: string,
): Required<Pick<ToolNameMapping, 'name' | 'kind'>> & {
  namespace?: string;
} {
  const mapping = Object.hasOwn(context.toolNames, upstreamName) ? context.toolNames[upstreamName] : undefined;
  if (mapping === undefined) return { name: upstreamName, kind: 'function' };
  return {
    name: mapping.name,
    kind: mapping.kind ?? 'function',
    ...(mapping.namespace === undefined ? {} : { namespace: mapping.namespace }),
  };
}
