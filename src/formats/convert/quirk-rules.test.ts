import { describe, expect, it } from 'vitest';
import { anthropicToChat } from './anthropic-to-chat/index.js';
import { responsesToChat } from './responses-to-chat/index.js';

// OpenRouter caches Claude's prompt only where asked: the openrouter preset's topLevelCacheControl.

const quirks = { reasoning: 'openrouter' as const, topLevelCacheControl: true };

describe('topLevelCacheControl', () => {
  it('a Claude model through OpenRouter gets a top-level cache_control, from Claude Code and from Codex', () => {
    const claudeCode = anthropicToChat.request(
      { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
      { upstreamModel: 'anthropic/claude-sonnet-4.5', quirks, now: 1 },
    );
    expect((claudeCode.body as Record<string, unknown>).cache_control).toEqual({ type: 'ephemeral' });
    const codex = responsesToChat.request(
      { model: 'gpt-5', input: 'hi' },
      { upstreamModel: 'anthropic/claude-sonnet-4.5', quirks, now: 1 },
    );
    expect((codex.body as Record<string, unknown>).cache_control).toEqual({ type: 'ephemeral' });
  });

  it('other models, and providers without the quirk, get none', () => {
    const other = anthropicToChat.request(
      { model: 'c', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
      { upstreamModel: 'qwen/qwen3-coder', quirks, now: 1 },
    );
    expect(other.body).not.toHaveProperty('cache_control');
    const plain = anthropicToChat.request(
      { model: 'c', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
      { upstreamModel: 'anthropic/claude-sonnet-4.5', quirks: { reasoning: 'openrouter' }, now: 1 },
    );
    expect(plain.body).not.toHaveProperty('cache_control');
  });
});
