/**
 * Splits `<think>…</think>` that some providers put inline in `content` (Groq `reasoning_format:
 * raw`, local models, case 84) into thinking and text, streaming-safe: a tag may be split across
 * any number of chunks. Only a think block that opens the answer (after optional whitespace)
 * counts; a `<think>` later in the text is ordinary text. Whitespace right after `<think>` and
 * `</think>` is dropped.
 */

const OPEN = '<think>';
const CLOSE = '</think>';

export interface ThinkSegment {
  kind: 'thinking' | 'text';
  text: string;
}

export interface ThinkTagState {
  /**
   * detect: the answer's start, a `<think>` may still come · opening: just after `<think>` ·
   * thinking: inside the tag · after: just after `</think>` · text: plain text to the end
   */
  mode: 'detect' | 'opening' | 'thinking' | 'after' | 'text';
  /** Held back text: the undecided start, or a possible partial `</think>`. */
  held: string;
  /**
   * The upstream also sends reasoning in a field (`reasoning_content`, …): from then on a think
   * block's text is dropped, as a whole answer keeps only the field (the two would repeat each
   * other). The converter sets it with reasoningFieldSeen().
   */
  dropThinking: boolean;
}

export const initialThinkTagState = (): ThinkTagState => ({ mode: 'detect', held: '', dropThinking: false });

/** The stream carries reasoning in a field: think blocks in the content no longer count as reasoning. */
export function reasoningFieldSeen(state: ThinkTagState): void {
  state.dropThinking = true;
}

/** Feeds one content fragment; returns the segments it completes, in order. */
export function splitThinkTags(state: ThinkTagState, fragment: string): ThinkSegment[] {
  if (state.mode === 'text') return fragment === '' ? [] : [{ kind: 'text', text: fragment }];
  const out: ThinkSegment[] = [];
  let rest = state.held + fragment;
  state.held = '';
  while (rest !== '') {
    switch (state.mode) {
      case 'detect': {
        const start = rest.trimStart();
        if (start.startsWith(OPEN)) {
          state.mode = 'opening';
          rest = start.slice(OPEN.length);
        } else if (OPEN.startsWith(start)) {
          state.held = rest; // whitespace or a partial "<thi": wait for more
          rest = '';
        } else {
          state.mode = 'text';
        }
        break;
      }
      case 'thinking': {
        const close = rest.indexOf(CLOSE);
        if (close >= 0) {
          if (!state.dropThinking) push(out, 'thinking', rest.slice(0, close));
          state.mode = 'after';
          rest = rest.slice(close + CLOSE.length);
        } else {
          const keep = partialSuffix(rest, CLOSE);
          if (!state.dropThinking) push(out, 'thinking', rest.slice(0, rest.length - keep));
          state.held = rest.slice(rest.length - keep);
          rest = '';
        }
        break;
      }
      case 'opening':
      case 'after':
        rest = rest.trimStart();
        if (rest !== '') state.mode = state.mode === 'opening' ? 'thinking' : 'text';
        break;
      case 'text':
        push(out, 'text', rest);
        rest = '';
        break;
    }
  }
  return out;
}

/**
 * The content ended (or something else, like a tool call, follows it): releases what was held
 * back. An unterminated think block ends as thinking; an undecided start becomes plain text.
 * Whatever content comes after this is plain text.
 */
export function endThinkTags(state: ThinkTagState): ThinkSegment[] {
  const { held, mode } = state;
  state.held = '';
  state.mode = 'text';
  if (mode === 'thinking') return held === '' || state.dropThinking ? [] : [{ kind: 'thinking', text: held }];
  if (mode !== 'detect') return [];
  return held.trim() === '' ? [] : [{ kind: 'text', text: held }];
}

/** A whole (non-streamed) content: its leading think block and the text after it. */
export function splitThinkText(content: string): { thinking: string; text: string } {
  const state = initialThinkTagState();
  let thinking = '';
  let text = '';
  for (const segment of [...splitThinkTags(state, content), ...endThinkTags(state)]) {
    if (segment.kind === 'text') text += segment.text;
    else thinking += segment.text;
  }
  return { thinking, text };
}

function push(out: ThinkSegment[], kind: ThinkSegment['kind'], text: string): void {
  if (text === '') return;
  const last = out.at(-1);
  if (last?.kind === kind) last.text += text;
  else out.push({ kind, text });
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialSuffix(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}
