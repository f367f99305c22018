import { describe, expect, it } from 'vitest';
import { worstCaseOverAttacks } from '../../../../src-main/engine/evaluation/robust-accuracy';
import {
  checkGradientValues,
  checkInsideBall,
  checkLargeEpsilon,
  checkMonotone,
  checkNoGradientMasking,
  checkPgdBeatsFgsm,
  checkStrongerAttack,
  checkZeroEpsilon,
} from '../../../../src-main/engine/evaluation/sanity-checks';

const geometry = (distances: number[], minPixel = 0, maxPixel = 1) => ({
  distances,
  minPixel,
  maxPixel,
});

describe('sanity checks on constructed inputs', () => {
  it('ε = 0 must give the clean accuracy', () => {
    expect(checkZeroEpsilon(0.9, [{ attack: 'PGD', accuracy: 0.9 }], 100).passed).toBe(true);
    const failed = checkZeroEpsilon(0.9, [{ attack: 'PGD', accuracy: 0.89 }], 100);
    expect(failed.passed).toBe(false);
    expect(failed.detail).toMatch(/PGD scores 89.0%/);
  });

  it('accuracy may not rise with ε by more than one example', () => {
    expect(checkMonotone('PGD', [0, 0.1, 0.2], [0.9, 0.5, 0.51], 100).passed).toBe(true);
    const failed = checkMonotone('PGD', [0, 0.2, 0.1], [0.9, 0.55, 0.5], 100);
    expect(failed.passed).toBe(false);
    expect(failed.detail).toMatch(/from ε = 0.1 to ε = 0.2/);
  });

  it('a very large ε must reach chance', () => {
    expect(checkLargeEpsilon('PGD', 1, 0.15, 10).passed).toBe(true);
    expect(checkLargeEpsilon('PGD', 1, 0.35, 10).passed).toBe(false);
  });

  it('a stronger attack must not help significantly', () => {
    const base = { attack: 'PGD-10×1', accuracy: 0.5 };
    expect(checkStrongerAttack(base, { attack: 'PGD-100×5', accuracy: 0.49 }, 100).passed).toBe(
      true,
    );
    expect(checkStrongerAttack(base, { attack: 'PGD-100×5', accuracy: 0.4 }, 100).passed).toBe(
      false,
    );
  });

  it('PGD must beat FGSM', () => {
    expect(checkPgdBeatsFgsm([0.1, 0.2], [0.4, 0.1], [0.5, 0.3], 100).passed).toBe(true);
    const failed = checkPgdBeatsFgsm([0.1, 0.2], [0.4, 0.35], [0.5, 0.3], 100);
    expect(failed.passed).toBe(false);
    expect(failed.detail).toMatch(/ε = 0.2: PGD 35.0% > FGSM 30.0%/);
  });

  it('every returned example must lie in the ball and in [0,1]', () => {
    const inside = { attack: 'PGD', constraint: 'linf' as const, epsilon: 0.1 };
    expect(checkInsideBall([{ ...inside, geometry: geometry([0.1, 0.05]) }]).passed).toBe(true);
    expect(checkInsideBall([{ ...inside, geometry: geometry([0.1, 0.1001]) }]).passed).toBe(false);
    expect(checkInsideBall([{ ...inside, geometry: geometry([0.1], -0.01) }]).passed).toBe(false);
    expect(checkInsideBall([{ ...inside, geometry: geometry([Number.NaN]) }]).passed).toBe(false);
  });

  it('a black-box or transfer attack beating white-box flags gradient masking', () => {
    const whiteBox = { attack: 'PGD', accuracy: 0.6 };
    expect(checkNoGradientMasking(whiteBox, { attack: 'Square', accuracy: 0.7 }, 100).passed).toBe(
      true,
    );
    const failed = checkNoGradientMasking(whiteBox, { attack: 'Square', accuracy: 0.3 }, 100);
    expect(failed.passed).toBe(false);
    expect(failed.detail).toMatch(/gradient masking suspected/);
  });

  it('input gradients must be finite and non-zero', () => {
    expect(checkGradientValues([0.1, 2], 0).passed).toBe(true);
    expect(checkGradientValues([0.1, 0], 0).passed).toBe(false);
    expect(checkGradientValues([0.1, 2], 3).passed).toBe(false);
  });

  it('the worst case counts an example only if it is clean-correct and every attack fails', () => {
    expect(
      worstCaseOverAttacks(
        [true, true, true, false],
        [
          [true, false, true, true],
          [true, true, false, true],
        ],
      ),
    ).toEqual([true, false, false, false]);
    expect(() => worstCaseOverAttacks([true], [[true, false]])).toThrow(
      /an attack reported 2 examples, expected 1/,
    );
  });
});
