// Character-class heuristics: ASCII ≈ 4 chars per token; CJK ≈ 1 token per character; other non-ASCII
// (accented Latin, Cyrillic, …) ≈ 2 chars per token; a surrogate pair (emoji, rare CJK) ≈ 1 token.
// Results are fractional; callers round once at the end.

const ASCII_CHARS_PER_TOKEN = 4;
const OTHER_TOKENS_PER_CHAR = 0.5;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
const NON_ASCII = /[^\x00-\x7f]/;

export function textTokens(text: string): number {
  if (!NON_ASCII.test(text)) return text.length / ASCII_CHARS_PER_TOKEN; // the common case, at native speed
  let ascii = 0;
  let tokens = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) ascii++;
    else if (isCjk(c)) tokens += 1;
    else if (c >= 0xd800 && c <= 0xdbff)
      tokens += 1; // high surrogate; its low half (below) adds nothing
    else if (c < 0xdc00 || c > 0xdfff) tokens += OTHER_TOKENS_PER_CHAR;
  }
  return tokens + ascii / ASCII_CHARS_PER_TOKEN;
}

/** CJK punctuation, kana, Han, Hangul, compatibility ideographs, full-width forms. */
function isCjk(c: number): boolean {
  return (
    (c >= 0x3000 && c <= 0x9fff) ||
    (c >= 0xac00 && c <= 0xd7af) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xff00 && c <= 0xffef)
  );
}

/**
 * A JSON value (tool schema, tool_use input) as the model sees it serialised, without serialising it.
 * Tokenizers merge JSON punctuation into clusters (`":"`, `","`, `":{"`), so syntax costs less than its
 * characters at 4 per token: a key costs its text plus ¾ token, a string its text plus ½, brackets ½.
 */
export function jsonTokens(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return textTokens(value) + 0.5;
    case 'number':
    case 'bigint':
      return String(value).length / ASCII_CHARS_PER_TOKEN + 0.25;
    case 'boolean':
      return 1;
    case 'object': {
      if (value === null) return 1;
      let tokens = 0.5;
      if (Array.isArray(value)) {
        for (const item of value) tokens += jsonTokens(item) + 0.25;
        return tokens;
      }
      for (const key in value) {
        if (Object.hasOwn(value, key))
          tokens += textTokens(key) + 0.75 + jsonTokens((value as Record<string, unknown>)[key]);
      }
      return tokens;
    }
    default:
      return 0; // undefined, functions: not in JSON
  }
}
