import { describe, expect, it } from 'vitest';
import type { AnthropicStreamEvent, AnthropicUsage } from '../../anthropic/types.js';
import { encodeFrame } from '../../sse/encode.js';
import type { SseFrame } from '../../sse/types.js';
import {
  blockStopFrame,
  frame,
  inputJsonDeltaFrame,
  messageDeltaFrame,
  messageStartFrame,
  messageStopFrame,
  RAW_TEXT_DELTA_TAIL,
  rawTextDeltaHead,
  signatureDeltaFrame,
  textDeltaFrame,
  textStartFrame,
  thinkingDeltaFrame,
  thinkingStartFrame,
  toolUseStartFrame,
} from './stream-frames.js';

// Each template must give exactly the bytes JSON.stringify gives for the object it stands for.
const same = (built: SseFrame, event: AnthropicStreamEvent) =>
  expect(encodeFrame(built)).toBe(encodeFrame(frame(event)));

const strings = [
  '',
  'plain',
  'quote " and \\ backslash',
  'line\nbreak\ttab',
  'é ✓ 🌍',
  '\ud800 lone',
  '\u0000\u001f',
  '</script>',
];
const usage: AnthropicUsage = {
  input_tokens: 1200,
  output_tokens: 0,
  cache_creation_input_tokens: 3,
  cache_read_input_tokens: 1024,
};

describe('Anthropic stream frames built from templates', () => {
  it.each(strings)('message_start, tool_use start and the deltas escape %j as JSON.stringify does', (s) => {
    same(messageStartFrame(`msg_${s}`, s, usage), {
      type: 'message_start',
      message: {
        id: `msg_${s}`,
        type: 'message',
        role: 'assistant',
        model: s,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage,
      },
    });
    same(toolUseStartFrame(2, `toolu_${s}`, s), {
      type: 'content_block_start',
      index: 2,
      content_block: { type: 'tool_use', id: `toolu_${s}`, name: s, input: {} },
    });
    same(textDeltaFrame(0, JSON.stringify(s)), {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: s },
    });
    same(thinkingDeltaFrame(1, s), {
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'thinking_delta', thinking: s },
    });
    same(inputJsonDeltaFrame(3, s), {
      type: 'content_block_delta',
      index: 3,
      delta: { type: 'input_json_delta', partial_json: s },
    });
  });

  it('block starts and stops, at any index', () => {
    for (const index of [0, 1, 17, 1234]) {
      same(textStartFrame(index), { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      same(thinkingStartFrame(index), {
        type: 'content_block_start',
        index,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      });
      same(blockStopFrame(index), { type: 'content_block_stop', index });
    }
  });

  it('message_delta with and without a stop reason and sequence, and message_stop', () => {
    const counts = { ...usage, output_tokens: 77, input_tokens: 1.5e21 };
    same(messageDeltaFrame('end_turn', null, counts), {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: counts,
    });
    same(messageDeltaFrame('stop_sequence', '\n\nHuman: "', usage), {
      type: 'message_delta',
      delta: { stop_reason: 'stop_sequence', stop_sequence: '\n\nHuman: "' },
      usage,
    });
    same(messageDeltaFrame(null, null, usage), {
      type: 'message_delta',
      delta: { stop_reason: null, stop_sequence: null },
      usage,
    });
    same(messageStopFrame(), { type: 'message_stop' });
  });

  it('a signature_delta stays an object, where the proxy reads signatures from', () => {
    expect(signatureDeltaFrame(0, 'sig').data).toEqual({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'signature_delta', signature: 'sig' },
    });
  });

  it('the raw head and tail around a literal give the text delta frame', () => {
    const literal = JSON.stringify('a "b"');
    for (const index of [0, 3, 4, 11]) {
      const raw = Buffer.concat([rawTextDeltaHead(index), Buffer.from(literal), RAW_TEXT_DELTA_TAIL]).toString();
      expect(raw).toBe(encodeFrame(textDeltaFrame(index, literal)));
    }
  });
});
