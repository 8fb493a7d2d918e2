import { describe, expect, it } from 'vitest';
import { clientTool, flatToolName, ToolNameTable } from './tool-names.js';

describe('tool names', () => {
  it('flattens namespaces and keeps valid names', () => {
    expect(flatToolName('spawn_agent', 'multi_agent_v1')).toBe('multi_agent_v1__spawn_agent');
    expect(flatToolName('exec_command')).toBe('exec_command');
    expect(flatToolName('read.file')).toBe('read_file');
  });

  it('shortens long names deterministically, distinct names stay distinct', () => {
    const a = flatToolName(`${'x'.repeat(70)}a`);
    const b = flatToolName(`${'x'.repeat(70)}b`);
    expect(a).toHaveLength(64);
    expect(a).not.toBe(b);
    expect(flatToolName(`${'x'.repeat(70)}a`)).toBe(a);
  });

  it('a name that collides after cleaning gets its own hashed name; both map back', () => {
    const table = new ToolNameTable();
    const first = table.add('read_file', 'function');
    const second = table.add('read.file', 'function');
    expect(first).toBe('read_file');
    expect(second).not.toBe(first);
    expect(table.toolNames[second]).toEqual({ name: 'read.file', kind: 'function' });
  });

  it('__proto__ never reaches the plain toolNames object as a key', () => {
    const table = new ToolNameTable();
    const upstream = table.add('__proto__', 'function');
    expect(upstream).not.toBe('__proto__');
    expect(Object.getPrototypeOf(table.toolNames)).toBe(Object.prototype);
  });

  it('a sealed table (shared by requests) refuses new tools and keeps answering for its own', () => {
    const table = new ToolNameTable();
    const upstream = table.add('read.file', 'function');
    table.seal();
    expect(() => table.add('write_file', 'function')).toThrow(/sealed/);
    expect(table.has('write_file')).toBe(false);
    expect(table.upstreamName('read.file')).toBe(upstream);
    expect(Object.isFrozen(table.toolNames)).toBe(true);
  });

  it('clientTool ignores inherited keys', () => {
    const context = { clientModel: 'm', toolNames: {}, stream: true, created: 0 };
    expect(clientTool(context, 'constructor')).toEqual({ name: 'constructor', kind: 'function' });
  });
});
