import { randomUUID } from 'node:crypto';

/**
 * A random id in the style the APIs use: `msg_…`, `toolu_…`, `resp_…`, `call_…`; matches
 * ^[a-zA-Z0-9_-]+$. randomUUID draws from a pre-filled entropy pool, so ids are cheap enough for
 * the stream hot path. `length` caps the random part (at most 32 hex digits).
 */
export function newId(prefix: string, length = 24): string {
  const uuid = randomUUID(); // 8-4-4-4-12 hex digits; slices are cheaper than replaceAll('-', '')
  const hex = uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(14, 18) + uuid.slice(19, 23) + uuid.slice(24);
  return prefix + hex.slice(0, Math.min(length, 32));
}
