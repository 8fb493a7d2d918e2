import { createHash } from 'node:crypto';
import type { ConversionContext } from '../types.js';

/** OpenAI function names: `[a-zA-Z0-9_-]{1,64}` (protocol-notes §2.4). */
const CHAT_FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_LENGTH = 64;
const HASH_LENGTH = 8;

/**
 * The name a tool gets upstream. Valid names pass unchanged; longer names (Claude Code's
 * `mcp__server__tool`) or names with characters OpenAI rejects become a deterministic
 * `<prefix>_<hash8>` (case 25), so the same tool gets the same name in `tools`, in history and in
 * `tool_choice`. The response side restores the original through `context.toolNames`.
 */
export function upstreamToolName(name: string): string {
  if (CHAT_FUNCTION_NAME.test(name)) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, HASH_LENGTH);
  const prefix = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, MAX_LENGTH - HASH_LENGTH - 1);
  return `${prefix}_${hash}`;
}

/**
 * The client's name for a tool the upstream called: the original when the request renamed it,
 * else the name as it came. Own keys only: the upstream may call a tool `constructor`.
 */
export function clientToolName(context: ConversionContext, upstreamName: string): string {
  return Object.hasOwn(context.toolNames, upstreamName) ? context.toolNames[upstreamName]!.name : upstreamName;
}
