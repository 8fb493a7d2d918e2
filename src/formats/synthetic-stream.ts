import type { AnthropicResponse, AnthropicStreamEvent } from './anthropic/types.js';
import type { ApiFormat } from './api-format.js';
import type { ChatChunk, ChatResponse } from './openai-chat/types.js';
import type { SseEvent } from './sse/types.js';
import { withFields } from './with-fields.js';

// Some servers answer a stream request with a whole JSON body (protocol-notes case 81). Replaying
// that body as the stream it stands for lets the normal stream converter produce the client's
// stream, so a streaming client still gets a stream.

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const anthropicEvent = (e: AnthropicStreamEvent): SseEvent => ({ event: e.type, data: JSON.stringify(e) });

/** An Anthropic Message as the event stream the API would have sent for it. */
export function anthropicMessageAsStream(message: AnthropicResponse): SseEvent[] {
  const out: SseEvent[] = [
    anthropicEvent({
      type: 'message_start',
      message: { ...message, content: [], stop_reason: null, stop_sequence: null },
    }),
  ];
  for (const [index, block] of (message.content ?? []).entries()) {
    switch (block.type) {
      case 'text':
        out.push(anthropicEvent({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
        out.push(
          anthropicEvent({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: block.text } }),
        );
        break;
      case 'thinking':
        out.push(
          anthropicEvent({
            type: 'content_block_start',
            index,
            content_block: { type: 'thinking', thinking: '', signature: '' },
          }),
        );
        out.push(
          anthropicEvent({
            type: 'content_block_delta',
            index,
            delta: { type: 'thinking_delta', thinking: block.thinking },
          }),
        );
        if (block.signature)
          out.push(
            anthropicEvent({
              type: 'content_block_delta',
              index,
              delta: { type: 'signature_delta', signature: block.signature },
            }),
          );
        break;
      case 'redacted_thinking':
        out.push(
          anthropicEvent({
            type: 'content_block_start',
            index,
            content_block: { type: 'redacted_thinking', data: block.data },
          }),
        );
        break;
      case 'tool_use':
        out.push(
          anthropicEvent({
            type: 'content_block_start',
            index,
            content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
          }),
        );
        out.push(
          anthropicEvent({
            type: 'content_block_delta',
            index,
            delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input ?? {}) },
          }),
        );
        break;
    }
    out.push(anthropicEvent({ type: 'content_block_stop', index }));
  }
  out.push(
    anthropicEvent({
      type: 'message_delta',
      delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence },
      usage: message.usage,
    }),
  );
  out.push(anthropicEvent({ type: 'message_stop' }));
  return out;
}

/** A Chat completion as the chunk stream it stands for (one chunk per part, whole tool calls). */
export function chatCompletionAsStream(completion: ChatResponse): SseEvent[] {
  const head = {
    id: completion.id,
    object: 'chat.completion.chunk' as const,
    created: completion.created,
    model: completion.model,
  };
  const chunk = (delta: Json, finish: string | null = null): SseEvent => ({
    data: JSON.stringify(
      withFields(head, { choices: [{ index: 0, delta, finish_reason: finish }] }) satisfies Partial<ChatChunk> & Json,
    ),
  });
  const choice = completion.choices?.[0];
  const message: Json = isObject(choice?.message) ? (choice.message as unknown as Json) : {};
  const out: SseEvent[] = [chunk({ role: 'assistant', content: '' })];
  // The reasoning fields in one chunk, as the message had them: a provider that sends the text twice
  // (OpenRouter: `reasoning` and `reasoning_details`) is read once, as in a whole answer.
  const reasoning: Json = {};
  for (const key of ['reasoning_content', 'reasoning'] as const) {
    if (typeof message[key] === 'string' && message[key] !== '') reasoning[key] = message[key];
  }
  if (Array.isArray(message.reasoning_details) && message.reasoning_details.length > 0)
    reasoning.reasoning_details = message.reasoning_details;
  if (Object.keys(reasoning).length > 0) out.push(chunk(reasoning));
  if (typeof message.content === 'string' && message.content !== '') out.push(chunk({ content: message.content }));
  if (typeof message.refusal === 'string' && message.refusal !== '') out.push(chunk({ refusal: message.refusal }));
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  for (const [index, call] of calls.entries())
    out.push(chunk({ tool_calls: [{ index, ...(isObject(call) ? call : {}) }] }));
  out.push(chunk({}, typeof choice?.finish_reason === 'string' ? choice.finish_reason : 'stop'));
  if (completion.usage) out.push({ data: JSON.stringify(withFields(head, { choices: [], usage: completion.usage })) });
  out.push({ data: '[DONE]' });
  return out;
}

/** The stream an upstream of `format` would have sent for this whole body, when Swixter can rebuild it. */
export function bodyAsStream(format: ApiFormat, body: unknown): SseEvent[] | undefined {
  if (!isObject(body)) return undefined;
  if (format === 'anthropic_messages' && body.type === 'message' && Array.isArray(body.content))
    return anthropicMessageAsStream(body as unknown as AnthropicResponse);
  if (format === 'openai_chat' && Array.isArray(body.choices))
    return chatCompletionAsStream(body as unknown as ChatResponse);
  return undefined;
}
