import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../openai-chat/types.js';
import { ConversionError, type ConvertOptions, type ProviderQuirks } from '../types.js';
import { convertRequest } from './request.js';

const options = (quirks: ProviderQuirks = {}): ConvertOptions => ({ upstreamModel: 'up-model', quirks, now: 1 });
const messagesOf = (body: object, quirks?: ProviderQuirks) =>
  (convertRequest({ model: 'gpt-5-codex', ...body }, options(quirks)).body as ChatRequest).messages;
const text = (t: string) => ({ type: 'input_text', text: t });

describe('input items → Chat messages', () => {
  it('case 104: instructions → first system message; an input string → one user message', () => {
    expect(messagesOf({ instructions: 'Be brief.', input: 'hi' })).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hi' },
    ]);
  });

  it('case 104: instructions given as input items come first, in order', () => {
    const instructions = [
      { role: 'developer', content: [text('A')] },
      { role: 'system', content: 'B' },
    ];
    expect(messagesOf({ instructions, input: 'hi' })).toEqual([
      { role: 'system', content: 'A\n\nB' },
      { role: 'user', content: 'hi' },
    ]);
  });

  it('case 104: empty instructions add no system message', () => {
    expect(messagesOf({ instructions: '', input: 'hi' })).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('case 105 + 20: developer and system items join the one leading system message; same-role neighbours merge; single text parts collapse; ids dropped', () => {
    const input = [
      { type: 'message', id: 'msg_a', role: 'developer', content: [text('Rules.')] },
      { type: 'message', id: 'msg_b', role: 'user', content: [text('Question?')] },
      {
        type: 'message',
        id: 'msg_c',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Answer.', annotations: [] }],
      },
      { role: 'system', content: 'Mid-conversation note.' }, // EasyInputMessage: no type
      { type: 'message', role: 'user', content: [text('line 1'), text('line 2')] },
      { type: 'message', role: 'user', content: [text('more')] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'A1.', annotations: [] }] },
      { role: 'developer', content: 'Late rule.' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'A2.', annotations: [] }] },
    ];
    // Mistral: 400 "Unexpected role 'system' after role 'assistant'"; vLLM templates: roles must alternate
    expect(messagesOf({ instructions: 'Base.', input })).toEqual([
      { role: 'system', content: 'Base.\n\nRules.\n\nMid-conversation note.\n\nLate rule.' },
      { role: 'user', content: 'Question?' },
      { role: 'assistant', content: 'Answer.' },
      { role: 'user', content: 'line 1\nline 2\nmore' },
      { role: 'assistant', content: 'A1.\nA2.' },
    ]);
  });

  it('case 105: input_image → image_url part, text and image order kept', () => {
    const input = [
      {
        role: 'user',
        content: [
          text('What is this?'),
          { type: 'input_image', image_url: 'data:image/png;base64,AAA', detail: 'high' },
        ],
      },
    ];
    expect(messagesOf({ input })).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAA', detail: 'high' } },
        ],
      },
    ]);
  });

  it('case 105: input_file → file part where the provider takes files, else a clear ConversionError', () => {
    const input = [
      {
        role: 'user',
        content: [{ type: 'input_file', filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBER' }],
      },
    ];
    expect(messagesOf({ input }, { fileParts: true })).toEqual([
      {
        role: 'user',
        content: [{ type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBER' } }],
      },
    ]);
    expect(() => messagesOf({ input })).toThrow(ConversionError);
  });

  it('case 106: consecutive function_call items and the assistant text before them → one assistant message', () => {
    const input = [
      { role: 'user', content: 'Add and multiply.' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'On it.' }] },
      { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'add', arguments: '{"a":1}' },
      { type: 'function_call', id: 'fc_2', call_id: 'call_2', name: 'mul', arguments: '' },
      { type: 'function_call_output', call_id: 'call_1', output: '2' },
      { type: 'function_call_output', call_id: 'call_2', output: '6' },
    ];
    expect(messagesOf({ input })).toEqual([
      { role: 'user', content: 'Add and multiply.' },
      {
        role: 'assistant',
        content: 'On it.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'add', arguments: '{"a":1}' } },
          { id: 'call_2', type: 'function', function: { name: 'mul', arguments: '{}' } }, // never ""
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '2' },
      { role: 'tool', tool_call_id: 'call_2', content: '6' },
    ]);
  });

  it("case 106: text the model wrote after its calls (replayed between the calls and their outputs) joins the calls' turn", () => {
    const input = [
      { role: 'user', content: 'List files.' },
      { type: 'function_call', call_id: 'call_1', name: 'ls', arguments: '{}' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Listing now.' }] },
      { type: 'function_call_output', call_id: 'call_1', output: 'a.txt' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'One file.' }] },
    ];
    expect(messagesOf({ input })).toEqual([
      { role: 'user', content: 'List files.' },
      {
        role: 'assistant',
        content: 'Listing now.',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'ls', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'a.txt' },
      { role: 'assistant', content: 'One file.' },
    ]);
  });

  it('case 106: a function_call without assistant text → assistant content null', () => {
    const input = [{ type: 'function_call', call_id: 'call_1', name: 'ls', arguments: '{}' }];
    expect(messagesOf({ input })).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'ls', arguments: '{}' } }],
      },
    ]);
  });

  it('case 107: function_call_output with an array output → joined text; images follow the tool messages', () => {
    const input = [
      { type: 'function_call', call_id: 'call_1', name: 'view_image', arguments: '{"path":"a.png"}' },
      { type: 'function_call', call_id: 'call_2', name: 'ls', arguments: '{}' },
      {
        type: 'function_call_output',
        call_id: 'call_1',
        output: [text('Image:'), { type: 'input_image', image_url: 'data:image/png;base64,AAA' }],
      },
      { type: 'function_call_output', call_id: 'call_2', output: [text('a.png'), text('b.txt')] },
      { role: 'user', content: 'Thanks' },
    ];
    expect(messagesOf({ input }).slice(1)).toEqual([
      { role: 'tool', tool_call_id: 'call_1', content: 'Image:' },
      { role: 'tool', tool_call_id: 'call_2', content: 'a.png\nb.txt' },
      // the images' user message and the next one are one turn
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAA' } },
          { type: 'text', text: 'Thanks' },
        ],
      },
    ]);
  });

  it('case 108: reasoning items are dropped for Chat targets', () => {
    const input = [
      { role: 'user', content: 'q' },
      {
        type: 'reasoning',
        id: 'rs_1',
        summary: [{ type: 'summary_text', text: 'thinking' }],
        encrypted_content: 'gAAAA',
      },
      { type: 'function_call', call_id: 'call_1', name: 'ls', arguments: '{}' },
    ];
    expect(messagesOf({ input })[1]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'ls', arguments: '{}' } }],
    });
  });

  it('case 108: DeepSeek → reasoning text becomes reasoning_content on the next tool-call turn only', () => {
    const input = [
      { role: 'user', content: 'q1' },
      { type: 'reasoning', summary: [{ type: 'summary_text', text: 'plan' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Looking.' }] },
      { type: 'function_call', call_id: 'call_1', name: 'ls', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'a' },
      { type: 'reasoning', content: [{ type: 'reasoning_text', text: 'final thoughts' }], summary: [] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Done.' }] },
      { role: 'user', content: 'q2' },
      { type: 'function_call', call_id: 'call_2', name: 'ls', arguments: '{}' }, // replayed from another provider
    ];
    const messages = messagesOf({ input }, { reasoning: 'deepseek' });
    expect(messages[1]).toMatchObject({ role: 'assistant', content: 'Looking.', reasoning_content: 'plan' });
    expect(messages[3]).toEqual({ role: 'assistant', content: 'Done.' }); // no tool calls: not attached
    expect(messages[5]).toMatchObject({ role: 'assistant', reasoning_content: '' }); // required on tool turns
  });

  it('case 109: custom_tool_call → assistant tool call with JSON {input}; its output → tool message', () => {
    const patch = '*** Begin Patch\n*** End Patch';
    const input = [
      { type: 'custom_tool_call', id: 'ctc_1', call_id: 'call_p', name: 'apply_patch', input: patch },
      { type: 'custom_tool_call_output', call_id: 'call_p', output: 'Done!' },
    ];
    const tools = [{ type: 'custom', name: 'apply_patch', format: { type: 'text' } }];
    expect(messagesOf({ input, tools })).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_p',
            type: 'function',
            function: { name: 'apply_patch', arguments: JSON.stringify({ input: patch }) },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_p', content: 'Done!' },
    ]);
  });

  it('namespaced function_call items → the flattened name (with or without their namespace field)', () => {
    const tools = [{ type: 'namespace', name: 'multi_agent_v1', tools: [{ type: 'function', name: 'spawn_agent' }] }];
    const input = [
      { type: 'function_call', call_id: 'c1', name: 'spawn_agent', namespace: 'multi_agent_v1', arguments: '{}' },
      { type: 'function_call', call_id: 'c2', name: 'spawn_agent', arguments: '{}' },
    ];
    const [assistant] = messagesOf({ input, tools });
    expect(assistant).toMatchObject({
      tool_calls: [
        { id: 'c1', function: { name: 'multi_agent_v1__spawn_agent' } },
        { id: 'c2', function: { name: 'multi_agent_v1__spawn_agent' } },
      ],
    });
  });

  it('unknown item types (local_shell_call, item_reference) are dropped with a warning', () => {
    const input = [
      { role: 'user', content: 'q' },
      { type: 'local_shell_call', call_id: 'c', action: { type: 'exec', command: ['ls'] }, status: 'completed' },
      { type: 'item_reference', id: 'msg_x' },
    ];
    const converted = convertRequest({ model: 'm', input }, options());
    expect((converted.body as ChatRequest).messages).toEqual([{ role: 'user', content: 'q' }]);
    expect(converted.warnings).toEqual([
      'dropped an input item of type local_shell_call: the Chat upstream has no equivalent',
      'dropped an input item of type item_reference: the Chat upstream has no equivalent',
    ]);
  });

  it('a function_call without call_id is a ConversionError', () => {
    expect(() => messagesOf({ input: [{ type: 'function_call', name: 'f', arguments: '{}' }] })).toThrow(
      'function_call input item without a call_id',
    );
  });
});
