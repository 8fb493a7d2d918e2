import type { ChatContentPart, ChatImagePart } from '../../openai-chat/types.js';
import { withFields } from '../../with-fields.js';
import { ConversionError } from '../types.js';
import { asArray, asString, isObject, type JsonObject, nonEmpty } from './json.js';

/**
 * Responses content parts → Chat content (case 105). Text-only content becomes one string
 * (several providers reject part arrays); images keep the part array, in order.
 */
export function userContent(content: unknown, fileParts: boolean, warnings: string[]): string | ChatContentPart[] {
  if (typeof content === 'string') return content;
  const parts: ChatContentPart[] = [];
  for (const part of asArray(content) ?? []) {
    if (!isObject(part)) continue;
    const text = partText(part);
    if (text !== undefined) parts.push({ type: 'text', text });
    else if (part.type === 'input_image') pushDefined(parts, imagePart(part, warnings));
    else if (part.type === 'input_file') parts.push(filePart(part, fileParts));
    else warnings.push(`dropped a ${String(part.type)} content part the Chat upstream cannot take`);
  }
  if (parts.every((part) => part.type === 'text')) return parts.map((part) => part.text).join('\n');
  return parts;
}

/** Content for roles that take text only (system, developer, assistant). */
export function textContent(content: unknown, role: string, warnings: string[]): string {
  if (typeof content === 'string') return content;
  const texts: string[] = [];
  for (const part of asArray(content) ?? []) {
    if (!isObject(part)) continue;
    const text = partText(part);
    if (text !== undefined) texts.push(text);
    else warnings.push(`dropped a ${String(part.type)} part from a ${role} message: Chat takes text only there`);
  }
  return texts.join('\n');
}

/**
 * A tool's output (`function_call_output.output`) → tool message text plus any images, which
 * Chat tool messages cannot hold (protocol-notes §2.4) and so travel in a user message.
 */
export function toolOutput(output: unknown, warnings: string[]): { text: string; images: ChatImagePart[] } {
  if (typeof output === 'string') return { text: output, images: [] };
  if (isObject(output)) return { text: asString(output.content) ?? JSON.stringify(output), images: [] };
  const texts: string[] = [];
  const images: ChatImagePart[] = [];
  for (const part of asArray(output) ?? []) {
    if (!isObject(part)) continue;
    const text = partText(part);
    if (text !== undefined) texts.push(text);
    else if (part.type === 'input_image') pushDefined(images, imagePart(part, warnings));
    else warnings.push(`dropped a ${String(part.type)} part from a tool output`);
  }
  const text = texts.join('\n');
  return { text: text.length === 0 && images.length > 0 ? '[image]' : text, images };
}

function partText(part: JsonObject): string | undefined {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
    case 'text':
      return asString(part.text) ?? '';
    case 'refusal':
      return asString(part.refusal) ?? '';
    default:
      return undefined;
  }
}

function imagePart(part: JsonObject, warnings: string[]): ChatImagePart | undefined {
  const url = nonEmpty(part.image_url);
  if (url === undefined) {
    warnings.push('dropped an input_image given by file_id: the Chat upstream cannot resolve OpenAI file ids');
    return undefined;
  }
  const detail = part.detail;
  return detail === 'auto' || detail === 'low' || detail === 'high'
    ? { type: 'image_url', image_url: { url, detail } }
    : { type: 'image_url', image_url: { url } };
}

function filePart(part: JsonObject, fileParts: boolean): ChatContentPart {
  const fileData = nonEmpty(part.file_data);
  if (!fileParts || fileData === undefined) {
    throw new ConversionError(
      fileData === undefined
        ? 'input_file parts given by file_id or URL cannot be sent to this provider; attach the file inline (file_data)'
        : 'this provider does not accept file content parts (input_file); remove the file or use a provider that accepts files',
    );
  }
  const filename = nonEmpty(part.filename);
  return { type: 'file', file: withFields(filename === undefined ? {} : { filename }, { file_data: fileData }) };
}

function pushDefined<T>(list: T[], value: T | undefined): void {
  if (value !== undefined) list.push(value);
}
