import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiFormat } from '../formats/api-format.js';
import type { ConversionContext, Converter, UsageSummary } from '../formats/convert/types.js';
import type { ClientGone } from './client-gone.js';
import type { GatewayError } from './gateway-error.js';
import type { RequestFacts } from './request-body.js';
import type { ProxyRuntime } from './runtime.js';
import type { Target } from './target.js';

export interface AttemptInput {
  rt: ProxyRuntime;
  req: IncomingMessage;
  res: ServerResponse;
  clientFormat: ApiFormat;
  /** The request is one of the API calls Swixter understands (messages, chat, responses, count_tokens). */
  apiCall: boolean;
  pathname: string;
  search: string;
  body: Buffer;
  facts: RequestFacts;
  target: Target;
  /** More targets follow: hold the response until it is known to be good (the failover gate). */
  gate: boolean;
  /** Aborts the upstream request when the client leaves. */
  signal: ClientGone;
  clientGone: () => boolean;
}

/** The first request of an attempt, which the upstream refused for its reasoning parameter (sent again without it). */
export interface ReasoningRefused {
  status: number | null;
  /** The upstream's message. */
  message: string;
  durationMs: number;
}

/** What reached the client, or why nothing did. */
export type AttemptResult = (
  | {
      committed: true;
      status: number;
      bytes: number;
      firstByteAt: number | undefined;
      usage: UsageSummary | undefined;
      upstreamModel: string;
      stream: boolean;
      /** Set when the response was sent but ended badly (mid-stream error, cut). */
      error?: GatewayError;
      /** The start of the answer, for debug logs (decoded only when they are on). */
      responseSample?: Buffer | string;
    }
  | {
      committed: false;
      error: GatewayError;
      /** The upstream's HTTP status, when it answered. */
      status: number | null;
      /** The upstream's own error message, when it answered with an error status. */
      upstreamMessage?: string;
      /** The upstream's own error response, for a same-format client (sent unchanged if this is the final answer). */
      passthrough?: { status: number; headers: string[]; body: Buffer };
    }
) & { reasoningRefused?: ReasoningRefused };

/** The upstream request, ready to send: passthrough (model mapped) or converted. */
export interface Prepared {
  path: string;
  body: Buffer | string | undefined;
  converter: Converter | undefined;
  context: ConversionContext | undefined;
  upstreamModel: string;
  /** The reasoning parameter the converted request carries (reasoning_effort, reasoning, thinking), as text. */
  reasoning: string | undefined;
}

export type Committed = AttemptResult & { committed: true };
export type Failed = AttemptResult & { committed: false };
