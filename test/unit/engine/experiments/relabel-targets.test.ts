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

  it('D_rand with the uniform draw (the paper) spreads the targets over all classes, y included', () => {
    const targets = relabelTargets(labels, 10, 'random', 7, 'uniform');
    const counts = new Map<string, number>();
    let kept = 0;
    targets.forEach((t, i) => {
      if (t === labels[i]) kept++;
      const key = `${labels[i]}→${t}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    });
    // 10 × 10 pairs, 500 images per class: about 50 per pair; t = y for about 1 in 10.
    expect(counts.size).toBe(100);
    for (const count of counts.values()) expect(count).toBeGreaterThan(25);
    expect(kept).toBeGreaterThan(400);
    expect(kept).toBeLessThan(600);
    expect([...relabelTargets(labels, 10, 'random', 7, 'uniform')]).toEqual([...targets]);
  });

  it('D_det ignores the target draw', () => {
    const uniform = relabelTargets(labels, 10, 'deterministic', 3, 'uniform');
    expect([...uniform]).toEqual([...relabelTargets(labels, 10, 'deterministic', 3)]);
  });

  it('refuses labels outside the classes', () => {
    expect(() => relabelTargets(Int32Array.from([10]), 10, 'random', 1)).toThrow(/outside 0\.\.9/);
  });
});
