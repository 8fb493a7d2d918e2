import type { SseFrame } from './types.js';

/** Serialises one frame: `event: <name>\n` (when named), `data: <json>\n\n`. */
export function encodeFrame(frame: SseFrame): string {
  const data = typeof frame.data === 'string' ? frame.data : JSON.stringify(frame.data);
  return frame.event === undefined ? `data: ${data}\n\n` : `event: ${frame.event}\ndata: ${data}\n\n`;
}

export function encodeFrames(frames: readonly SseFrame[]): string {
  let out = '';
  for (const frame of frames) out += encodeFrame(frame);
  return out;
}
