import { describe, expect, it } from 'vitest';
import { applyToolDelta, initialToolCallState, nextWaiting, takePending } from './tool-call-buffer.js';

describe('tool call buffer', () => {
  it('groups fragments by upstream index and holds them until taken', () => {
    const state = initialToolCallState();
    applyToolDelta(state, { index: 0, id: 'a', function: { name: 'f', arguments: '{"x":' } });
    applyToolDelta(state, { index: 1, id: 'b', function: { name: 'g', arguments: '{}' } });
    applyToolDelta(state, { index: 0, function: { arguments: '1}' } });
    expect(state.calls.map((c) => [c.id, c.name, c.pending, c.scan.status])).toEqual([
      ['a', 'f', '{"x":1}', 'complete'],
      ['b', 'g', '{}', 'complete'],
    ]);
    const first = nextWaiting(state);
    expect(first && takePending(first)).toBe('{"x":1}');
    expect(first?.pending).toBe('');
  });

  it('case 68: fragments without index or id continue the last call; the name may come later', () => {
    const state = initialToolCallState();
    applyToolDelta(state, { function: { arguments: '{"q"' } });
    applyToolDelta(state, { function: { name: 'search', arguments: ':1}' } });
    expect(state.calls).toHaveLength(1);
    expect(state.calls[0]).toMatchObject({ name: 'search', pending: '{"q":1}' });
  });

  it('a new id on an index already bound starts a new call (servers that reuse index 0)', () => {
    const state = initialToolCallState();
    applyToolDelta(state, { index: 0, id: 'a', function: { name: 'f', arguments: '{}' } });
    applyToolDelta(state, { index: 0, id: 'b', function: { name: 'g', arguments: '{}' } });
    expect(state.calls.map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('ids without index find their call', () => {
    const state = initialToolCallState();
    applyToolDelta(state, { id: 'a', function: { name: 'f', arguments: '{"a":' } });
    applyToolDelta(state, { id: 'b', function: { name: 'g' } });
    applyToolDelta(state, { id: 'a', function: { arguments: '1}' } });
    expect(state.calls.map((c) => c.pending)).toEqual(['{"a":1}', '']);
  });

  it('fragments for a closed call are reported as dropped', () => {
    const state = initialToolCallState();
    const { call } = applyToolDelta(state, { index: 0, id: 'a', function: { name: 'f', arguments: '{' } });
    call.status = 'closed';
    expect(applyToolDelta(state, { index: 0, function: { arguments: '}' } }).dropped).toBe(true);
  });

  it.each([
    ['{"s":"a } b","n":[1,{"x":2}]}', 'complete'],
    ['  {"a":"\\"}"} ', 'complete'],
    ['{"a":1', 'ok'],
    ['[1,2]', 'broken'],
    ['{"a":1}{"b":2}', 'broken'],
  ])('JSON completeness of %j → %s', (args, status) => {
    const state = initialToolCallState();
    for (const ch of args) applyToolDelta(state, { index: 0, id: 'a', function: { name: 'f', arguments: ch } });
    expect(state.calls[0]?.scan.status).toBe(status);
  });
});
