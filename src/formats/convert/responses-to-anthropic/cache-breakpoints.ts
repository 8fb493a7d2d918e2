import type { AnthropicContentBlock, AnthropicRequest, CacheControl } from '../../anthropic/types.js';

// Anthropic caches a prompt prefix only up to a block marked with `cache_control`. A coder's
// client sends the same tools and system prompt, and the same history plus a little more, on every
// turn of its agent loop; Codex (a Responses client) has no way to mark them. So the converted
// request gets two breakpoints: the end of the system prompt (tools and instructions) and the end
// of the last message (the whole history, read back on the next turn). A prompt shorter than the
// model's minimum is simply not cached; a request that marks anything itself is left as it is.

const EPHEMERAL: CacheControl = { type: 'ephemeral' };

/** Blocks that may carry `cache_control` (thinking blocks may not). */
const MARKABLE = new Set(['text', 'image', 'document', 'tool_use', 'tool_result']);

/** `body` with cache breakpoints on its system prompt and last message, unless it has its own. */
export function withCacheBreakpoints(body: AnthropicRequest): AnthropicRequest {
  if (hasBreakpoint(body)) return body;
  const out: AnthropicRequest = { ...body };
  if (typeof body.system === 'string' && body.system !== '')
    out.system = [{ type: 'text', text: body.system, cache_control: EPHEMERAL }];
  else if (Array.isArray(body.system) && body.system.length > 0)
    out.system = body.system.map((block, i, all) =>
      i === all.length - 1 ? { ...block, cache_control: EPHEMERAL } : block,
    );
  const last = body.messages.at(-1);
  if (last !== undefined) {
    const content: AnthropicContentBlock[] =
      typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : last.content;
    const at = content.findLastIndex((block) => MARKABLE.has(block.type) && !isEmptyText(block));
    if (at >= 0) {
      const marked = content.map((block, i) => (i === at ? { ...block, cache_control: EPHEMERAL } : block));
      out.messages = [...body.messages.slice(0, -1), { ...last, content: marked as AnthropicContentBlock[] }];
    }
  }
  return out;
}

/** Anthropic refuses `cache_control` on an empty text block. */
const isEmptyText = (block: AnthropicContentBlock) => block.type === 'text' && block.text === '';

function hasBreakpoint(body: AnthropicRequest): boolean {
  const marked = (blocks: readonly unknown[] | undefined) =>
    blocks?.some((b) => typeof b === 'object' && b !== null && 'cache_control' in b) ?? false;
  if (Array.isArray(body.system) && marked(body.system)) return true;
  if (marked(body.tools)) return true;
  return body.messages.some((m) => Array.isArray(m.content) && marked(m.content));
}
