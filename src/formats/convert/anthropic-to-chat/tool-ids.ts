/**
 * Tool-call ids cross the proxy in both directions. Anthropic only accepts `^[a-zA-Z0-9_-]+$`
 * (protocol-notes §1.6), while OpenAI-compatible providers mint ids such as `functions.add:0`
 * (Kimi on Groq) and expect to see them again verbatim in the follow-up request (case 40).
 *
 * The mapping is reversible and stateless: an id Anthropic would reject becomes
 * `toolu_swx_<base64url(id)>` on the way down, and any id carrying that prefix is decoded back on
 * the way up. Valid ids pass through untouched in both directions.
 */

import { shortToolIdFor } from '../../openai-chat/short-tool-ids.js';

const ANTHROPIC_TOOL_ID = /^[a-zA-Z0-9_-]+$/;
export const ENCODED_TOOL_ID_PREFIX = 'toolu_swx_';

/** Upstream (Chat) tool-call id → the id shown to the Anthropic client. */
export function toClientToolId(upstreamId: string): string {
  // A valid id that already starts with our prefix is encoded as well, so decoding stays unambiguous.
  if (ANTHROPIC_TOOL_ID.test(upstreamId) && !upstreamId.startsWith(ENCODED_TOOL_ID_PREFIX)) return upstreamId;
  return ENCODED_TOOL_ID_PREFIX + Buffer.from(upstreamId, 'utf8').toString('base64url');
}

/**
 * Client (Anthropic) tool id from history → the id the upstream provider originally minted.
 * `shortIds` (Mistral, which takes only 9 letters or digits): an id another provider minted
 * (`toolu_…`, after a failover or a profile switch) becomes 9 characters derived from it, the same
 * in the call and in its result.
 */
export function toUpstreamToolId(clientId: string, shortIds = false): string {
  const id = decodeClientId(clientId);
  return shortIds ? shortToolIdFor(id) : id;
}

function decodeClientId(clientId: string): string {
  if (!clientId.startsWith(ENCODED_TOOL_ID_PREFIX)) return clientId;
  const encoded = clientId.slice(ENCODED_TOOL_ID_PREFIX.length);
  const decoded = Buffer.from(encoded, 'base64url').toString('utf8');
  // Only a faithful round trip counts; anything else was not minted by toClientToolId.
  return decoded.length > 0 && Buffer.from(decoded, 'utf8').toString('base64url') === encoded ? decoded : clientId;
}
