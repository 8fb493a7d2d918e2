// OpenAI Chat Completions, as it appears on the wire (see shared protocol-notes §2).
// Provider extensions that Swixter reads (reasoning_content, reasoning, reasoning_details,
// DeepSeek/OpenRouter usage fields) are typed as optional.

export type ChatTextPart = { type: 'text'; text: string };
export type ChatImagePart = { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };
export type ChatFilePart = { type: 'file'; file: { filename?: string; file_data?: string; file_id?: string } };
export type ChatContentPart = ChatTextPart | ChatImagePart | ChatFilePart;

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  /** Gemini's OpenAI-compatible endpoint carries thought signatures here. */
  extra_content?: unknown;
}

export type ChatMessage =
  | { role: 'system' | 'developer'; content: string | ChatTextPart[]; name?: string }
  | { role: 'user'; content: string | ChatContentPart[]; name?: string }
  | {
      role: 'assistant';
      content: string | ChatTextPart[] | null;
      tool_calls?: ChatToolCall[];
      refusal?: string | null;
      /** DeepSeek thinking mode requires this back on tool-call turns. */
      reasoning_content?: string;
      reasoning?: string;
      reasoning_details?: ChatReasoningDetail[];
      name?: string;
    }
  | { role: 'tool'; tool_call_id: string; content: string | ChatTextPart[] };

export interface ChatTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

export type ChatToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop?: string | string[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  tools?: ChatTool[];
  tool_choice?: ChatToolChoice;
  parallel_tool_calls?: boolean;
  reasoning_effort?: string;
  user?: string;
  n?: number;
  response_format?: unknown;
  [extra: string]: unknown;
}

export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
  /** DeepSeek */
  prompt_cache_hit_tokens?: number;
  prompt_cache_miss_tokens?: number;
}

export interface ChatReasoningDetail {
  type: string; // 'reasoning.text' | 'reasoning.summary' | 'reasoning.encrypted'
  text?: string;
  summary?: string;
  signature?: string | null;
  data?: string;
  format?: string;
  index?: number;
}

export interface ChatResponse {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: {
      role: 'assistant';
      content: string | null;
      refusal?: string | null;
      tool_calls?: ChatToolCall[];
      reasoning_content?: string | null;
      reasoning?: string | null;
      reasoning_details?: ChatReasoningDetail[];
    };
    finish_reason: ChatFinishReason | string | null;
    logprobs?: unknown;
    /** vLLM: the matched stop string or token */
    stop_reason?: string | number | null;
  }>;
  usage?: ChatUsage | null;
}

export interface ChatToolCallDelta {
  index?: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
  extra_content?: unknown;
}

export interface ChatChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices?: Array<{
    index: number;
    delta: {
      role?: 'assistant';
      content?: string | null;
      refusal?: string | null;
      tool_calls?: ChatToolCallDelta[];
      reasoning_content?: string | null;
      reasoning?: string | null;
      reasoning_details?: ChatReasoningDetail[];
    };
    finish_reason: ChatFinishReason | string | null;
    logprobs?: unknown;
    stop_reason?: string | number | null;
  }> | null;
  usage?: ChatUsage | null;
  /** Groq: request id on the first chunk, a copy of the usage on the last ones. */
  x_groq?: { id?: string; usage?: ChatUsage | null } | null;
  /** Some servers report failures inside a 200 stream. */
  error?: { message?: string; type?: string; code?: string | number | null };
}

export interface ChatErrorBody {
  error: { message: string; type: string; param: string | null; code: string | number | null };
}
