import { describe, expect, it } from 'vitest';
import {
  endThinkTags,
  initialThinkTagState,
  reasoningFieldSeen,
  splitThinkTags,
  type ThinkSegment,
} from './think-tag-splitter.js';

function run(fragments: string[]): ThinkSegment[] {
  const state = initialThinkTagState();
  const out: ThinkSegment[] = [];
  for (const f of fragments) out.push(...splitThinkTags(state, f));
  out.push(...endThinkTags(state));
  // merge adjacent same-kind segments, as the stream does inside one block
  return out.reduce<ThinkSegment[]>((acc, s) => {
    const last = acc.at(-1);
    if (last?.kind === s.kind) last.text += s.text;
    else acc.push({ ...s });
    return acc;
  }, []);
}

describe('think tag splitter (case 84)', () => {
  const whole = '<think>\nLet me think.</think>\n\nThe answer is 4.';
  const expected = [
    { kind: 'thinking', text: 'Let me think.' },
    { kind: 'text', text: 'The answer is 4.' },
  ];

  it('splits a think block in one fragment', () => {
    expect(run([whole])).toEqual(expected);
  });

  it('gives the same result for every split point, including inside both tags', () => {
    for (let i = 0; i <= whole.length; i++) {
      for (let j = i; j <= whole.length; j += 3) {
        expect(run([whole.slice(0, i), whole.slice(i, j), whole.slice(j)])).toEqual(expected);
      }
    }
  });

  it.each([
    ['whole', [whole], 'The answer is 4.'],
    ['one character at a time', [...whole], 'The answer is 4.'],
    ['cut off inside the block', ['<think>unfinished'], ''],
  ])('after reasoningFieldSeen, a think block is dropped and the text kept (%s)', (_name, input, text) => {
    const state = initialThinkTagState();
    reasoningFieldSeen(state);
    const out = [...input.flatMap((f) => splitThinkTags(state, f)), ...endThinkTags(state)];
    expect(out.filter((s) => s.kind === 'thinking')).toEqual([]);
    expect(out.map((s) => s.text).join('')).toBe(text);
  });

  it('one character at a time', () => {
    expect(run([...whole])).toEqual(expected);
  });

  it('passes text without tags through unchanged and without delay', () => {
    const state = initialThinkTagState();
    expect(splitThinkTags(state, 'Hello')).toEqual([{ kind: 'text', text: 'Hello' }]);
    expect(splitThinkTags(state, ' <think>not a tag here</think>')).toEqual([
      { kind: 'text', text: ' <think>not a tag here</think>' },
    ]);
  });

  it('holds only while the start could still become <think>', () => {
    const state = initialThinkTagState();
    expect(splitThinkTags(state, '<th')).toEqual([]);
    expect(splitThinkTags(state, 'at is')).toEqual([{ kind: 'text', text: '<that is' }]);
  });

  it('an answer that is just "<th" is text at the end', () => {
    expect(run(['<th'])).toEqual([{ kind: 'text', text: '<th' }]);
  });

  it('an unterminated think block stays thinking', () => {
    expect(run(['<think>still going</thi'])).toEqual([{ kind: 'thinking', text: 'still going</thi' }]);
  });

  it('content after an early end (a tool call inside an unclosed think block) is plain text', () => {
    const state = initialThinkTagState();
    expect(splitThinkTags(state, '<think>p</thi')).toEqual([{ kind: 'thinking', text: 'p' }]);
    expect(endThinkTags(state)).toEqual([{ kind: 'thinking', text: '</thi' }]);
    expect(splitThinkTags(state, 'nk>answer')).toEqual([{ kind: 'text', text: 'nk>answer' }]);
  });

  it('leading whitespace before <think> is allowed, an empty think block yields nothing', () => {
    expect(run(['\n<think></think>', 'Hi'])).toEqual([{ kind: 'text', text: 'Hi' }]);
  });
});
