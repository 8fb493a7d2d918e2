import type { ApiFormat } from '../formats/api-format.js';
import type { ProviderQuirks } from '../formats/convert/types.js';
import type { AuthStyle } from './schema.js';

export interface ProviderPreset {
  id: string;
  name: string;
  /** API root. A version segment in it (…/v1, …/v1beta/openai) means request paths drop their /v1. */
  baseURL: string;
  /** The wire format spoken at baseURL when the profile does not say. */
  apiFormat: ApiFormat;
  /** Other formats served at the same baseURL (clients speaking them pass through unconverted). */
  nativeFormats?: readonly ApiFormat[];
  auth: AuthStyle;
  /** The environment variable users usually keep this provider's key in. */
  envKey: string;
  /** Runs on the user's machine and needs no key. */
  local?: boolean;
  /** `custom`: the user must give a base URL. */
  requiresBaseURL?: boolean;
  quirks: ProviderQuirks;
  /** Documented ceiling for max_tokens; requests above it are clamped. */
  maxTokens?: number;
  /** A model to suggest when creating a profile. */
  exampleModel?: string;
  source: 'builtin' | 'user';
}

const STRICT_SCHEMA = ['$schema'];
const GEMINI_SCHEMA = [
  '$schema',
  'additionalProperties',
  'propertyNames',
  'patternProperties',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'const',
  'default',
];

const preset = (p: Omit<ProviderPreset, 'source'>): ProviderPreset => ({ ...p, source: 'builtin' });

/** Built-in providers. docs/providers.md lists this table; keep them in step. */
export const BUILTIN_PRESETS: readonly ProviderPreset[] = [
  preset({
    id: 'anthropic',
    name: 'Anthropic',
    baseURL: 'https://api.anthropic.com',
    apiFormat: 'anthropic_messages',
    auth: 'x-api-key',
    envKey: 'ANTHROPIC_API_KEY',
    quirks: { anthropicSignatures: true },
    exampleModel: 'claude-sonnet-4-5',
  }),
  preset({
    id: 'openai',
    name: 'OpenAI',
    baseURL: 'https://api.openai.com/v1',
    apiFormat: 'openai_chat',
    nativeFormats: ['openai_responses'],
    auth: 'bearer',
    envKey: 'OPENAI_API_KEY',
    quirks: { reasoning: 'openai', fileParts: true, forwardUser: true, maxTokensField: 'max_completion_tokens' },
    exampleModel: 'gpt-5',
  }),
  preset({
    id: 'groq',
    name: 'Groq',
    baseURL: 'https://api.groq.com/openai/v1',
    apiFormat: 'openai_chat',
    auth: 'bearer',
    envKey: 'GROQ_API_KEY',
    quirks: { stripSchemaKeywords: STRICT_SCHEMA, reasoning: 'none' },
    // kimi-k2-instruct, the example model, takes at most 16,384 (Groq answers 400 above); a profile's
    // maxTokens raises it for models that take more
    maxTokens: 16_384,
    exampleModel: 'moonshotai/kimi-k2-instruct',
  }),
  preset({
    id: 'openrouter',
    name: 'OpenRouter',
    baseURL: 'https://openrouter.ai/api/v1',
    apiFormat: 'openai_chat',
    auth: 'bearer',
    envKey: 'OPENROUTER_API_KEY',
    // Claude behind OpenRouter caches only where asked: a top-level cache_control asks for it
    quirks: { reasoning: 'openrouter', fileParts: true, topK: true, topLevelCacheControl: true },
    exampleModel: 'anthropic/claude-sonnet-4.5',
  }),
  preset({
    id: 'deepseek',
    name: 'DeepSeek',
    baseURL: 'https://api.deepseek.com',
    apiFormat: 'openai_chat',
    auth: 'bearer',
    envKey: 'DEEPSEEK_API_KEY',
    // deepseek-chat takes no images: one in the history would make every later request a 400
    quirks: { reasoning: 'deepseek', stripSchemaKeywords: STRICT_SCHEMA, jsonSchemaFormat: false, imageParts: false },
    maxTokens: 8192,
    exampleModel: 'deepseek-chat',
  }),
  preset({
    id: 'ollama',
    name: 'Ollama (local)',
    baseURL: 'http://127.0.0.1:11434/v1',
    apiFormat: 'openai_chat',
    auth: 'bearer',
    envKey: 'OLLAMA_API_KEY',
    local: true,
    quirks: { reasoning: 'openai' },
    exampleModel: 'qwen3-coder',
  }),
  preset({
    id: 'lmstudio',
    name: 'LM Studio (local)',
    baseURL: 'http://127.0.0.1:1234/v1',
    apiFormat: 'openai_chat',
    auth: 'bearer',
    envKey: 'LMSTUDIO_API_KEY',
    local: true,
    quirks: { reasoning: 'none' },
    exampleModel: 'qwen/qwen3-coder-30b',
  }),
  preset({
    id: 'vllm',
    name: 'vLLM (local)',
    baseURL: 'http://127.0.0.1:8000/v1',
    apiFormat: 'openai_chat',
    auth: 'bearer',
    envKey: 'VLLM_API_KEY',
    local: true,
    quirks: { reasoning: 'none', topK: true },
  }),
  preset({
    id: 'together',
    name: 'Together AI',
    baseURL: 'https://api.together.xyz/v1',
    apiFormat: 'openai_chat',
    auth: 'bearer',
    envKey: 'TOGETHER_API_KEY',
    quirks: { reasoning: 'none', topK: true },
    exampleModel: 'Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8',
  }),
  preset({
    id: 'fireworks',
    name: 'Fireworks AI',
    baseURL: 'https://api.fireworks.ai/inference/v1',
    apiFormat: 'openai_chat',
    auth: 'bearer',
    envKey: 'FIREWORKS_API_KEY',
    quirks: { reasoning: 'none', topK: true },
  }),
  preset({
    id: 'mistral',
    name: 'Mistral',
    baseURL: 'https://api.mistral.ai/v1',
    apiFormat: 'openai_chat',
    auth: 'bearer',
    envKey: 'MISTRAL_API_KEY',
    // Mistral refuses tool-call ids other than 9 letters or digits, and a user message right after tool messages
    quirks: {
      stripSchemaKeywords: STRICT_SCHEMA,
      reasoning: 'none',
      streamUsage: false,
      shortToolIds: true,
      noUserAfterTool: true,
    },
    exampleModel: 'devstral-medium-latest',
  }),
  preset({
    id: 'xai',
    name: 'xAI',
    baseURL: 'https://api.x.ai/v1',
    apiFormat: 'openai_chat',
    auth: 'bearer',
    envKey: 'XAI_API_KEY',
    quirks: { reasoning: 'none' },
    exampleModel: 'grok-code-fast-1',
  }),
  preset({
    id: 'moonshot',
    name: 'Moonshot AI (Kimi)',
    baseURL: 'https://api.moonshot.ai/v1',
    apiFormat: 'openai_chat',
    auth: 'bearer',
    envKey: 'MOONSHOT_API_KEY',
    // Kimi's thinking models refuse a tool-call turn sent back without its reasoning_content
    quirks: { reasoning: 'none', replayReasoning: true },
    exampleModel: 'kimi-k2-0905-preview',
  }),
  preset({
    id: 'zhipu',
    name: 'Zhipu AI (GLM)',
    baseURL: 'https://open.bigmodel.cn/api/paas/v4',
    apiFormat: 'openai_chat',
    auth: 'bearer',
    envKey: 'ZHIPU_API_KEY',
    quirks: { reasoning: 'none' },
    exampleModel: 'glm-4.6',
  }),
  preset({
    id: 'gemini',
    name: 'Google Gemini (OpenAI-compatible)',
    baseURL: 'https://generativelanguage.googleapis.com/v1beta/openai',
    apiFormat: 'openai_chat',
    auth: 'bearer',
    envKey: 'GEMINI_API_KEY',
    quirks: {
      stripSchemaKeywords: GEMINI_SCHEMA,
      reasoning: 'openai',
      parallelToolCalls: false,
      thoughtSignaturePlaceholder: true,
    },
    exampleModel: 'gemini-2.5-pro',
  }),
  preset({
    id: 'cerebras',
    name: 'Cerebras',
    baseURL: 'https://api.cerebras.ai/v1',
    apiFormat: 'openai_chat',
    auth: 'bearer',
    envKey: 'CEREBRAS_API_KEY',
    quirks: { stripSchemaKeywords: STRICT_SCHEMA, reasoning: 'none' },
    exampleModel: 'qwen-3-coder-480b',
  }),
  preset({
    id: 'custom',
    name: 'Custom endpoint',
    baseURL: 'http://127.0.0.1:8080/v1',
    apiFormat: 'openai_chat',
    auth: 'bearer',
    envKey: 'CUSTOM_API_KEY',
    requiresBaseURL: true,
    quirks: { reasoning: 'none' },
  }),
];
