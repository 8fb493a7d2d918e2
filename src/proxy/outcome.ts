import type { AttemptEntry } from './access-log.js';
import type { AttemptResult } from './attempt-types.js';
import type { GatewayError } from './gateway-error.js';
import type { Target } from './target.js';

/** What one client request came to: the answer's status and size, and every attempt behind it. */
export interface Outcome {
  status: number;
  bytes: number;
  firstByteAt: number | undefined;
  result: AttemptResult | undefined;
  error: GatewayError | undefined;
  target: Target | undefined;
  attempts: AttemptEntry[];
}

/** Milliseconds with two decimals, for logs. */
export const round = (ms: number): number => Math.round(ms * 100) / 100;

let isoMs = -1;
let isoText = '';
/** The current time as an ISO 8601 string; formatted once per millisecond (a busy proxy logs many per ms). */
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}
