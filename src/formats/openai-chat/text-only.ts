import type { ChatContentPart, ChatMessage } from './types.js';

// A provider whose models take no images (DeepSeek's chat API) refuses every request whose history
// holds one ("unknown variant image_url, expected text"): one pasted screenshot, or a Read of a
// PNG, would end the session. Such parts become a short text saying what was there.

/** What stands where an image was. */
export const IMAGE_OMITTED = '[image omitted: this provider takes no images]';

/** Replaces image parts in `messages` (in place) with IMAGE_OMITTED; returns how many there were. */
export function dropImageParts(messages: ChatMessage[]): number {
  let dropped = 0;
  for (const message of messages) {
    if (message.role !== 'user' || !Array.isArray(message.content)) continue;
    const parts = message.content as ChatContentPart[];
    if (!parts.some((p) => p.type === 'image_url')) continue;
    message.content = parts.map((p): ChatContentPart => {
      if (p.type !== 'image_url') return p;
      dropped++;
      return { type: 'text', text: IMAGE_OMITTED };
    });
  }
  return dropped;
}
