import { describe, expect, it } from 'vitest';
import { BestCheckpointTracker } from '../../../../src-main/engine/training/best-checkpoint';

const weights = (value: number) => () => [
  { name: 'w', shape: [2], data: Float32Array.from([value, value]) },
];

describe('best checkpoint', () => {
  it('keeps the highest score, the earlier epoch on a tie, and copies on snapshot', () => {
    const tracker = new BestCheckpointTracker();
    expect(tracker.offer(1, 0.5, 0.4, weights(1))).toBe(true);
    expect(tracker.offer(2, 0.7, 0.6, weights(2))).toBe(true);
    expect(tracker.offer(3, 0.6, 0.7, weights(3))).toBe(false);
    expect(tracker.offer(4, 0.7, 0.8, weights(4))).toBe(false);
    expect(tracker.offer(5, Number.NaN, 0.8, weights(5))).toBe(false);
    expect(tracker.best?.epoch).toBe(2);
    expect(tracker.best?.testAccuracy).toBe(0.6);
    expect(Array.from(tracker.best?.weights[0]?.data ?? [])).toEqual([2, 2]);
    const snapshot = tracker.snapshot();
    expect(snapshot?.weights[0]?.data).not.toBe(tracker.best?.weights[0]?.data);
    expect(Array.from(snapshot?.weights[0]?.data ?? [])).toEqual([2, 2]);
  });

  it('starts from a resumed best', () => {
    const tracker = new BestCheckpointTracker({
      epoch: 3,
      score: 0.9,
      testAccuracy: 0.8,
      weights: weights(3)(),
    });
    expect(tracker.offer(4, 0.8, 0.9, weights(4))).toBe(false);
    expect(tracker.offer(5, 0.95, 0.9, weights(5))).toBe(true);
    expect(tracker.best?.epoch).toBe(5);
  });
});
