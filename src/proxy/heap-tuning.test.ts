import { describe, expect, it } from 'vitest';
import { ScavengeRate } from './heap-tuning.js';

describe('ScavengeRate', () => {
  it('is busy once the last `count` events fall within the window, not before', () => {
    const rate = new ScavengeRate(10, 1000);
    const busy = Array.from({ length: 10 }, (_, i) => rate.record(100 + i * 50));
    expect(busy).toEqual([false, false, false, false, false, false, false, false, false, true]);
  });

  it('is not busy when `count` events span the whole window or more', () => {
    const rate = new ScavengeRate(10, 1000);
    // 9 gaps of 112 ms: the 10th event comes 1008 ms after the first
    const busy = Array.from({ length: 30 }, (_, i) => rate.record(i * 112));
    expect(busy.some(Boolean)).toBe(false);
  });

  it('slides: slow events followed by a burst become busy at the burst', () => {
    const rate = new ScavengeRate(4, 1000);
    for (const at of [0, 600, 1200, 1800]) expect(rate.record(at)).toBe(false);
    expect(rate.record(2000)).toBe(false); // 600..2000: 1400 ms for the last four
    expect(rate.record(2100)).toBe(true); // 1200..2100: 900 ms
  });
});
