import type { AnthropicContentBlock, AnthropicMessage } from '../../anthropic/types.js';

/**
 * Anthropic refuses `tool_use` and `tool_result` blocks in a request that defines no tools
 * ("Requests which include tool_use or tool_result blocks must define tools"); OpenAI does not.
 * Clients send such requests when they summarise or title a conversation that used tools. Without
 * tools, the calls and their results are told as text instead: the model still reads what happened.
 * Returns the messages unchanged when they hold no such block.
 */
export function toolHistoryAsText(messages: AnthropicMessage[]): AnthropicMessage[] {
  if (!messages.some(holdsToolBlocks)) return messages;
  return messages.map((message) =>
    holdsToolBlocks(message)
      ? { ...message, content: (message.content as AnthropicContentBlock[]).flatMap(asText) }
      : message,
  );
}

const holdsToolBlocks = (message: AnthropicMessage): boolean =>
  Array.isArray(message.content) && message.content.some((b) => b.type === 'tool_use' || b.type === 'tool_result');

function asText(block: AnthropicContentBlock): AnthropicContentBlock[] {
  if (block.type === 'tool_use')
    return [
      { type: 'text', text: `[called tool ${block.name} (${block.id}) with ${JSON.stringify(block.input ?? {})}]` },
    ];
  if (block.type !== 'tool_result') return [block];
  const head = `[result of tool call ${block.tool_use_id}${block.is_error === true ? ', an error' : ''}]`;
  const content = block.content ?? '';
  if (typeof content === 'string') return [{ type: 'text', text: content === '' ? head : `${head}\n${content}` }];
  // text parts join the head; images and documents stay blocks of their own, after it
  const texts = content.filter((b) => b.type === 'text');
  const others = content.filter((b) => b.type !== 'text');
  const mark = texts.findLast((b) => b.cache_control !== undefined)?.cache_control; // a cache breakpoint stays
  const joined = { type: 'text' as const, text: [head, ...texts.map((b) => b.text)].join('\n') };
  return [mark === undefined ? joined : { ...joined, cache_control: mark }, ...others];
}
