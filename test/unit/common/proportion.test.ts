import { describe, expect, it } from 'vitest';
import {
  Z_95,
  describeAccuracy,
  describeInterval,
  describeProportion,
  proportionOf,
  wilsonInterval,
} from '../../../src-main/common/proportion';

// The score test's statistic at p: (k − n·p)² − z²·n·p·(1 − p). Wilson's bounds are its roots.
const score = (k: number, n: number, p: number) => (k - n * p) ** 2 - Z_95 * Z_95 * n * p * (1 - p);

describe('Wilson score interval', () => {
  it("matches Newcombe's (1998) worked examples", () => {
    const a = wilsonInterval({ count: 81, of: 263 });
    expect(a.low).toBeCloseTo(0.2553, 4);
    expect(a.high).toBeCloseTo(0.3662, 4);
    const b = wilsonInterval({ count: 15, of: 148 });
    expect(b.low).toBeCloseTo(0.0624, 4);
    expect(b.high).toBeCloseTo(0.1605, 4);
  });

  it('is exactly where the score test stops rejecting, for every k of several n', () => {
    for (const n of [1, 7, 100, 1000]) {
      for (let k = 0; k <= n; k += Math.max(1, Math.floor(n / 13))) {
        const { low, high } = wilsonInterval({ count: k, of: n });
        expect(low).toBeGreaterThanOrEqual(0);
        expect(high).toBeLessThanOrEqual(1);
        expect(low).toBeLessThanOrEqual(k / n);
        expect(high).toBeGreaterThanOrEqual(k / n);
        // Interior bounds are roots of the quadratic; a bound at 0 or 1 is where k is 0 or n.
        if (k > 0) expect(Math.abs(score(k, n, low))).toBeLessThan(1e-6 * n);
        else expect(low).toBe(0);
        if (k < n) expect(Math.abs(score(k, n, high))).toBeLessThan(1e-6 * n);
        else expect(high).toBe(1);
        // Just outside the interval the test rejects; just inside it does not.
        if (low > 1e-4) expect(score(k, n, low - 1e-4)).toBeGreaterThan(0);
        if (high < 1 - 1e-4) expect(score(k, n, high + 1e-4)).toBeGreaterThan(0);
        expect(score(k, n, (low + high) / 2)).toBeLessThanOrEqual(0);
      }
    }
  });

  it('gives the closed-form bound z²/(n + z²) at 0 of n', () => {
    expect(wilsonInterval({ count: 0, of: 20 }).high).toBeCloseTo(
      (Z_95 * Z_95) / (20 + Z_95 * Z_95),
      12,
    );
  });

  it('refuses a proportion that is not k of n', () => {
    expect(() => wilsonInterval({ count: 3, of: 0 })).toThrow(/n ≥ 1/);
    expect(() => wilsonInterval({ count: 5, of: 4 })).toThrow(/0…4/);
    expect(() => wilsonInterval({ count: 1.5, of: 4 })).toThrow(/whole/);
  });
});

describe('stored fractions as counts', () => {
  it('recovers k from k/n for every k', () => {
    for (const n of [3, 200, 1000, 10000])
      for (let k = 0; k <= n; k += 1) expect(proportionOf(k / n, n).count).toBe(k);
  });

  it('refuses a fraction that no count of n gives', () => {
    expect(() => proportionOf(0.5, 3)).toThrow(/not a count of 3/);
    expect(() => proportionOf(Number.NaN, 3)).toThrow();
  });

  it('writes the figure with its count, n and interval', () => {
    expect(describeProportion({ count: 81, of: 263 })).toBe('30.8% (81/263; 95% CI 25.5–36.6%)');
    expect(describeInterval({ count: 0, of: 20 })).toBe('0.0–16.1%');
  });
});

describe('a stored accuracy of n images', () => {
  it('is written with its count and interval, or says why not', () => {
    expect(describeAccuracy(1710 / 2000, 2000)).toBe('85.5% (1710/2000; 95% CI 83.9–87.0%)');
    expect(describeAccuracy(null, 2000)).toBe('—');
    expect(describeAccuracy(0.5, 3)).toBe('50.0% (not a count of 3 images: no interval)');
  });
});
