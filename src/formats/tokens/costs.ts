// Fixed costs of the token estimate (protocol-notes cases 100–101). Rough by design: no tokenizer runs on
// the hot path (performance.md); these only have to keep count_tokens in the right range and monotone.

/** One image, whatever its size: Anthropic caps an image at ~1.15 MP ≈ 1,600 tokens (w·h/750). */
export const IMAGE_TOKENS = 1600;
/** OpenAI `detail: "low"` images are a flat 85 tokens. */
export const LOW_DETAIL_IMAGE_TOKENS = 85;
/** A PDF page is text plus a page image: 1,500–3,000 tokens per Anthropic's docs. */
export const PDF_PAGE_TOKENS = 2000;
/** Without parsing the PDF, pages are guessed from its size. */
export const PDF_BYTES_PER_PAGE = 50_000;

/** Role markers and separators around each message. */
export const MESSAGE_OVERHEAD = 4;
/** Framing around each content block (tool_use / tool_result ids and wrappers cost more). */
export const BLOCK_OVERHEAD = 1;
export const TOOL_CALL_OVERHEAD = 12;
export const TOOL_RESULT_OVERHEAD = 8;
/** Per tool definition: its wrapper around name, description and schema. */
export const TOOL_DEFINITION_OVERHEAD = 8;
/** The hidden tool-use system prompt Anthropic adds when `tools` is non-empty (~346 tokens on Claude 4). */
export const ANTHROPIC_TOOLS_PREAMBLE = 346;
/** OpenAI renders tools into a short namespace block before the conversation. */
export const CHAT_TOOLS_PREAMBLE = 12;
/** The assistant turn the model is primed with. */
export const REPLY_PRIMING = 3;
