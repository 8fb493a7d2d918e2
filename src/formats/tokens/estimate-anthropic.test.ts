import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnthropicRequest, AnthropicTool } from '../anthropic/types.js';
import { IMAGE_TOKENS } from './costs.js';
import { estimateAnthropicInputTokens as estimate } from './estimate-anthropic.js';

const claudeCode = (name: string): AnthropicRequest =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/claude-code/${name}`, import.meta.url), 'utf8')).body;

const base: AnthropicRequest = { model: 'claude-sonnet-4', messages: [{ role: 'user', content: 'Hello there' }] };
const tool: AnthropicTool = {
  name: 'Read',
  description: 'Reads a file from the local filesystem.',
  input_schema: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] },
};

describe('estimateAnthropicInputTokens', () => {
  it('case 100: never 0 for non-empty input (and at least 1 for an empty one)', () => {
    expect(estimate(base)).toBeGreaterThan(0);
    expect(estimate({ model: 'm', messages: [] })).toBe(3);
    expect(estimate({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).toBeGreaterThanOrEqual(1);
  });

  it('case 101: system, tools and per-message overhead are counted, not just message text', () => {
    const withSystem = { ...base, system: [{ type: 'text' as const, text: 'You are Claude Code. '.repeat(20) }] };
    expect(estimate(withSystem)).toBeGreaterThan(estimate(base) + 90);
    expect(estimate({ ...base, system: 'You are Claude Code. '.repeat(20) })).toBeGreaterThan(estimate(base) + 90);
    const withTool = { ...base, tools: [tool] };
    expect(estimate(withTool)).toBeGreaterThan(estimate(base) + 346); // Anthropic's hidden tool-use preamble + the tool
  });

  it('is monotone: another message, block, tool or longer text never lowers it', () => {
    const steps: AnthropicRequest[] = [
      base,
      { ...base, messages: [...base.messages, { role: 'assistant', content: 'Hi' }] },
      { ...base, messages: [...base.messages, { role: 'assistant', content: 'Hi' }, { role: 'user', content: '' }] },
      { ...base, tools: [tool] },
      { ...base, tools: [tool, { ...tool, name: 'Write' }] },
      { ...base, tools: [tool, { ...tool, name: 'Write' }], system: 'be brief' },
    ];
    for (let i = 1; i < 3; i++)
      expect(estimate(steps[i] as AnthropicRequest)).toBeGreaterThan(estimate(steps[i - 1] as AnthropicRequest));
    for (let i = 4; i < steps.length; i++) {
      expect(estimate(steps[i] as AnthropicRequest)).toBeGreaterThan(estimate(steps[i - 1] as AnthropicRequest));
    }
  });

  it('counts every block kind: image (fixed), document, tool_use input JSON, tool_result content, thinking', () => {
    const user = (content: AnthropicRequest['messages'][number]['content']): AnthropicRequest => ({
      model: 'm',
      messages: [{ role: 'user', content }],
    });
    const empty = estimate(user([]));
    const image = estimate(
      user([{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }]),
    );
    expect(image - empty).toBeGreaterThanOrEqual(IMAGE_TOKENS);
    const pdf = estimate(
      user([
        { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'A'.repeat(400_000) } },
      ]),
    );
    expect(pdf - empty).toBeGreaterThanOrEqual(6 * 2000);

    const small = { type: 'tool_use' as const, id: 'toolu_1', name: 'Bash', input: { command: 'ls' } };
    const big = { ...small, input: { command: 'ls -la /very/long/path/'.repeat(40) } };
    const assistant = (block: typeof small): AnthropicRequest => ({
      model: 'm',
      messages: [{ role: 'assistant', content: [block] }],
    });
    expect(estimate(assistant(big)) - estimate(assistant(small))).toBeGreaterThan(200);

    const result = (content: string) =>
      user([{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: content }] }]);
    expect(estimate(result('x'.repeat(4000))) - estimate(result('x'))).toBeGreaterThan(990);
    expect(estimate(user([{ type: 'tool_result', tool_use_id: 'toolu_1' }]))).toBeGreaterThan(empty);

    const thinking = estimate({
      model: 'm',
      messages: [{ role: 'assistant', content: [{ type: 'thinking', thinking: 'step '.repeat(200), signature: 's' }] }],
    });
    expect(thinking).toBeGreaterThan(250);
  });

  it('counts CJK text ~1 token per character', () => {
    const cjk = estimate({ model: 'm', messages: [{ role: 'user', content: '東京'.repeat(500) }] });
    expect(cjk).toBeGreaterThanOrEqual(1000);
    expect(cjk).toBeLessThan(1100);
  });

  it('case 101: the real 76 KB Claude Code request (24 tools) lands in 15k–25k; without tools far lower', () => {
    const body = claudeCode('claude-code-1-first-request.json');
    expect(body.tools).toHaveLength(24);
    const full = estimate(body);
    const withoutTools = estimate({ ...body, tools: [] });
    expect(full).toBeGreaterThan(15_000);
    expect(full).toBeLessThan(25_000);
    expect(withoutTools).toBeGreaterThan(1_000);
    expect(full).toBeGreaterThan(withoutTools * 4);
  });

  it('is fast on the 82 KB Claude Code request (no tokenizer)', () => {
    const body = claudeCode('claude-code-1-first-request.json');
    estimate(body); // warm-up
    const runs = 50;
    const start = performance.now();
    for (let i = 0; i < runs; i++) estimate(body);
    expect((performance.now() - start) / runs).toBeLessThan(5); // measured ≈ 0.1–0.3 ms
  });

  it('tolerates what clients may send: server tools without schema, unknown block types, missing lists', () => {
    const body = {
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [{ type: 'server_tool_use', id: 'srv_1', name: 'web_search', input: { query: 'x' } }],
        },
      ],
      tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 8 }],
    } as unknown as AnthropicRequest;
    expect(estimate(body)).toBeGreaterThan(346);
    expect(estimate({ model: 'm' } as AnthropicRequest)).toBe(3);
  });
});
