import { describe, expect, it } from 'vitest';
import { relabelTargets } from '../../../../src-main/engine/experiments/relabel-targets';

describe('relabel targets', () => {
  const labels = Int32Array.from({ length: 5000 }, (_, i) => i % 10);

  it('D_det maps y to (y + 1) mod C', () => {
    expect([...relabelTargets(Int32Array.from([0, 3, 9]), 10, 'deterministic', 1)]).toEqual([
      1, 4, 0,
    ]);
  });

  it('D_rand never keeps y and spreads the targets evenly over the other classes', () => {
    const targets = relabelTargets(labels, 10, 'random', 7);
    const counts = new Map<string, number>();
    targets.forEach((t, i) => {
      expect(t).not.toBe(labels[i]);
      const key = `${labels[i]}→${t}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    });
    // 10 classes × 9 targets, 500 images per class: about 55.6 per pair.
    expect(counts.size).toBe(90);
    for (const count of counts.values()) expect(count).toBeGreaterThan(25);
    expect([...relabelTargets(labels, 10, 'random', 7)]).toEqual([...targets]);
    expect([...relabelTargets(labels, 10, 'random', 8)]).not.toEqual([...targets]);
  });

  it('refuses labels outside the classes', () => {
    expect(() => relabelTargets(Int32Array.from([10]), 10, 'random', 1)).toThrow(/outside 0\.\.9/);
  });
});
