import { describe, expect, it } from 'vitest';
import { upstreamToolName } from './tool-names.js';

describe('upstreamToolName (case 25)', () => {
  it('keeps valid names', () => {
    expect(upstreamToolName('Read')).toBe('Read');
    expect(upstreamToolName('mcp__github__create_issue')).toBe('mcp__github__create_issue');
  });

  it('truncates names over 64 chars to a prefix and a hash, deterministically', () => {
    const long = `mcp__my_very_long_server_name__${'x'.repeat(60)}`;
    const short = upstreamToolName(long);
    expect(short).toHaveLength(64);
    expect(short).toMatch(/^mcp__my_very_long_server_name__x+_[0-9a-f]{8}$/);
    expect(upstreamToolName(long)).toBe(short);
  });

  it('gives two long names with the same prefix different short names', () => {
    const a = upstreamToolName(`${'p'.repeat(70)}a`);
    const b = upstreamToolName(`${'p'.repeat(70)}b`);
    expect(a).not.toBe(b);
  });

  it('replaces characters OpenAI rejects', () => {
    expect(upstreamToolName('server.tool')).toMatch(/^server_tool_[0-9a-f]{8}$/);
  });
});
