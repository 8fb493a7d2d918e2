import { describe, expect, it } from 'vitest';
import { ConversionError } from '../types.js';
import { imageMediaType, parseDataUrl, textBlocks, userBlocks } from './map-content.js';

describe('userBlocks', () => {
  it('case 135: image_url data URL → base64 image block, http URL → url image, order kept', () => {
    expect(
      userBlocks(
        [
          { type: 'text', text: 'compare' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
        ],
        'messages[0]',
      ),
    ).toEqual([
      { type: 'text', text: 'compare' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('case 135: PDF data URL in a file part (or an image_url) → document block', () => {
    const pdf = { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0x' } };
    expect(
      userBlocks(
        [
          { type: 'file', file: { filename: 'spec.pdf', file_data: 'data:application/pdf;base64,JVBERi0x' } },
          { type: 'image_url', image_url: { url: 'data:application/pdf;base64,JVBERi0x' } },
          { type: 'file', file: { filename: 'bare.pdf', file_data: 'JVBERi0x' } },
        ],
        'messages[0]',
      ),
    ).toEqual([pdf, pdf, pdf]);
  });

  it('plain-text file → text document (decoded)', () => {
    const data = Buffer.from('hello ünïcode').toString('base64');
    expect(userBlocks([{ type: 'file', file: { file_data: `data:text/plain;base64,${data}` } }], 'm')).toEqual([
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'hello ünïcode' } },
    ]);
  });

  it('a string is one text block; empty and whitespace-only text is dropped', () => {
    expect(userBlocks('hi', 'm')).toEqual([{ type: 'text', text: 'hi' }]);
    expect(userBlocks('  ', 'm')).toEqual([]);
    expect(
      userBlocks(
        [
          { type: 'text', text: '' },
          { type: 'text', text: 'b' },
        ],
        'm',
      ),
    ).toEqual([{ type: 'text', text: 'b' }]);
  });

  it.each([
    [[{ type: 'file', file: { file_id: 'file-abc' } }], /file_id file-abc.*inline/],
    [[{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }], /audio input is not supported/],
    [[{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }], /data: URL or an http\(s\) URL/],
    [[{ type: 'file', file: { file_data: 'data:application/zip;base64,UEs=' } }], /application\/zip are not supported/],
    [[{ type: 'video', video: {} }], /content part type "video" is not supported/],
    [42, /must be a string or an array/],
  ])('rejects what Anthropic cannot take, naming it: %j', (content, message) => {
    expect(() => userBlocks(content, 'messages[3]')).toThrow(ConversionError);
    expect(() => userBlocks(content, 'messages[3]')).toThrow(message);
  });
});

describe('cache_control on parts (OpenRouter convention for Claude)', () => {
  it('is kept on text, image and file parts; anything but ephemeral is ignored', () => {
    expect(
      userBlocks(
        [
          { type: 'text', text: 'big context', cache_control: { type: 'ephemeral' } },
          { type: 'image_url', image_url: { url: 'https://x/i.png' }, cache_control: { type: 'ephemeral', ttl: '1h' } },
          { type: 'text', text: 'q', cache_control: { type: 'persistent' } },
        ],
        'm',
      ),
    ).toEqual([
      { type: 'text', text: 'big context', cache_control: { type: 'ephemeral' } },
      {
        type: 'image',
        source: { type: 'url', url: 'https://x/i.png' },
        cache_control: { type: 'ephemeral', ttl: '1h' },
      },
      { type: 'text', text: 'q' },
    ]);
    expect(textBlocks([{ type: 'text', text: 'sys', cache_control: { type: 'ephemeral' } }], 's')).toEqual([
      { type: 'text', text: 'sys', cache_control: { type: 'ephemeral' } },
    ]);
  });
});

describe('textBlocks', () => {
  it('keeps text parts and refusal parts in order', () => {
    expect(
      textBlocks(
        [
          { type: 'text', text: 'a' },
          { type: 'refusal', refusal: 'no' },
        ],
        'm',
      ),
    ).toEqual([
      { type: 'text', text: 'a' },
      { type: 'text', text: 'no' },
    ]);
    expect(textBlocks(null, 'm')).toEqual([]);
  });

  it('rejects non-text parts where only text is allowed (system, tool)', () => {
    expect(() => textBlocks([{ type: 'image_url', image_url: { url: 'https://x' } }], 'messages[0]')).toThrow(
      'messages[0].content[0] must be a text part',
    );
  });
});

describe('parseDataUrl', () => {
  it.each([
    ['data:image/png;base64,AAA', { mediaType: 'image/png', base64: true, data: 'AAA' }],
    ['data:IMAGE/JPEG;charset=x;base64,B,C', { mediaType: 'image/jpeg', base64: true, data: 'B,C' }],
    ['data:text/plain,hi', { mediaType: 'text/plain', base64: false, data: 'hi' }],
    ['https://x/y.png', undefined],
    ['data:nocomma', undefined],
  ])('%s', (url, expected) => {
    expect(parseDataUrl(url)).toEqual(expected);
  });
});

describe('imageMediaType: what Anthropic is told an image is', () => {
  const b64 = (bytes: number[] | string) =>
    Buffer.from(typeof bytes === 'string' ? bytes : Buffer.from(bytes)).toString('base64');
  it.each([
    ['image/jpeg', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 'image/png'],
    ['image/png', [0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46], 'image/jpeg'],
    ['image/png', 'GIF89a..........', 'image/gif'],
    ['image/png', 'RIFF\x10\x00\x00\x00WEBPVP8 ', 'image/webp'],
  ])('a %s label on other bytes → what the bytes are', (declared, bytes, expected) => {
    expect(imageMediaType(declared, b64(bytes))).toBe(expected);
  });

  it('unknown bytes keep their label; image/jpg is spelt image/jpeg', () => {
    expect(imageMediaType('image/jpg', b64('not an image at all'))).toBe('image/jpeg');
    expect(imageMediaType('IMAGE/PNG', b64('not an image at all'))).toBe('image/png');
  });

  it('a data URL labelled image/jpg reaches Anthropic as image/jpeg', () => {
    const data = b64([0xff, 0xd8, 0xff, 0xdb, 1, 2, 3]);
    const blocks = userBlocks(
      [{ type: 'image_url', image_url: { url: `data:image/jpg;base64,${data}` } }],
      'messages[0]',
    );
    expect(blocks).toEqual([{ type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data } }]);
  });
});
