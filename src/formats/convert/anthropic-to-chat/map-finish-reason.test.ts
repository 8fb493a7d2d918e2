import { describe, expect, it } from 'vitest';
import { mapFinishReason, matchedStopSequence } from './map-finish-reason.js';

describe('mapFinishReason', () => {
  it.each([
    ['stop', false, 'end_turn'],
    ['length', false, 'max_tokens'],
    ['length', true, 'max_tokens'], // case 85: length mid tool call
    ['tool_calls', false, 'tool_use'],
    ['function_call', false, 'tool_use'],
    ['content_filter', false, 'refusal'],
    ['stop', true, 'tool_use'], // case 86: Ollama says "stop" after a tool call
    [null, false, 'end_turn'], // case 77: [DONE] came without a finish chunk
    [null, true, 'tool_use'],
    ['eos', false, 'end_turn'], // vendor extra
  ] as const)('case 50: mapFinishReason(%s, tool seen: %s) → %s', (reason, sawToolCall, expected) => {
    expect(mapFinishReason(reason, { sawToolCall })).toBe(expected);
  });

  it('case 52: a refusal without a finish reason of its own is a refusal', () => {
    expect(mapFinishReason('stop', { sawToolCall: false, sawRefusal: true })).toBe('refusal');
  });

  it.each([
    ['stop', '\n\nHuman:', '\n\nHuman:'],
    ['stop', null, null],
    ['stop', 151643, null],
    ['length', 'END', null],
  ] as const)('case 51: matchedStopSequence(%s, %j) → %j', (reason, stopReason, expected) => {
    expect(matchedStopSequence(reason, stopReason)).toBe(expected);
  });
});
