import type {
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicTextBlock,
  CacheControl,
} from '../../anthropic/types.js';
import { withFields } from '../../with-fields.js';
import { ConversionError } from '../types.js';
import { isRecord } from './guards.js';

export type UserContentBlock = AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock;

/**
 * Text content (`string` or text parts) → Anthropic text blocks. Empty and whitespace-only text is
 * dropped: Anthropic rejects empty text blocks ("text content blocks must be non-empty").
 * `refusal` parts (assistant history) are kept as text.
 */
export function textBlocks(content: unknown, where: string): AnthropicTextBlock[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return isBlank(content) ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw new ConversionError(`${where}.content must be a string or an array of parts`);
  const blocks: AnthropicTextBlock[] = [];
  content.forEach((part: unknown, i) => {
    const text = textOfPart(part, `${where}.content[${i}]`);
    if (!isBlank(text)) blocks.push(withCacheControl({ type: 'text', text }, part));
  });
  return blocks;
}

/** User content: text, `image_url` (data URL or http(s) URL) and `file` (inline PDF or text) parts, in order. */
export function userBlocks(content: unknown, where: string): UserContentBlock[] {
  if (!Array.isArray(content)) return textBlocks(content, where);
  const blocks: UserContentBlock[] = [];
  content.forEach((part: unknown, i) => {
    const block = userPart(part, `${where}.content[${i}]`);
    if (block) blocks.push(block);
  });
  return blocks;
}

function userPart(part: unknown, where: string): UserContentBlock | undefined {
  if (!isRecord(part)) throw new ConversionError(`${where} must be an object with a type`);
  switch (part.type) {
    case 'text': {
      const text = textOfPart(part, where);
      return isBlank(text) ? undefined : withCacheControl({ type: 'text', text }, part);
    }
    case 'image_url': {
      const url = isRecord(part.image_url) ? part.image_url.url : part.image_url;
      if (typeof url !== 'string') throw new ConversionError(`${where}: image_url.url must be a string`);
      return withCacheControl(imageBlock(url, where), part);
    }
    case 'file':
      return withCacheControl(fileBlock(part.file, where), part);
    case 'input_audio':
      throw new ConversionError(`${where}: audio input is not supported by Anthropic upstreams`);
    default:
      throw new ConversionError(`${where}: content part type ${JSON.stringify(part.type)} is not supported`);
  }
}

function textOfPart(part: unknown, where: string): string {
  if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') return part.text;
  if (isRecord(part) && part.type === 'refusal' && typeof part.refusal === 'string') return part.refusal;
  throw new ConversionError(`${where} must be a text part ({type:"text",text})`);
}

/** `data:image/png;base64,D` → base64 image; a PDF data URL → document; http(s) → URL image (case 135). */
function imageBlock(url: string, where: string): AnthropicImageBlock | AnthropicDocumentBlock {
  const data = parseDataUrl(url);
  if (data) {
    if (!data.base64) throw new ConversionError(`${where}: image data URLs must be base64-encoded`);
    if (data.mediaType === 'application/pdf') return pdfBlock(data.data);
    return {
      type: 'image',
      source: { type: 'base64', media_type: imageMediaType(data.mediaType, data.data), data: data.data },
    };
  }
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  throw new ConversionError(`${where}: image_url.url must be a data: URL or an http(s) URL`);
}

/** An inline `file` part: PDF → document (base64), text/plain → document (text), image → image block. */
function fileBlock(file: unknown, where: string): UserContentBlock {
  if (!isRecord(file)) throw new ConversionError(`${where}: file part needs a file object`);
  const fileData = file.file_data;
  if (typeof fileData !== 'string') {
    const ref = typeof file.file_id === 'string' ? ` (file_id ${file.file_id})` : '';
    throw new ConversionError(
      `${where}: uploaded OpenAI files${ref} cannot be sent to an Anthropic upstream; send the file inline as file_data`,
    );
  }
  const data = parseDataUrl(fileData);
  if (!data) {
    // Some clients send bare base64 and name the file; only a PDF is unambiguous then.
    const filename = typeof file.filename === 'string' ? file.filename : '';
    if (filename.toLowerCase().endsWith('.pdf')) return pdfBlock(fileData);
    throw new ConversionError(`${where}: file_data must be a data: URL (data:application/pdf;base64,…)`);
  }
  if (!data.base64) throw new ConversionError(`${where}: file_data must be base64-encoded`);
  if (data.mediaType === 'application/pdf') return pdfBlock(data.data);
  if (data.mediaType === 'text/plain') {
    const text = Buffer.from(data.data, 'base64').toString('utf8');
    return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: text } };
  }
  if (data.mediaType.startsWith('image/')) {
    return { type: 'image', source: { type: 'base64', media_type: data.mediaType, data: data.data } };
  }
  throw new ConversionError(
    `${where}: files of type ${data.mediaType || 'unknown'} are not supported by Anthropic upstreams (PDF, plain text and images are)`,
  );
}

/**
 * Clients written for Claude behind OpenAI-compatible gateways (OpenRouter convention) mark prompt-cache
 * breakpoints with `cache_control` on content parts; Anthropic understands exactly that, so it is kept.
 */
function withCacheControl<B extends UserContentBlock>(block: B, part: unknown): B {
  const mark = isRecord(part) ? part.cache_control : undefined;
  if (!isRecord(mark) || mark.type !== 'ephemeral') return block;
  const cache_control: CacheControl =
    typeof mark.ttl === 'string' ? { type: 'ephemeral', ttl: mark.ttl } : { type: 'ephemeral' };
  return withFields(block, { cache_control });
}

const pdfBlock = (data: string): AnthropicDocumentBlock => ({
  type: 'document',
  source: { type: 'base64', media_type: 'application/pdf', data },
});

export interface DataUrl {
  mediaType: string;
  base64: boolean;
  data: string;
}

/** `data:<media type>[;param]*[;base64],<data>` → its parts; anything else → undefined. No regex over the payload. */
export function parseDataUrl(url: string): DataUrl | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  if (comma < 0) return undefined;
  const [mediaType = '', ...params] = url.slice(5, comma).split(';');
  return {
    mediaType: mediaType.trim().toLowerCase(),
    base64: params.some((p) => p.trim().toLowerCase() === 'base64'),
    data: url.slice(comma + 1),
  };
}

const isBlank = (text: string): boolean => text.trim().length === 0;

/**
 * The media type Anthropic is to be told for a base64 image: what its first bytes say it is (PNG,
 * JPEG, GIF, WebP), since Anthropic refuses an image whose bytes do not match its label ("Image
 * does not match the provided media type") where OpenAI does not look; else the label, with the
 * common `image/jpg` spelt as Anthropic takes it.
 */
export function imageMediaType(declared: string, base64: string): string {
  const head = Buffer.from(base64.slice(0, 16), 'base64');
  if (head[0] === 0x89 && head.toString('latin1', 1, 4) === 'PNG') return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.toString('latin1', 0, 4) === 'GIF8') return 'image/gif';
  if (head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  const type = declared.toLowerCase();
  return type === 'image/jpg' ? 'image/jpeg' : type;
}
