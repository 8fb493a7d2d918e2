import { createHash } from 'node:crypto';

// Mistral takes only tool-call ids of 9 letters or digits (its own look like that). An id another
// provider minted — in a history that failed over, or after a profile switch — is replaced by 9
// characters derived from it, so a call and its result still pair up.

const SHORT_ID = /^[a-zA-Z0-9]{9}$/;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `id` when it is 9 letters or digits, else 9 from its SHA-256 (stable; distinct ids collide with odds of 1 in 62^9). */
export function shortToolIdFor(id: string): string {
  if (SHORT_ID.test(id)) return id;
  const digest = createHash('sha256').update(id).digest();
  let out = '';
  for (let i = 0; i < 9; i++) out += ALNUM[digest[i]! % ALNUM.length];
  return out;
}
