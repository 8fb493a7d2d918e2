import { expect, it } from 'vitest';
import { mapStopReason } from './map-stop-reason.js';

it.each([
  ['end_turn', false, 'stop'],
  ['stop_sequence', false, 'stop'],
  ['pause_turn', false, 'stop'],
  ['max_tokens', false, 'length'],
  ['max_tokens', true, 'length'],
  ['model_context_window_exceeded', false, 'length'],
  ['tool_use', true, 'tool_calls'],
  ['refusal', false, 'content_filter'],
  [null, false, 'stop'],
  ['end_turn', true, 'tool_calls'], // a compatible server that says end_turn after a tool_use block
  ['something_new', false, 'stop'],
] as const)('case 138: mapStopReason(%s, tool seen: %s) → %s', (reason, sawToolCall, expected) => {
  expect(mapStopReason(reason, { sawToolCall })).toBe(expected);
});
