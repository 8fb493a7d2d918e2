// OpenAI Responses API (what Codex CLI speaks), as it appears on the wire (protocol-notes §3).

export type ResponsesInputContent =
  | { type: 'input_text'; text: string }
  | { type: 'output_text'; text: string; annotations?: unknown[] }
  | { type: 'input_image'; image_url?: string; file_id?: string; detail?: string }
  | { type: 'input_file'; file_data?: string; filename?: string; file_id?: string }
  | { type: 'refusal'; refusal: string };

export type ResponsesInputItem =
  | {
      type?: 'message';
      id?: string;
      role: 'user' | 'assistant' | 'system' | 'developer';
      content: string | ResponsesInputContent[];
      status?: string;
    }
  | {
      type: 'function_call';
      id?: string;
      call_id: string;
      name: string;
      arguments: string;
      status?: string;
      /** Set when the called tool came from a `namespace` tool (name is then the inner name). */
      namespace?: string;
    }
  | {
      type: 'function_call_output';
      id?: string;
      call_id: string;
      output: string | Array<{ type: string; text?: string; image_url?: string }>;
    }
  | {
      type: 'custom_tool_call';
      id?: string;
      call_id: string;
      name: string;
      input: string;
      status?: string;
      namespace?: string;
    }
  | {
      type: 'custom_tool_call_output';
      id?: string;
      call_id: string;
      output: string | Array<{ type: string; text?: string }>;
    }
  | {
      type: 'reasoning';
      id?: string;
      summary?: Array<{ type: 'summary_text'; text: string }>;
      content?: Array<{ type: 'reasoning_text'; text: string }>;
      encrypted_content?: string | null;
    }
  | { type: 'local_shell_call' | 'local_shell_call_output' | 'web_search_call' | string; [k: string]: unknown };

export type ResponsesTool =
  | {
      type: 'function';
      name: string;
      description?: string;
      parameters?: Record<string, unknown> | null;
      strict?: boolean;
    }
  | {
      type: 'custom';
      name: string;
      description?: string;
      format?: { type: 'text' } | { type: 'grammar'; syntax: string; definition: string };
    }
  | { type: 'namespace'; name: string; description?: string; tools: ResponsesTool[] }
  | { type: string; name?: string; [k: string]: unknown };

export type ResponsesToolChoice =
  | 'auto'
  | 'none'
  | 'required'
  | { type: 'function'; name: string }
  | { type: 'custom'; name: string }
  | { type: string; [k: string]: unknown };

export interface ResponsesRequest {
  model: string;
  input: string | ResponsesInputItem[];
  instructions?: string | null;
  tools?: ResponsesTool[];
  tool_choice?: ResponsesToolChoice;
  parallel_tool_calls?: boolean;
  reasoning?: { effort?: string | null; summary?: string | null } | null;
  max_output_tokens?: number | null;
  temperature?: number;
  top_p?: number;
  stream?: boolean;
  store?: boolean;
  include?: string[];
  previous_response_id?: string | null;
  text?: { format?: unknown; verbosity?: string };
  prompt_cache_key?: string;
  [extra: string]: unknown;
}

export interface ResponsesOutputText {
  type: 'output_text';
  text: string;
  annotations: unknown[];
  logprobs?: unknown[];
}

export type ResponsesOutputItem =
  | {
      type: 'message';
      id: string;
      role: 'assistant';
      status: 'in_progress' | 'completed' | 'incomplete';
      content: Array<ResponsesOutputText | { type: 'refusal'; refusal: string }>;
    }
  | {
      type: 'function_call';
      id: string;
      call_id: string;
      name: string;
      arguments: string;
      status: 'in_progress' | 'completed' | 'incomplete';
      /** The `namespace` tool the function belongs to; `name` is then the inner name. */
      namespace?: string;
    }
  | {
      type: 'custom_tool_call';
      id: string;
      call_id: string;
      name: string;
      input: string;
      status?: 'in_progress' | 'completed' | 'incomplete';
      namespace?: string;
    }
  | {
      type: 'reasoning';
      id: string;
      summary: Array<{ type: 'summary_text'; text: string }>;
      content?: Array<{ type: 'reasoning_text'; text: string }>;
      encrypted_content?: string | null;
      status?: 'in_progress' | 'completed' | 'incomplete';
    };

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export interface ResponsesResponse {
  id: string;
  object: 'response';
  created_at: number;
  status: 'in_progress' | 'completed' | 'incomplete' | 'failed';
  model: string;
  output: ResponsesOutputItem[];
  usage: ResponsesUsage | null;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: string } | null;
  instructions?: string | null;
  parallel_tool_calls?: boolean;
  tool_choice?: unknown;
  tools?: unknown[];
  [extra: string]: unknown;
}

/** Stream events carry `type` (also used as the SSE event name) and `sequence_number`. */
export interface ResponsesStreamEvent {
  type: string;
  sequence_number: number;
  [field: string]: unknown;
}
