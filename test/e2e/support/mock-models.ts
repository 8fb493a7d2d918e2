import type { ServerResponse } from 'node:http';
import { json, type MockHandler, type RecordedRequest, writeSse } from '../../helpers/mock-upstream.js';

/**
 * Tiny deterministic "models" for end-to-end runs of real coders: on a user prompt with the shell
 * tool on offer they call it; once the tool's output comes back they answer with a text that
 * quotes it. Each answer reports the usage given for its turn, so the totals a coder prints can
 * be checked against what the upstream reported.
 */

/** Usage of one upstream response, in OpenAI terms: `input` counts cached tokens too. */
export interface TurnUsage {
  input: number;
  cached: number;
  output: number;
}

export interface MockModelOptions {
  /** The tool to call (it must be in the request's tools). */
  tool: string;
  /** The tool-call arguments. */
  args: Record<string, unknown>;
  /** Usage reported by the n-th model request (the last entry repeats). */
  usage: readonly TurnUsage[];
}

export const FINAL_PREFIX = 'Done. The tool said: ';

/** The answer the mock gives once it saw `toolOutput`: the last non-empty line of it, quoted. */
export function finalAnswer(toolOutput: string): string {
  const lines = toolOutput
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return `${FINAL_PREFIX}${lines.at(-1) ?? '(nothing)'}`;
}

type Reply = { kind: 'tool'; name: string; args: string } | { kind: 'text'; text: string };

/** Splits a string into `n` roughly equal, non-empty pieces (to stream it over several chunks). */
export function pieces(text: string, n = 3): string[] {
  const size = Math.max(1, Math.ceil(text.length / n));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

const textOf = (content: unknown): string => {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((part) =>
        typeof part === 'string' ? part : typeof part?.text === 'string' ? part.text : textOf(part?.content),
      )
      .join('\n');
  return '';
};

const usageFor = (options: MockModelOptions, turn: number): TurnUsage =>
  options.usage[Math.min(turn, options.usage.length - 1)]!;

// ---------------------------------------------------------------- OpenAI Chat Completions

function chatReply(body: any, options: MockModelOptions): Reply {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  const last = messages.at(-1);
  if (last?.role === 'tool') return { kind: 'text', text: finalAnswer(textOf(last.content)) };
  const offered = (body?.tools ?? []).some((t: any) => t?.function?.name === options.tool);
  if (last?.role === 'user' && offered) return { kind: 'tool', name: options.tool, args: JSON.stringify(options.args) };
  return { kind: 'text', text: `The mock model was not offered the ${options.tool} tool.` };
}

const chatUsage = (u: TurnUsage) => ({
  prompt_tokens: u.input,
  completion_tokens: u.output,
  total_tokens: u.input + u.output,
  prompt_tokens_details: { cached_tokens: u.cached },
});

/**
 * `POST /v1/chat/completions`: streams `data:` chunks (role, content or tool-call argument pieces,
 * a finish chunk, the `choices: []` usage chunk when `stream_options.include_usage` asks for it,
 * `[DONE]`), or a plain completion when `stream` is not set.
 */
export function chatModel(options: MockModelOptions): MockHandler {
  let turn = 0;
  return async (req: RecordedRequest, res: ServerResponse) => {
    if (req.method !== 'POST' || !req.url.startsWith('/v1/chat/completions'))
      return json(res, 404, { error: { message: `mock: no route for ${req.method} ${req.url}`, type: 'not_found' } });
    const usage = usageFor(options, turn);
    const n = ++turn;
    const reply = chatReply(req.json, options);
    const id = `chatcmpl-mock-${n}`;
    const model = req.json?.model ?? 'mock-model';
    const callId = `call_mock_${n}`;
    if (req.json?.stream !== true) {
      const message =
        reply.kind === 'tool'
          ? {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: callId, type: 'function', function: { name: reply.name, arguments: reply.args } }],
            }
          : { role: 'assistant', content: reply.text };
      return json(res, 200, {
        id,
        object: 'chat.completion',
        created: 1_700_000_000,
        model,
        choices: [{ index: 0, message, finish_reason: reply.kind === 'tool' ? 'tool_calls' : 'stop' }],
        usage: chatUsage(usage),
      });
    }
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1_700_000_000, model, choices, ...extra })}\n\n`;
    const delta = (d: Record<string, unknown>, finish: string | null = null) =>
      chunk([{ index: 0, delta: d, finish_reason: finish }]);
    const out: string[] = [delta({ role: 'assistant', content: '' })];
    if (reply.kind === 'tool') {
      out.push(
        delta({
          tool_calls: [{ index: 0, id: callId, type: 'function', function: { name: reply.name, arguments: '' } }],
        }),
      );
      for (const piece of pieces(reply.args))
        out.push(delta({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
      out.push(delta({}, 'tool_calls'));
    } else {
      for (const piece of pieces(reply.text)) out.push(delta({ content: piece }));
      out.push(delta({}, 'stop'));
    }
    if (req.json?.stream_options?.include_usage === true) out.push(chunk([], { usage: chatUsage(usage) }));
    out.push('data: [DONE]\n\n');
    await writeSse(res, out);
  };
}

// ---------------------------------------------------------------- Anthropic Messages

function anthropicReply(body: any, options: MockModelOptions): Reply {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  const last = messages.at(-1);
  const results = Array.isArray(last?.content) ? last.content.filter((b: any) => b?.type === 'tool_result') : [];
  if (last?.role === 'user' && results.length > 0)
    return { kind: 'text', text: finalAnswer(textOf(results.at(-1).content)) };
  const offered = (body?.tools ?? []).some((t: any) => t?.name === options.tool);
  if (last?.role === 'user' && offered) return { kind: 'tool', name: options.tool, args: JSON.stringify(options.args) };
  return { kind: 'text', text: `The mock model was not offered the ${options.tool} tool.` };
}

/**
 * `POST /v1/messages`: the full event sequence of the real API (message_start with the input
 * usage, one content block, message_delta with the output usage, message_stop), or a plain
 * message when `stream` is not set. `input_tokens` excludes cache reads, as Anthropic counts.
 */
export function anthropicModel(options: MockModelOptions): MockHandler {
  let turn = 0;
  return async (req: RecordedRequest, res: ServerResponse) => {
    if (req.method !== 'POST' || !req.url.startsWith('/v1/messages'))
      return json(res, 404, {
        type: 'error',
        error: { type: 'not_found_error', message: `mock: no route for ${req.method} ${req.url}` },
      });
    const usage = usageFor(options, turn);
    const n = ++turn;
    const reply = anthropicReply(req.json, options);
    const id = `msg_mock_${n}`;
    const model = req.json?.model ?? 'mock-model';
    const inputUsage = {
      input_tokens: usage.input - usage.cached,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: usage.cached,
    };
    const stopReason = reply.kind === 'tool' ? 'tool_use' : 'end_turn';
    const block =
      reply.kind === 'tool'
        ? { type: 'tool_use', id: `toolu_mock_${n}`, name: reply.name, input: {} }
        : { type: 'text', text: '' };
    if (req.json?.stream !== true) {
      return json(res, 200, {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [
          reply.kind === 'tool' ? { ...block, input: JSON.parse(reply.args) } : { type: 'text', text: reply.text },
        ],
        stop_reason: stopReason,
        stop_sequence: null,
        usage: { ...inputUsage, output_tokens: usage.output },
      });
    }
    const event = (type: string, data: Record<string, unknown>) =>
      `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
    const out = [
      event('message_start', {
        message: {
          id,
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...inputUsage, output_tokens: 1 },
        },
      }),
      event('content_block_start', { index: 0, content_block: block }),
      event('ping', {}),
    ];
    if (reply.kind === 'tool')
      for (const piece of pieces(reply.args))
        out.push(event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: piece } }));
    else
      for (const piece of pieces(reply.text))
        out.push(event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } }));
    out.push(
      event('content_block_stop', { index: 0 }),
      event('message_delta', {
        delta: { stop_reason: stopReason, stop_sequence: null },
        usage: { output_tokens: usage.output },
      }),
      event('message_stop', {}),
    );
    await writeSse(res, out);
  };
}

/** One upstream request, short enough for an assertion message: the parts a tool loop depends on. */
export function summarizeRequest(r: RecordedRequest): string {
  const body = r.json;
  if (!body) return `${r.method} ${r.url} (${r.body.length} B, not JSON)`;
  const short = (v: unknown) => {
    const text = JSON.stringify(v) ?? '';
    return text.length > 600 ? `${text.slice(0, 300)}…${text.slice(-300)}` : text;
  };
  return [
    `${r.method} ${r.url} (${r.body.length} B) model=${body.model} stream=${body.stream}`,
    `  tools: ${(body.tools ?? []).map((t: any) => t?.name ?? t?.function?.name ?? t?.type).join(', ')}`,
    ...(body.messages ?? []).slice(-3).map((m: any) => `  ${m.role}: ${short(m.content ?? m.tool_calls)}`),
  ].join('\n');
}
