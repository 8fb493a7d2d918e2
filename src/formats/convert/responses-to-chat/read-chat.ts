// Reading the parts of Chat responses and chunks that providers disagree on (protocol-notes §2.5).
import { contentParts } from '../../openai-chat/content-parts.js';
import { asArray, isObject, type JsonObject } from './json.js';

/** `choices[index 0]` (n>1 answers use the first choice only; case 49/87), or undefined. */
export function firstChoice(choices: unknown): JsonObject | undefined {
  const list = (asArray(choices) ?? []).filter(isObject);
  return list.find((choice) => (choice.index ?? 0) === 0) ?? list[0];
}

/**
 * Reasoning text of a message or delta: `reasoning_content` (DeepSeek, GLM, llama.cpp),
 * `reasoning` (OpenRouter, Ollama, vLLM), else the text of `reasoning_details` (OpenRouter sends
 * the same text there too, so it is read only when the plain fields are absent), else thinking
 * parts of `content` (Mistral's reasoning models).
 */
export function reasoningText(message: JsonObject): string {
  if (typeof message.reasoning_content === 'string' && message.reasoning_content.length > 0) {
    return message.reasoning_content;
  }
  if (typeof message.reasoning === 'string' && message.reasoning.length > 0) return message.reasoning;
  let text = '';
  for (const detail of asArray(message.reasoning_details) ?? []) {
    if (!isObject(detail)) continue;
    if (typeof detail.text === 'string') text += detail.text;
    else if (typeof detail.summary === 'string') text += detail.summary;
  }
  if (text !== '') return text;
  for (const part of contentParts(message.content)) if (part.kind === 'thinking') text += part.text;
  return text;
}

/**
 * Answer text of a message or delta: `content` (a string, or text parts from some servers), with
 * a refusal given as text: Codex has no refusal content type (protocol-notes §2.2 `refusal`).
 */
export function answerText(message: JsonObject): string {
  let text = '';
  if (typeof message.content === 'string') text = message.content;
  else {
    for (const part of asArray(message.content) ?? []) {
      if (isObject(part) && typeof part.text === 'string') text += part.text;
    }
  }
  if (typeof message.refusal === 'string') text += message.refusal;
  return text;
}
