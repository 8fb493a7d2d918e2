import { describe, expect, it } from 'vitest';
import { mapMessages, PLACEHOLDER_USER_TEXT, parseArguments } from './map-messages.js';

const text = (t: string) => ({ type: 'text', text: t });

describe('mapMessages', () => {
  it('case 132: system and developer messages anywhere → system blocks in order, none left in messages', () => {
    const out = mapMessages([
      { role: 'system', content: 'You are X' },
      { role: 'user', content: 'hi' },
      { role: 'developer', content: [text('Be brief'), text('')] },
      { role: 'assistant', content: 'hello' },
      { role: 'system', content: 'Late rule' },
      { role: 'user', content: 'go' },
    ]);
    expect(out.system).toEqual([text('You are X'), text('Be brief'), text('Late rule')]);
    expect(out.messages).toEqual([
      { role: 'user', content: [text('hi')] },
      { role: 'assistant', content: [text('hello')] },
      { role: 'user', content: [text('go')] },
    ]);
    expect(out.warnings).toEqual([
      'messages[2] (developer) was moved into the top-level system prompt',
      'messages[4] (system) was moved into the top-level system prompt',
    ]);
  });

  it('case 133: consecutive tool messages → one user turn of tool_results in order, then the next user content', () => {
    const out = mapMessages([
      { role: 'user', content: 'weather in Paris and Tokyo?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '18 C' },
      { role: 'tool', tool_call_id: 'call_2', content: [text('25 C'), text('humid')] },
      { role: 'user', content: 'and tomorrow?' },
    ]);
    expect(out.messages).toEqual([
      { role: 'user', content: [text('weather in Paris and Tokyo?')] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'get_weather', input: { city: 'Tokyo' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '18 C' },
          { type: 'tool_result', tool_use_id: 'call_2', content: [text('25 C'), text('humid')] },
          text('and tomorrow?'),
        ],
      },
    ]);
    expect(out.warnings).toEqual([]);
  });

  it('tool message with empty content → tool_result without content (never dropped)', () => {
    const out = mapMessages([
      { role: 'user', content: 'x' },
      {
        role: 'assistant',
        content: '',
        tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '' } }],
      },
      { role: 'tool', tool_call_id: 'c', content: '' },
    ]);
    expect(out.messages.at(-1)).toEqual({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c' }] });
  });

  it('case 134: assistant content + tool_calls → text + tool_use; "" arguments → {}', () => {
    const out = mapMessages([
      { role: 'user', content: 'read a' },
      {
        role: 'assistant',
        content: 'Let me look',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'Read', arguments: '{"path":"a"}' } },
          { id: 'call_2', type: 'function', function: { name: 'List', arguments: '' } },
        ],
      },
    ]);
    expect(out.messages[1]).toEqual({
      role: 'assistant',
      content: [
        text('Let me look'),
        { type: 'tool_use', id: 'call_1', name: 'Read', input: { path: 'a' } },
        { type: 'tool_use', id: 'call_2', name: 'List', input: {} },
      ],
    });
  });

  it('case 134: unparsable arguments → no crash and no 400: kept as text, with a warning naming the tool call', () => {
    // a call cut off by a token limit, or a provider's slip: it is history now, and a 400 would
    // refuse every later request of the session (the client cannot edit its history)
    const messages = [
      { role: 'user', content: 'x' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'Read', arguments: '{"p":1' } }],
      },
      { role: 'tool', tool_call_id: 'call_9', content: 'failed to parse the arguments' },
    ];
    const out = mapMessages(messages);
    expect(out.messages[1]!.content).toEqual([
      { type: 'tool_use', id: 'call_9', name: 'Read', input: { _raw_arguments: '{"p":1' } },
    ]);
    expect(out.warnings).toEqual([
      expect.stringMatching(
        /^messages\[1\]\.tool_calls\[0\] \(id call_9, function Read\): arguments are not valid JSON/,
      ),
    ]);
  });

  it('signed thinking in reasoning_details (OpenRouter style) goes back first, unchanged; unsigned details do not', () => {
    const out = mapMessages([
      { role: 'user', content: 'x' },
      {
        role: 'assistant',
        content: null,
        reasoning_content: 'Let me look.',
        reasoning_details: [
          { type: 'reasoning.text', text: 'Let me look.', signature: 'sig-1' },
          { type: 'reasoning.text', text: 'no signature' },
          { type: 'reasoning.encrypted', data: 'opaque' },
        ],
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'Read', arguments: '{}' } }],
      },
    ]);
    expect(out.messages[1]!.content).toEqual([
      { type: 'thinking', thinking: 'Let me look.', signature: 'sig-1' },
      { type: 'tool_use', id: 'call_1', name: 'Read', input: {} },
    ]);
    expect(out.warnings).toEqual([]);
  });

  it('assistant reasoning_content is dropped (never sent as a forged thinking block), with one warning', () => {
    const out = mapMessages([
      { role: 'user', content: 'x' },
      { role: 'assistant', content: 'a', reasoning_content: 'because' },
      { role: 'user', content: 'y' },
      { role: 'assistant', content: 'b', reasoning_content: 'since' },
    ]);
    expect(out.messages[1]).toEqual({ role: 'assistant', content: [text('a')] });
    expect(out.warnings).toEqual([
      'assistant reasoning was not forwarded: Anthropic only accepts thinking blocks it signed',
    ]);
  });

  it('consecutive same-role messages are merged (Anthropic requires alternation); empty ones dropped', () => {
    const out = mapMessages([
      { role: 'user', content: 'a' },
      { role: 'assistant', content: '' },
      { role: 'user', content: [text('b'), { type: 'image_url', image_url: { url: 'https://x/i.png' } }] },
      { role: 'assistant', content: 'c' },
      { role: 'assistant', content: [text('d')] },
    ]);
    expect(out.messages).toEqual([
      {
        role: 'user',
        content: [text('a'), text('b'), { type: 'image', source: { type: 'url', url: 'https://x/i.png' } }],
      },
      { role: 'assistant', content: [text('c'), text('d')] },
    ]);
    expect(out.warnings).toEqual(['messages[1] (assistant) has no content and was dropped']);
  });

  it('a conversation that starts with an assistant turn gets a placeholder user turn, and says so', () => {
    const out = mapMessages([
      { role: 'system', content: 'S' },
      { role: 'assistant', content: 'Hi, how can I help?' },
      { role: 'user', content: 'q' },
    ]);
    expect(out.messages[0]).toEqual({ role: 'user', content: [text(PLACEHOLDER_USER_TEXT)] });
    expect(out.warnings).toEqual([
      'inserted a placeholder user message ("."): Anthropic requires the conversation to start with a user turn',
    ]);
  });

  it('a system-only request also gets the placeholder (Anthropic needs one message)', () => {
    const out = mapMessages([{ role: 'system', content: 'Say hi' }]);
    expect(out.messages).toEqual([{ role: 'user', content: [text('.')] }]);
    expect(out.system).toEqual([text('Say hi')]);
  });

  it('a final assistant prefill loses trailing whitespace (Anthropic rejects it)', () => {
    const out = mapMessages([
      { role: 'user', content: 'x' },
      { role: 'assistant', content: 'The answer is ' },
    ]);
    expect(out.messages[1]).toEqual({ role: 'assistant', content: [text('The answer is')] });
  });

  it('case 40: tool ids outside ^[a-zA-Z0-9_-]+$ are rewritten the same way in tool_use and tool_result', () => {
    const out = mapMessages([
      { role: 'user', content: 'x' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'functions.add:0', type: 'function', function: { name: 'add', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'functions.add:0', content: '3' },
    ]);
    expect(out.messages[1]?.content).toEqual([{ type: 'tool_use', id: 'functions_add_0', name: 'add', input: {} }]);
    expect(out.messages[2]?.content).toEqual([{ type: 'tool_result', tool_use_id: 'functions_add_0', content: '3' }]);
  });

  it.each([
    [[], 'messages must be a non-empty array'],
    [[{ role: 'function', name: 'f', content: 'x' }], 'legacy role "function"'],
    [[{ role: 'critic', content: 'x' }], 'unknown role "critic"'],
    [['hi'], 'messages[0] must be an object'],
    [[{ role: 'tool', content: 'x' }], 'messages[0]: a tool call id is required'],
    [
      [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{}' } },
      ],
      'legacy function_call',
    ],
  ])('rejects %j', (messages, message) => {
    expect(() => mapMessages(messages)).toThrow(message);
  });
});

describe('parseArguments', () => {
  it.each([
    ['', {}],
    ['  ', {}],
    [undefined, {}],
    ['{"a":[1,2]}', { a: [1, 2] }],
    [{ already: 'object' }, { already: 'object' }],
  ])('%j → %j', (args, expected) => {
    const warnings: string[] = [];
    expect(parseArguments(args, 'call', warnings)).toEqual(expected);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['[1]', 'not a JSON object'],
    ['"x"', 'not a JSON object'],
    ['null', 'not a JSON object'],
    ['{"cmd":"cat > big.txt <<EOF\nli', 'not valid JSON'], // a call cut off by max_tokens
  ])('%j is kept as text, with a warning (history must not be refused)', (args, reason) => {
    const warnings: string[] = [];
    expect(parseArguments(args, 'call', warnings)).toEqual({ _raw_arguments: args });
    expect(warnings).toEqual([expect.stringContaining(`call: arguments are ${reason}`)]);
  });
});

describe('tool ids (case 40, and unique across the conversation)', () => {
  const call = (id: string) => ({ id, type: 'function', function: { name: 'f', arguments: '{}' } });
  const idsOf = (messages: unknown[]) =>
    mapMessages(messages).messages.flatMap((m) =>
      (typeof m.content === 'string' ? [] : m.content).flatMap((b) =>
        b.type === 'tool_use' ? [b.id] : b.type === 'tool_result' ? [`result:${b.tool_use_id}`] : [],
      ),
    );

  it('keeps valid ids and rewrites the rest, on the call and its result alike', () => {
    expect(
      idsOf([
        { role: 'user', content: 'q' },
        { role: 'assistant', content: null, tool_calls: [call('toolu_01AbC-d'), call('call:1/2')] },
        { role: 'tool', tool_call_id: 'toolu_01AbC-d', content: 'a' },
        { role: 'tool', tool_call_id: 'call:1/2', content: 'b' },
      ]),
    ).toEqual(['toolu_01AbC-d', 'call_1_2', 'result:toolu_01AbC-d', 'result:call_1_2']);
  });

  it('an id used again in a later turn (call_0 in every answer), or two ids the rewrite makes equal, become unique; each result answers its own call', () => {
    // Anthropic: 400 "`tool_use` ids must be unique"
    const messages = [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: null, tool_calls: [call('call_0')] },
      { role: 'tool', tool_call_id: 'call_0', content: 'first' },
      { role: 'assistant', content: null, tool_calls: [call('call_0')] },
      { role: 'tool', tool_call_id: 'call_0', content: 'second' },
      { role: 'assistant', content: null, tool_calls: [call('functions.read:2'), call('functions.read_2')] },
      { role: 'tool', tool_call_id: 'functions.read_2', content: 'D' },
      { role: 'tool', tool_call_id: 'functions.read:2', content: 'C' },
    ];
    expect(idsOf(messages)).toEqual([
      'call_0',
      'result:call_0',
      'call_0_2',
      'result:call_0_2',
      'functions_read_2',
      'functions_read_2_2',
      'result:functions_read_2_2',
      'result:functions_read_2',
    ]);
    expect(idsOf(messages)).toEqual(idsOf(messages)); // the same history, the same ids: a prompt cache holds
  });
});
