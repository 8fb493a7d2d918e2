import type {
  AnthropicContentBlock,
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicToolResultBlock,
} from '../../anthropic/types.js';
import type { ChatContentPart, ChatImagePart, ChatMessage } from '../../openai-chat/types.js';
import { ConversionError, type ProviderQuirks } from '../types.js';
import { requireObject, requireString } from './guards.js';
import { toUpstreamToolId } from './tool-ids.js';

export interface MappedUserTurn {
  /** One `role: "tool"` message per tool_result, in order; they go right after the assistant turn. */
  toolMessages: ChatMessage[];
  /** The user's own parts, preceded by images/files that came inside tool results (case 17). */
  parts: ChatContentPart[];
  warnings: string[];
}

/**
 * One Anthropic user turn → tool messages + the user message parts (cases 5–9, 14–19).
 * Tool results always come first, whatever their position in the turn (case 15).
 */
export function mapUserTurn(
  blocks: readonly AnthropicContentBlock[],
  path: string,
  quirks: ProviderQuirks,
): MappedUserTurn {
  const turn: MappedUserTurn = { toolMessages: [], parts: [], warnings: [] };
  const attachments: ChatContentPart[] = [];
  blocks.forEach((block, j) => {
    const where = `${path}.content[${j}]`;
    switch (block.type) {
      case 'text':
        if (requireString(block.text, `${where}.text`) !== '') turn.parts.push({ type: 'text', text: block.text });
        return;
      case 'image':
        turn.parts.push(imagePart(block, where));
        return;
      case 'document':
        turn.parts.push(...documentParts(block, where, quirks));
        return;
      case 'tool_result': {
        const { message, extra } = toolMessage(block, where, quirks, turn.warnings);
        turn.toolMessages.push(message);
        attachments.push(...extra);
        return;
      }
      case 'tool_use':
      case 'thinking':
      case 'redacted_thinking':
        turn.warnings.push(`${where}: ${block.type} block in a user turn dropped`);
        return;
      default: {
        const unknown: never = block;
        turn.warnings.push(`${where}: unsupported block type ${describeBlock(unknown)} dropped`);
      }
    }
  });
  turn.parts.unshift(...attachments);
  return turn;
}

export function imagePart(block: AnthropicImageBlock, where: string): ChatImagePart {
  const source = requireObject(block.source, `${where}.source`);
  const url =
    source.type === 'url'
      ? requireString(source.url, `${where}.source.url`)
      : `data:${requireString(source.media_type, `${where}.source.media_type`)};base64,${requireString(source.data, `${where}.source.data`)}`;
  return { type: 'image_url', image_url: { url } };
}

/** Documents (case 9): text → text part; PDF → file part where accepted, else a 400 naming the block. */
function documentParts(block: AnthropicDocumentBlock, where: string, quirks: ProviderQuirks): ChatContentPart[] {
  const source = requireObject(block.source, `${where}.source`);
  const titled = (text: string): string => (block.title ? `${block.title}\n\n${text}` : text);
  switch (source.type) {
    case 'text':
      return [{ type: 'text', text: titled(requireString(source.data, `${where}.source.data`)) }];
    case 'content': {
      if (typeof source.content === 'string') return [{ type: 'text', text: titled(source.content) }];
      const parts: ChatContentPart[] = [];
      const items: unknown[] = Array.isArray(source.content) ? source.content : [];
      items.forEach((item, k) => {
        const inner = item as AnthropicContentBlock | null;
        if (inner?.type === 'text')
          parts.push({ type: 'text', text: requireString(inner.text, `${where}.source.content[${k}].text`) });
        else if (inner?.type === 'image') parts.push(imagePart(inner, `${where}.source.content[${k}]`));
      });
      return parts;
    }
    case 'base64': {
      requireString(source.data, `${where}.source.data`);
      if (requireString(source.media_type, `${where}.source.media_type`).startsWith('text/')) {
        return [{ type: 'text', text: titled(Buffer.from(source.data, 'base64').toString('utf8')) }];
      }
      if (source.media_type === 'application/pdf' && quirks.fileParts === true) {
        const filename = block.title?.toLowerCase().endsWith('.pdf') ? block.title : 'document.pdf';
        return [{ type: 'file', file: { filename, file_data: `data:application/pdf;base64,${source.data}` } }];
      }
      throw new ConversionError(
        `${where}: document block (${source.media_type}) cannot be sent to this provider: it does not accept file parts`,
      );
    }
    case 'url':
      throw new ConversionError(`${where}: document block by URL cannot be sent to an OpenAI Chat provider`);
    default: {
      const unknown: never = source;
      throw new ConversionError(`${where}: document source ${describeBlock(unknown)} is not supported`);
    }
  }
}

/**
 * tool_result → `{role:"tool"}` (cases 14, 16–19). Chat tool messages hold text only, so images
 * and files move to the user message that follows the tool messages.
 */
function toolMessage(
  block: AnthropicToolResultBlock,
  where: string,
  quirks: ProviderQuirks,
  warnings: string[],
): { message: ChatMessage; extra: ChatContentPart[] } {
  const texts: string[] = [];
  const extra: ChatContentPart[] = [];
  if (typeof block.content === 'string') texts.push(block.content);
  else if (Array.isArray(block.content)) {
    block.content.forEach((inner, k) => {
      const innerWhere = `${where}.content[${k}]`;
      requireObject(inner, innerWhere);
      if (inner.type === 'text') texts.push(requireString(inner.text, `${innerWhere}.text`));
      else if (inner.type === 'image') extra.push(imagePart(inner, innerWhere));
      else if (inner.type === 'document') {
        for (const part of documentParts(inner, innerWhere, quirks)) {
          if (part.type === 'text') texts.push(part.text);
          else extra.push(part);
        }
      } else warnings.push(`${innerWhere}: unsupported block type ${describeBlock(inner)} in a tool result dropped`);
    });
  }
  let text = texts.filter((t) => t !== '').join('\n');
  if (text === '' && extra.length > 0) text = '[image]';
  if (block.is_error === true) text = text === '' ? 'Error' : `Error: ${text}`;
  const id = toUpstreamToolId(requireString(block.tool_use_id, `${where}.tool_use_id`), quirks.shortToolIds === true);
  return { message: { role: 'tool', tool_call_id: id, content: text }, extra };
}

/**
 * A block's type for a warning or an error. Never its values: they may be the client's text,
 * and they may be lifted (formats/json-lift.ts), a marker a warning must not quote.
 */
export function describeBlock(block: unknown): string {
  const type = (block as { type?: unknown } | null)?.type;
  if (typeof type === 'string') return `"${type}"`;
  const kind = (value: unknown) => (value === null ? 'null' : typeof value);
  if (typeof block !== 'object' || block === null) return `(not a block but ${kind(block)})`;
  return `(type is ${kind(type)}; keys: ${Object.keys(block).slice(0, 8).join(', ')})`;
}
