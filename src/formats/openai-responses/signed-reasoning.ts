import type { SignedThinking } from '../openai-chat/signed-thinking.js';

// Signed thinking carried through a Responses client (Codex) as a reasoning item's opaque
// `encrypted_content`, which the client sends back unchanged (it asks for it with `include:
// ["reasoning.encrypted_content"]` and `store: false`). `owner` names the profile that produced
// it: a signature is sent back only to the profile it came from.

const PREFIX = 'swx1.';

/** One reasoning item's thinking blocks (in order), and the profile that signed them. */
export interface OwnedThinking {
  blocks: SignedThinking[];
  owner: string;
}

export const encodeSignedReasoning = (r: OwnedThinking): string =>
  PREFIX +
  Buffer.from(JSON.stringify({ o: r.owner, b: r.blocks.map((b) => [b.text, b.signature]) })).toString('base64url');

/** The thinking in an `encrypted_content` Swixter wrote; undefined for anything else (OpenAI's own). */
export function decodeSignedReasoning(content: unknown): OwnedThinking | undefined {
  if (typeof content !== 'string' || !content.startsWith(PREFIX)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(content.slice(PREFIX.length), 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { o, b } = value as Record<string, unknown>;
    if (typeof o !== 'string' || !Array.isArray(b) || b.length === 0) return undefined;
    const blocks: SignedThinking[] = [];
    for (const entry of b) {
      if (!Array.isArray(entry)) return undefined;
      const [text, signature] = entry as unknown[];
      if (typeof text !== 'string' || typeof signature !== 'string' || text === '' || signature === '')
        return undefined;
      blocks.push({ text, signature });
    }
    return { blocks, owner: o };
  } catch {
    return undefined;
  }
}
