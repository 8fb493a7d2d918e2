import { describe, expect, it } from 'vitest';
import { anthropicToChat } from '../convert/anthropic-to-chat/index.js';
import { responsesToChat } from '../convert/responses-to-chat/index.js';
import type { ConvertOptions } from '../convert/types.js';
import { IMAGE_OMITTED } from './text-only.js';

// DeepSeek's chat API takes no images: with `imageParts: false` (the deepseek preset) every image
// becomes a note, so one screenshot in the history does not make every later request a 400.

const DEEPSEEK: ConvertOptions = {
  upstreamModel: 'deepseek-chat',
  quirks: { reasoning: 'deepseek', imageParts: false },
  now: 1,
};
const PNG = { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } as const;

describe('imageParts: false', () => {
  it('Claude Code: a pasted image and an image a tool returned become notes, with a warning', () => {
    const out = anthropicToChat.request(
      {
        model: 'claude-x',
        max_tokens: 100,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'look' },
              { type: 'image', source: PNG },
            ],
          },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: { path: 'a.png' } }] },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'image', source: PNG }] }],
          },
        ],
      },
      DEEPSEEK,
    );
    const sent = JSON.stringify(out.body);
    expect(sent).not.toContain('image_url');
    expect((out.body as any).messages[0].content).toEqual([
      { type: 'text', text: 'look' },
      { type: 'text', text: IMAGE_OMITTED },
    ]);
    expect(sent.split(IMAGE_OMITTED)).toHaveLength(3);
    expect(out.warnings).toContain(
      '2 image(s) replaced by a note: this provider takes no images (quirk imageParts: false)',
    );
  });

  it('Codex: an input_image becomes a note', () => {
    const out = responsesToChat.request(
      {
        model: 'gpt-5',
        input: [
          {
            role: 'user',
            content: [
              { type: 'input_text', text: 'what is this' },
              { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=' },
            ],
          },
        ],
      },
      DEEPSEEK,
    );
    expect(JSON.stringify(out.body)).not.toContain('image_url');
    expect(JSON.stringify(out.body)).toContain(IMAGE_OMITTED);
  });

  it('without the quirk images pass', () => {
    const out = anthropicToChat.request(
      { model: 'c', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'image', source: PNG }] }] },
      { ...DEEPSEEK, quirks: { reasoning: 'deepseek' } },
    );
    expect(JSON.stringify(out.body)).toContain('image_url');
  });
});
