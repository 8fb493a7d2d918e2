import type { ApiFormat } from '../api-format.js';
import type { NormalizedError } from '../errors/error-kinds.js';
import type { LiftPlan } from '../json-lift.js';
import type { ByteSink } from '../sse/byte-sink.js';
import type { SseEvent, SseFrame } from '../sse/types.js';

/**
 * What a target provider accepts, as plain data. The proxy fills this from the provider preset
 * and profile; converters read it and never look anything up themselves.
 */
export interface ProviderQuirks {
  /** JSON-schema keywords removed from tool parameters (strict providers reject e.g. `$schema`). */
  stripSchemaKeywords?: readonly string[];
  /** How thinking/reasoning is requested from and replayed to this provider. */
  reasoning?: 'openai' | 'deepseek' | 'openrouter' | 'none';
  /**
   * Send a turn's reasoning back as `reasoning_content` on assistant messages, as DeepSeek
   * (`reasoning: 'deepseek'`) and Kimi's thinking models require on tool-call turns.
   */
  replayReasoning?: boolean;
  /** A top-level `cache_control` asks the gateway to cache Claude's prompt (OpenRouter; Claude models only). */
  topLevelCacheControl?: boolean;
  /** false: the provider takes no images (DeepSeek): image parts become a short text note. */
  imageParts?: boolean;
  /** Tool-call ids must be 9 letters or digits (Mistral): other providers' ids are shortened, stably. */
  shortToolIds?: boolean;
  /** A user message may not follow tool messages directly (Mistral): an assistant message bridges them. */
  noUserAfterTool?: boolean;
  /** Whether `metadata.user_id` / `user` may be forwarded (hashed to ≤ 64 chars). */
  forwardUser?: boolean;
  /** Whether `stream_options: {include_usage: true}` may be sent. Default true. */
  streamUsage?: boolean;
  /** Whether `parallel_tool_calls` may be sent. Default true. */
  parallelToolCalls?: boolean;
  /** Whether PDF/file content parts are accepted; otherwise documents are a clear 400. */
  fileParts?: boolean;
  /** Whether a thinking-signature replay is accepted (Anthropic only). */
  anthropicSignatures?: boolean;
  /** Whether `top_k` is accepted (vLLM, OpenRouter, …); OpenAI has no such field (case 34). */
  topK?: boolean;
  /** The output limit's field: OpenAI wants `max_completion_tokens` (its reasoning models reject `max_tokens`, case 35). */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
  /** Whether `response_format: {type: "json_schema"}` is accepted. Default true; DeepSeek answers 400. */
  jsonSchemaFormat?: boolean;
  /**
   * Google's OpenAI-compatible endpoint: Gemini 3 wants a thought signature on replayed tool calls,
   * which Swixter does not keep; the first call of each assistant turn gets Google's placeholder
   * (openai-chat/thought-signatures.ts).
   */
  thoughtSignaturePlaceholder?: boolean;
}

export interface ConvertOptions {
  /** The model name to send upstream (already mapped from the profile). */
  upstreamModel: string;
  /** Upper bound for max_tokens (clamped, not rejected) when the profile/provider sets one. */
  maxTokensCap?: number | undefined;
  quirks: ProviderQuirks;
  /** Unix seconds for `created`/`created_at` fields; the proxy passes its clock in, converters never read one. */
  now: number;
  /**
   * Signature for thinking blocks a converter creates when the upstream gave none (e.g. DeepSeek
   * `reasoning_content`). It marks where the block came from (see formats/anthropic/
   * thinking-provenance.ts); it is never valid at Anthropic, and the proxy removes such blocks
   * before a request reaches an Anthropic-format upstream.
   */
  signatureTag?: string | undefined;
  /**
   * The request's `tools` as Converter.tools.prepare() converted them. Then `body.tools` is a
   * stand-in (json-lift.ts, LiftRule.whole), read for nothing: request() takes names and warnings
   * from `preparedTools` and puts the stand-in where the upstream's tools go, for the caller to
   * splice `preparedTools.json` into.
   */
  preparedTools?: PreparedTools | undefined;
  /**
   * Send no reasoning parameter (`reasoning_effort`, `reasoning`, Anthropic `thinking`), whatever
   * the client asked for: the upstream refused it for this model (a model without reasoning, e.g.
   * gpt-4.1 at OpenAI or a non-thinking model in Ollama).
   */
  omitReasoning?: boolean | undefined;
  /**
   * The target the request goes to (the proxy passes its profile label). A converter that hands
   * signed thinking to its client (Responses → Anthropic) marks it with this owner, and sends back
   * only the thinking the same owner signed.
   */
  reasoningOwner?: string | undefined;
  /** Internal to a composed converter: carry signed thinking for this owner (see reasoningOwner). */
  signedReasoningOwner?: string | undefined;
}

/**
 * A request's `tools` converted apart from the rest of it: the same for every request that sends
 * the same tools bytes to a provider with the same quirks. Coders send their tools unchanged on
 * every turn (Claude Code's are ~60 KB of schemas, a third of a 1 MB request's conversion), so
 * the proxy keeps these and reuses them.
 */
export interface PreparedTools {
  /**
   * The upstream's tools value as JSON text (holding the markers of what the proxy lifted out of
   * the tools first: ToolsStage.liftableTools); undefined when no tool goes upstream.
   */
  readonly json: string | undefined;
  /** What the tools alone gave to warn about (also part of request()'s warnings). */
  readonly warnings: readonly string[];
  /** What else the converter learned from the tools (names, tool_choice's choices): read only by the converter that made it. */
  readonly mapping: object;
}

/** How a converter converts a request's `tools` apart (see PreparedTools). */
export interface ToolsStage {
  /** Converter.liftable's plan with the top-level `tools` value lifted whole (LiftRule.whole). */
  liftable(quirks: ProviderQuirks): LiftPlan;
  /**
   * Where prepare() copies values of the tools array as they are (a plan for the array, as
   * Converter.liftable is for the body): descriptions, schemas passed on unread. The proxy lifts
   * them before parsing the tools, so they reach the upstream as the client spelled them.
   */
  liftableTools?(quirks: ProviderQuirks): LiftPlan | undefined;
  /** The client's `tools` value converted alone; throws ConversionError where request() would for it. */
  prepare(tools: unknown, quirks: ProviderQuirks): PreparedTools;
}

/**
 * Facts the request conversion learned that the response conversion needs: the model name
 * the client asked for (echoed back), and tool names rewritten on the way up (restored on the
 * way down).
 */
export interface ConversionContext {
  clientModel: string;
  /** upstream tool name → how to present it to the client */
  toolNames: Readonly<Record<string, ToolNameMapping>>;
  /** Whether the client asked for a stream. */
  stream: boolean;
  /** Unix seconds (from ConvertOptions.now) for `created`/`created_at` fields. */
  created: number;
  /** From ConvertOptions.signatureTag. */
  signatureTag?: string | undefined;
  /**
   * false: a `<think>` block opening the text stays text. Chat providers put reasoning there (case
   * 84); behind an Anthropic upstream it only comes in thinking blocks, so such text is the answer.
   */
  thinkTags?: boolean;
  /** ConvertOptions.signedReasoningOwner: signed thinking travels to and from the client for this owner. */
  signedReasoningOwner?: string | undefined;
  /** Anything the converter wants to remember, by converter-specific key. */
  extra?: Record<string, unknown>;
}

export interface ToolNameMapping {
  name: string;
  /** Responses `custom` tools are called with one string argument and answered as custom_tool_call. */
  kind?: 'function' | 'custom';
  /** Responses `namespace` tools are flattened; the namespace is restored on the way back. */
  namespace?: string;
}

export interface ConvertedRequest {
  /** Upstream path relative to the API root, e.g. "/v1/chat/completions". */
  path: string;
  body: object;
  context: ConversionContext;
  /** Things dropped or changed that a user may want to know about (logged at debug/warn). */
  warnings: string[];
}

/** Thrown by a request conversion for input that cannot be expressed upstream (answered as 400). */
export class ConversionError extends Error {
  override readonly name = 'ConversionError';
  constructor(
    message: string,
    readonly kind: 'invalid_request' = 'invalid_request',
  ) {
    super(message);
  }
}

/** Token usage normalised across formats, for the access log. */
export interface UsageSummary {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
}

/**
 * Converts one upstream SSE stream into client SSE frames. Fed one decoded upstream event at a
 * time; returns the client frames that event completes (possibly none).
 */
export interface StreamConverter {
  push(event: SseEvent): SseFrame[];
  /**
   * Optional fast lane on raw bytes: bytes[start, end) holds complete upstream events (LF line
   * endings). Takes the events from `start` on that it can answer without decoding them,
   * appending the client's bytes for them to `out`, up to the first it cannot; returns where that
   * one starts (`start` when it took none, `end` when it took them all). The caller decodes that
   * event, calls push(), and offers the rest again.
   */
  pushRaw?(bytes: Buffer, start: number, end: number, out: ByteSink): number;
  /** How many upstream events a text fast lane answered without parsing them (converters that have one). */
  readonly fastEvents?: number;
  /** The upstream body ended. Closes what is open; an unfinished upstream becomes an error frame. */
  end(): SseFrame[];
  /** The transport failed mid-stream (timeout, reset): closes what is open and reports the error. */
  fail(error: NormalizedError): SseFrame[];
  /** True once frames carrying content (text, thinking, a tool call) have been emitted. */
  readonly sawContent: boolean;
  /** Set when the upstream reported an error inside the stream, before or after content. */
  readonly upstreamError: NormalizedError | undefined;
  /** True once the stream reached its normal end (finish + [DONE] / message_stop / completed). */
  readonly finished: boolean;
  /** Usage as far as the upstream reported it. */
  readonly usage: UsageSummary | undefined;
}

export type ResponseResult =
  | { ok: true; body: object; usage: UsageSummary | undefined }
  | { ok: false; error: NormalizedError };

/** The seam between HTTP and protocols: everything the proxy knows about a format pair. */
export interface Converter {
  readonly client: ApiFormat;
  readonly upstream: ApiFormat;
  /** Throws ConversionError for requests that cannot be expressed upstream. */
  request(body: unknown, options: ConvertOptions): ConvertedRequest;
  /**
   * Where `request`, for a provider with these quirks, copies values into the upstream body as
   * they are (strings possibly joined with others and tested for nothing but emptiness, objects
   * passed on unread): the proxy may lift long ones out before parsing and splice the client's
   * bytes back (json-lift.ts). Absent or undefined: the whole body is parsed.
   */
  liftable?(quirks: ProviderQuirks): LiftPlan | undefined;
  /** Present when request() accepts ConvertOptions.preparedTools. */
  readonly tools?: ToolsStage;
  /**
   * A non-streaming upstream 2xx body → the client's body. A 200 that carries an error object
   * (protocol-notes case 58) comes back as `{ ok: false }` so the proxy can answer it as an error.
   */
  response(body: unknown, context: ConversionContext): ResponseResult;
  stream(context: ConversionContext): StreamConverter;
}
