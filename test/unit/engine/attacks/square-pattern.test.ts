import { describe, expect, it } from 'vitest';
import { metaPattern, nestedSquares } from '../../../../src-main/engine/attacks/square-pattern';
import { squareSide, squareSideL2 } from '../../../../src-main/engine/attacks/square-schedule';

const norm = (values: Float64Array): number => Math.sqrt(values.reduce((s, v) => s + v * v, 0));

describe('the L2 Square attack update pattern', () => {
  it('nested squares: unit norm, peaked at the centre, constant on each square ring', () => {
    const eta = nestedSquares(5, 5);
    expect(norm(eta)).toBeCloseTo(1, 12);
    // K = 3 squares: ring d holds Σ_{k=d}^{2} 1/(k+1)², up to the normalization.
    const raw = [1 + 1 / 4 + 1 / 9, 1 / 4 + 1 / 9, 1 / 9];
    const scale = (eta[12] ?? NaN) / (raw[0] ?? NaN);
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 5; j++) {
        const ring = Math.max(Math.abs(i - 2), Math.abs(j - 2));
        expect(eta[i * 5 + j]).toBeCloseTo((raw[ring] ?? NaN) * scale, 12);
      }
    }
    // A rectangle: centre at (⌊r/2⌋, ⌊q/2⌋), the maximum there.
    const wide = nestedSquares(2, 5);
    expect(Math.max(...wide)).toBe(wide[1 * 5 + 2]);
    expect(nestedSquares(0, 5)).toHaveLength(0);
  });

  it('meta-pattern: unit norm, +η on one half and −η on the other, transposable', () => {
    for (const side of [1, 2, 3, 7, 25]) {
      const pattern = metaPattern(side, false);
      expect(norm(pattern)).toBeCloseTo(1, 12);
      const half = Math.floor(side / 2);
      for (let i = 0; i < side; i++) {
        for (let j = 0; j < side; j++) {
          const value = pattern[i * side + j] ?? NaN;
          if (i < half) expect(value).toBeGreaterThan(0);
          else expect(value).toBeLessThan(0);
        }
      }
      const transposed = metaPattern(side, true);
      for (let i = 0; i < side; i++) {
        for (let j = 0; j < side; j++) {
          expect(transposed[j * side + i]).toBe(pattern[i * side + j]);
        }
      }
    }
    // Odd sides: the lower half has one row more, so its stack carries more of the mass.
    const seven = metaPattern(7, false);
    const upper = seven.subarray(0, 21).reduce((s, v) => s + v * v, 0);
    expect(upper).toBeLessThan(0.5);
    expect(() => metaPattern(0, false)).toThrow(/square side must be a whole number ≥ 1, got 0/);
  });

  it('window sides: L2 at least 3 and odd, both at most min(H, W) − 1', () => {
    expect(squareSideL2(0.8, 28, 28)).toBe(25);
    expect(squareSideL2(0.4, 28, 28)).toBe(19); // round(17.7) = 18 → 19
    expect(squareSideL2(0.001, 28, 28)).toBe(3);
    expect(squareSideL2(1, 28, 28)).toBe(27);
    expect(squareSideL2(1, 9, 13)).toBe(8);
    expect(squareSideL2(1, 3, 3)).toBe(2);
    expect(squareSide(1, 9, 13)).toBe(8);
  });
});
