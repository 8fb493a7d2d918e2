export { estimateAnthropicInputTokens } from './estimate-anthropic.js';
export { estimateChatInputTokens } from './estimate-chat.js';
