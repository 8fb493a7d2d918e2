import { leadingSystem, mergeAdjacent } from '../../openai-chat/merge-adjacent.js';
import { shortToolIdFor } from '../../openai-chat/short-tool-ids.js';
import { type SignedThinking, signedDetail } from '../../openai-chat/signed-thinking.js';
import { bridgeToolToUser } from '../../openai-chat/tool-user-bridge.js';
import type { ChatImagePart, ChatMessage, ChatToolCall } from '../../openai-chat/types.js';
import { decodeSignedReasoning } from '../../openai-responses/signed-reasoning.js';
import { ConversionError } from '../types.js';
import { asArray, asString, isObject, type JsonObject, nonEmpty } from './json.js';
import { textContent, toolOutput, userContent } from './map-content.js';
import type { ToolNameTable } from './tool-names.js';

export interface InputOptions {
  names: ToolNameTable;
  /** DeepSeek thinking mode: reasoning goes back as `reasoning_content` on tool-call turns. */
  replayReasoning: boolean;
  fileParts: boolean;
  /** Reasoning items that carry thinking this owner signed go back as signed thinking (signed-reasoning.ts). */
  signedOwner?: string | undefined;
  /** Tool-call ids must be 9 letters or digits (ProviderQuirks.shortToolIds). */
  shortToolIds?: boolean;
  /** A user message may not follow tool messages (ProviderQuirks.noUserAfterTool). */
  noUserAfterTool?: boolean;
}

type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

/** The Chat history being built, with what waits for the next item to decide where it goes. */
interface HistoryBuilder {
  messages: ChatMessage[];
  warnings: string[];
  /** Reasoning text held for the next assistant tool-call message (DeepSeek, case 108). */
  pendingReasoning: string | undefined;
  /** Signed thinking of reasoning items, for the next tool-calling turn. */
  pendingSigned: SignedThinking[];
  /** Images from tool outputs: sent in one user message after the run of tool messages. */
  pendingImages: ChatImagePart[];
}

/**
 * `instructions` + `input` → Chat messages (cases 104–109). Item ids are never forwarded;
 * reasoning items are dropped (or replayed for DeepSeek); unknown item types are dropped with a
 * warning.
 */
export function mapInput(
  instructions: unknown,
  input: string | unknown[],
  options: InputOptions,
): { messages: ChatMessage[]; warnings: string[] } {
  const history: HistoryBuilder = {
    messages: [],
    warnings: [],
    pendingReasoning: undefined,
    pendingSigned: [],
    pendingImages: [],
  };
  const system = nonEmpty(instructions);
  if (system !== undefined) history.messages.push({ role: 'system', content: system });
  // Newer API versions also accept instructions as a list of input items.
  for (const item of asArray(instructions) ?? []) addItem(history, item, options);
  if (typeof input === 'string') {
    history.messages.push({ role: 'user', content: input });
  } else {
    for (const item of input) addItem(history, item, options);
  }
  flushImages(history);
  // one leading system prompt, and user/assistant turns that alternate (case 20): what strict
  // chat templates require (Mistral, vLLM's) and what Codex's developer messages would break
  let messages = mergeAdjacent(leadingSystem(history.messages, '\n\n'));
  if (options.replayReasoning) requireReasoningOnToolTurns(messages);
  if (options.noUserAfterTool) messages = bridgeToolToUser(messages);
  return { messages, warnings: history.warnings };
}

function addItem(history: HistoryBuilder, item: unknown, options: InputOptions): void {
  if (!isObject(item)) {
    history.warnings.push('dropped an input item that is not an object');
    return;
  }
  const type = item.type ?? (item.role === undefined ? undefined : 'message');
  switch (type) {
    case 'message':
      addMessage(history, item, options);
      return;
    case 'function_call': {
      const name = options.names.upstreamName(asString(item.name) ?? '', nonEmpty(item.namespace));
      addToolCall(history, callId(item, options), name, nonEmpty(item.arguments) ?? '{}');
      return;
    }
    case 'custom_tool_call': {
      const name = options.names.upstreamName(asString(item.name) ?? '', nonEmpty(item.namespace));
      addToolCall(history, callId(item, options), name, JSON.stringify({ input: asString(item.input) ?? '' }));
      return;
    }
    case 'function_call_output':
    case 'custom_tool_call_output': {
      const { text, images } = toolOutput(item.output, history.warnings);
      history.messages.push({ role: 'tool', tool_call_id: callId(item, options), content: text });
      history.pendingImages.push(...images);
      return;
    }
    case 'reasoning': {
      const signed = options.signedOwner === undefined ? undefined : decodeSignedReasoning(item.encrypted_content);
      // another profile's signature would be refused: that thinking stays behind
      if (signed !== undefined && signed.owner === options.signedOwner) history.pendingSigned.push(...signed.blocks);
      else if (options.replayReasoning) holdReasoning(history, reasoningText(item));
      return;
    }
    default:
      history.warnings.push(`dropped an input item of type ${String(type)}: the Chat upstream has no equivalent`);
  }
}

function addMessage(history: HistoryBuilder, item: JsonObject, options: InputOptions): void {
  switch (item.role) {
    case 'system':
    case 'developer': {
      const content = textContent(item.content, item.role, history.warnings);
      if (content.length > 0) pushMessage(history, { role: 'system', content });
      return;
    }
    case 'assistant': {
      const content = textContent(item.content, 'assistant', history.warnings);
      if (content.length === 0) return;
      const last = history.messages.at(-1);
      // Text between calls and their outputs (the model wrote it after a call): the calls' turn,
      // so that the tool messages still follow the message that made the calls.
      if (last?.role === 'assistant' && (last.tool_calls?.length ?? 0) > 0) {
        last.content =
          typeof last.content === 'string' && last.content !== '' ? `${last.content}\n${content}` : content;
        return;
      }
      pushMessage(history, { role: 'assistant', content });
      return;
    }
    case 'user': {
      const content = userContent(item.content, options.fileParts, history.warnings);
      if (content.length > 0) pushMessage(history, { role: 'user', content });
      return;
    }
    default:
      history.warnings.push(`dropped a message with role ${String(item.role)}`);
  }
}

function pushMessage(history: HistoryBuilder, message: ChatMessage): void {
  flushImages(history);
  if (message.role !== 'assistant') {
    history.pendingReasoning = undefined;
    history.pendingSigned = [];
  }
  history.messages.push(message);
}

/** Consecutive calls, and the assistant text right before them, form one assistant turn (case 106). */
function addToolCall(history: HistoryBuilder, id: string, name: string, args: string): void {
  const call: ChatToolCall = { id, type: 'function', function: { name, arguments: args } };
  const last = history.messages.at(-1);
  let turn: AssistantMessage;
  if (last?.role === 'assistant') {
    turn = last;
  } else {
    turn = { role: 'assistant', content: null };
    pushMessage(history, turn);
  }
  turn.tool_calls = [...(turn.tool_calls ?? []), call];
  if (history.pendingReasoning !== undefined) {
    turn.reasoning_content = (turn.reasoning_content ?? '') + history.pendingReasoning;
    history.pendingReasoning = undefined;
  }
  if (history.pendingSigned.length > 0) {
    turn.reasoning_details = [...(turn.reasoning_details ?? []), ...history.pendingSigned.map(signedDetail)];
    history.pendingSigned = [];
  }
}

function flushImages(history: HistoryBuilder): void {
  if (history.pendingImages.length === 0) return;
  history.messages.push({ role: 'user', content: history.pendingImages });
  history.pendingImages = [];
}

function holdReasoning(history: HistoryBuilder, text: string): void {
  if (text.length === 0) return;
  history.pendingReasoning = history.pendingReasoning === undefined ? text : `${history.pendingReasoning}\n${text}`;
}

/** The full reasoning text when the client kept it, else the summary. */
function reasoningText(item: JsonObject): string {
  const texts = (list: unknown) =>
    (asArray(list) ?? []).flatMap((part) => (isObject(part) && typeof part.text === 'string' ? [part.text] : []));
  const content = texts(item.content);
  return (content.length > 0 ? content : texts(item.summary)).join('\n');
}

/**
 * DeepSeek thinking mode rejects a tool-call turn without `reasoning_content` ("Missing
 * reasoning_content field", protocol-notes §2.5); turns whose reasoning the client did not keep
 * (e.g. made by another provider) get an empty one.
 */
function requireReasoningOnToolTurns(messages: ChatMessage[]): void {
  for (const message of messages) {
    if (message.role === 'assistant' && message.tool_calls !== undefined && message.reasoning_content === undefined) {
      message.reasoning_content = '';
    }
  }
}

function callId(item: JsonObject, options: InputOptions): string {
  const id = nonEmpty(item.call_id);
  if (id === undefined) throw new ConversionError(`${String(item.type)} input item without a call_id`);
  return options.shortToolIds ? shortToolIdFor(id) : id;
}
