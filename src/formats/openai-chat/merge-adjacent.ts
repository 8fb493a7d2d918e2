import type { ChatContentPart, ChatMessage, ChatTextPart } from './types.js';

/**
 * Adjacent user messages, and adjacent assistant messages, merged into one (protocol-notes case
 * 20): strict chat templates (Mistral, vLLM's, Devstral's) require the roles to alternate after
 * the system prompt and answer 400 otherwise. Tool messages stay as they are: each answers one call.
 */
export function mergeAdjacent(messages: ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const message of messages) {
    const last = out.at(-1);
    if (last?.role === 'user' && message.role === 'user') {
      out[out.length - 1] = { role: 'user', content: joinContent(last.content, message.content) };
    } else if (last?.role === 'assistant' && message.role === 'assistant') {
      const merged = { ...last, content: joinText(last.content, message.content) };
      const calls = [...(last.tool_calls ?? []), ...(message.tool_calls ?? [])];
      if (calls.length > 0) merged.tool_calls = calls;
      const reasoning = joinText(last.reasoning_content ?? null, message.reasoning_content ?? null);
      if (reasoning !== null) merged.reasoning_content = reasoning;
      const details = [...(last.reasoning_details ?? []), ...(message.reasoning_details ?? [])];
      if (details.length > 0) merged.reasoning_details = details;
      out[out.length - 1] = merged;
    } else out.push(message);
  }
  return out;
}

/**
 * Every system (and developer) message joined into one leading system message, in order: a
 * system message after the first turn is refused by the same strict templates ("Unexpected role
 * 'system' after role 'assistant'"), and the Anthropic side has one system prompt too.
 */
export function leadingSystem(messages: ChatMessage[], separator = '\n'): ChatMessage[] {
  const texts: string[] = [];
  const rest: ChatMessage[] = [];
  for (const message of messages) {
    if (message.role === 'system' || message.role === 'developer') {
      const text = typeof message.content === 'string' ? message.content : partsText(message.content);
      if (text !== '') texts.push(text);
    } else rest.push(message);
  }
  return texts.length > 0 ? [{ role: 'system', content: texts.join(separator) }, ...rest] : rest;
}

type UserContent = string | ChatContentPart[];

function joinContent(a: UserContent, b: UserContent): UserContent {
  if (typeof a === 'string' && typeof b === 'string') return `${a}\n${b}`;
  const parts = (c: UserContent): ChatContentPart[] => (typeof c === 'string' ? [{ type: 'text', text: c }] : c);
  return [...parts(a), ...parts(b)];
}

function joinText(a: string | unknown[] | null, b: string | unknown[] | null): string | null {
  const texts = [a, b].filter((t): t is string => typeof t === 'string' && t !== '');
  return texts.length > 0 ? texts.join('\n') : null;
}

const partsText = (parts: ChatTextPart[]): string => parts.map((p) => p.text).join('\n');
