/** A piece of a Chat message's `content`: answer text, or reasoning some servers put there. */
export interface ContentPart {
  kind: 'text' | 'thinking';
  text: string;
}

/**
 * `content` as its parts. Usually a string; some servers send an array: text parts
 * (`{type:"text",text}`), and Mistral's reasoning models their thinking as
 * `{type:"thinking",thinking:[{type:"text",text}]}` (or a string). Other parts are not text.
 */
export function contentParts(content: unknown): ContentPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ kind: 'text', text: content }];
  if (!Array.isArray(content)) return [];
  const out: ContentPart[] = [];
  for (const part of content as Array<{ type?: unknown; text?: unknown; thinking?: unknown }>) {
    if (part?.type === 'text' && typeof part.text === 'string' && part.text !== '')
      out.push({ kind: 'text', text: part.text });
    else if (part?.type === 'thinking') {
      const text = typeof part.thinking === 'string' ? part.thinking : joinedText(part.thinking);
      if (text !== '') out.push({ kind: 'thinking', text });
    }
  }
  return out;
}

function joinedText(parts: unknown): string {
  if (!Array.isArray(parts)) return '';
  let text = '';
  for (const part of parts as Array<{ type?: unknown; text?: unknown }>)
    if (part?.type === 'text' && typeof part.text === 'string') text += part.text;
  return text;
}
