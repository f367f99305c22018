import { describe, expect, it } from 'vitest';
import { epsilonProblems, perturbationLimit } from '../../../src-main/common/perturbation-limits';

describe('perturbation limits', () => {
  it('L∞ ε up to 1, L2 and unconstrained up to √(H·W·C)', () => {
    expect(perturbationLimit('linf', [28, 28, 1]).high).toBe(1);
    expect(perturbationLimit('l2', [28, 28, 1]).high).toBe(28);
    expect(perturbationLimit('unconstrained', [32, 32, 3]).high).toBeCloseTo(55.43, 2);
  });

  it('names each ε of a list that is past the limit, and only those', () => {
    expect(epsilonProblems('linf', [0, 0.3, 1, 1.5, 1e30], [28, 28, 1])).toEqual([
      'ε = 1.5 is more than 1, the largest L∞ ε that means anything here (pixels are in [0, 1])',
      'ε = 1e+30 is more than 1, the largest L∞ ε that means anything here (pixels are in [0, 1])',
    ]);
    expect(epsilonProblems('l2', [2, 28], [28, 28, 1])).toEqual([]);
    expect(epsilonProblems('l2', [29], [28, 28, 1])[0]).toMatch(
      /ε = 29 is more than 28, the largest L2 ε .*√784/,
    );
  });
});
