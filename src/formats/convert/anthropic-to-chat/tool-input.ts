import { argumentsText } from '../../openai-chat/tool-arguments.js';

type Json = Record<string, unknown>;

export interface ToolInput {
  /** Always an object: a string input poisons Claude Code's history (anthropics/claude-code#6749). */
  input: Json;
  /** Set when the arguments were not a JSON object as sent. */
  fix?: 'repaired' | 'wrapped';
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Chat `function.arguments` (a JSON text) → Anthropic `tool_use.input` (an object), cases 46–47.
 * Empty → `{}`. Invalid JSON is repaired when trivially possible (code fences, a truncated tail:
 * unclosed string/brackets, a trailing comma); anything else, and non-object JSON, is wrapped as
 * `{ raw_arguments: "<text>" }`. Arguments sent as an object rather than its JSON text (HF TGI,
 * some llama.cpp builds) are that object; any other non-text value is wrapped as its JSON. Never throws.
 */
export function parseToolInput(value: unknown): ToolInput {
  if (isObject(value)) return { input: value };
  const args = argumentsText(value) ?? '';
  const text = args.trim();
  if (text === '') return { input: {} };
  const direct = tryParse(text);
  if (isObject(direct)) return { input: direct };
  if (direct === undefined) {
    const repaired = tryParse(closeTruncated(stripFences(text)));
    if (isObject(repaired)) return { input: repaired, fix: 'repaired' };
  }
  return { input: { raw_arguments: args }, fix: 'wrapped' };
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function stripFences(text: string): string {
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*(?:```)?$/.exec(text);
  return fenced?.[1] ?? text;
}

/** Closes an unterminated string and open brackets and drops a dangling comma: `{"a":[1,` → `{"a":[1]}`. */
function closeTruncated(text: string): string {
  const closers: string[] = [];
  let inString = false;
  let escaped = false;
  for (const ch of text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') closers.push('}');
    else if (ch === '[') closers.push(']');
    else if (ch === '}' || ch === ']') closers.pop();
  }
  let out = text;
  if (inString) out += escaped ? '\\"' : '"';
  out = out.replace(/,\s*$/, '');
  return out.replace(/,\s*([}\]])/g, '$1') + closers.reverse().join('');
}
