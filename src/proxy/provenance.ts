import { createHash } from 'node:crypto';
import { blockSignature, type ThinkingBlock, tagOrigin } from '../formats/anthropic/thinking-provenance.js';
import type { Target } from './target.js';
import { upstreamBase } from './upstream-url.js';

const LIMIT = 50_000;

/**
 * Who signs a target's thinking: the profiles that reach one Anthropic-signing upstream
 * (`anthropicSignatures`, at the same origin: two keys, or an Opus and a Sonnet profile) are one
 * signer, since its signatures hold across its models; any other profile is its own.
 */
export function signerOf(target: Target): string {
  return target.quirks.anthropicSignatures === true ? `anthropic ${upstreamBase(target.baseURL).origin}` : target.label;
}

/**
 * Which signer produced which thinking signature, for the signatures Swixter relayed (real
 * provider signatures; its own tags name their profile by themselves), and which signers answered
 * an Anthropic client at all (with signed thinking or not). In memory, bounded: the oldest entries
 * go first. After a restart, unknown signatures are passed on unchanged.
 */
export class Provenance {
  readonly #origins = new Map<string, string>();
  /** Signers that answered an Anthropic client (their thinking may be in a later request). */
  readonly #producers = new Set<string>();

  static #key(signature: string): string {
    return createHash('sha256').update(signature).digest('base64url').slice(0, 32);
  }

  /** `signer` answered an Anthropic client: its thinking, signed or not, may come back. */
  answered(signer: string): void {
    this.#producers.add(signer);
  }

  record(signature: string, profile: string): void {
    if (!signature || tagOrigin(signature) !== undefined) return;
    const key = Provenance.#key(signature);
    this.#producers.add(profile);
    this.#origins.delete(key);
    this.#origins.set(key, profile);
    if (this.#origins.size > LIMIT) this.#origins.delete(this.#origins.keys().next().value as string);
  }

  /** Whether thinking from a signer other than `profile` may be in a request (else no check is needed). */
  hasOtherThan(profile: string): boolean {
    return this.#producers.size > (this.#producers.has(profile) ? 1 : 0);
  }

  originOf(signature: string): string | undefined {
    return tagOrigin(signature) ?? this.#origins.get(Provenance.#key(signature));
  }

  /**
   * Whether a thinking block may be sent to an Anthropic-format upstream whose signer is `signer`:
   * not a Swixter tag (never valid at Anthropic), not known to come from another signer, and — where
   * the upstream checks signatures (`requiresSignature`: Anthropic) — not unsigned. Providers that
   * sign nothing (Kimi, DeepSeek) get their own unsigned thinking back, as they require.
   */
  keepFor(signer: string, requiresSignature: boolean): (block: ThinkingBlock) => boolean {
    return (block) => {
      const signature = blockSignature(block);
      if (!signature) return !requiresSignature;
      if (tagOrigin(signature) !== undefined) return false;
      const origin = this.#origins.get(Provenance.#key(signature));
      return origin === undefined || origin === signer;
    };
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Signatures in an Anthropic Message body (non-streaming). */
export function messageSignatures(body: unknown): string[] {
  if (!isObject(body) || !Array.isArray(body.content)) return [];
  const out: string[] = [];
  for (const block of body.content) {
    if (!isObject(block)) continue;
    if (block.type === 'thinking' && typeof block.signature === 'string') out.push(block.signature);
    if (block.type === 'redacted_thinking' && typeof block.data === 'string') out.push(block.data);
  }
  return out;
}

/** The signature an Anthropic stream event carries (signature_delta, or a redacted_thinking start). */
export function eventSignature(data: unknown): string | undefined {
  if (!isObject(data)) return undefined;
  if (data.type === 'content_block_delta' && isObject(data.delta) && data.delta.type === 'signature_delta') {
    return typeof data.delta.signature === 'string' ? data.delta.signature : undefined;
  }
  if (
    data.type === 'content_block_start' &&
    isObject(data.content_block) &&
    data.content_block.type === 'redacted_thinking'
  ) {
    return typeof data.content_block.data === 'string' ? data.content_block.data : undefined;
  }
  return undefined;
}
