import { describe, expect, it } from 'vitest';
import { type CapDecision, YoungGenerationCap } from './young-generation.js';

const MB = 1024 * 1024;

/** Feeds scavenges at the given times (ms) and size; returns every decision. */
function feed(cap: YoungGenerationCap, times: number[], bytes: number): CapDecision[] {
  return times.map((at) => cap.scavenged(at, bytes));
}
const every = (from: number, gap: number, n: number) => Array.from({ length: n }, (_, i) => from + i * gap);

describe('YoungGenerationCap', () => {
  it('lets the young generation grow below the cap, however slow the scavenges', () => {
    const cap = new YoungGenerationCap(16 * MB);
    expect(cap.initial(8 * MB)).toBe('grow');
    expect(new Set(feed(cap, every(0, 250, 12), 8 * MB))).toEqual(new Set(['grow']));
  });

  it('holds it at the cap under slow scavenges (a paced load)', () => {
    const cap = new YoungGenerationCap(16 * MB);
    expect(cap.initial(16 * MB)).toBe('hold');
    // four a second, for a minute
    expect(new Set(feed(cap, every(0, 250, 240), 16 * MB))).toEqual(new Set(['hold']));
  });

  it('is busy once ten scavenges fall within a second at the cap, not before', () => {
    const cap = new YoungGenerationCap(16 * MB);
    expect(feed(cap, every(0, 105, 10), 16 * MB)).toEqual([...Array(9).fill('hold'), 'busy']); // 945 ms for ten
  });

  it('is not busy when ten scavenges take a second or more at the cap', () => {
    const cap = new YoungGenerationCap(16 * MB);
    expect(feed(cap, every(0, 112, 30), 16 * MB)).not.toContain('busy'); // 1008 ms for ten
  });

  it('judges the rate by size: frequent scavenges of a small young generation are not busy', () => {
    const cap = new YoungGenerationCap(16 * MB);
    // at 8 MB, ten within 800 ms empty 80 MB: half the rate that counts (160 MB a second)
    expect(feed(cap, every(0, 89, 10), 8 * MB)).not.toContain('busy');
    expect(cap.scavenged(900, 16 * MB)).toBe('hold');
    // at 32 MB, ten within 1.5 s are busy
    const big = new YoungGenerationCap(16 * MB);
    expect(feed(big, every(0, 160, 10), 32 * MB).at(-1)).toBe('busy');
  });

  it('lets it grow back after V8 shrank it below the cap', () => {
    const cap = new YoungGenerationCap(16 * MB);
    expect(feed(cap, every(0, 250, 8), 16 * MB).at(-1)).toBe('hold');
    expect(cap.scavenged(60_000, 2 * MB)).toBe('grow');
    expect(cap.scavenged(60_250, 16 * MB)).toBe('hold');
  });
});
