import { describe, expect, it } from 'vitest';
import type { RobustDatasetsResult } from '../../../src-main/common/experiment-schemas';
import { experimentWarnings } from '../../../src-main/common/experiment-warnings';
import {
  orderedPoints,
  orderingSentence,
  robustCurves,
} from '../../../src-main/common/robust-datasets-curves';

/** D / D_R / D_NR curves, in this order. */
function result(epsilons: number[], curves: number[][]): RobustDatasetsResult {
  return {
    type: 'robust-datasets',
    evaluationEpsilons: epsilons,
    rows: (['original', 'robust', 'standard'] as const).map((dataset, i) => ({
      dataset,
      datasetId: i === 0 ? null : i,
      modelId: 10 + i,
      count: 4000,
      representationDistance: i === 0 ? null : 0.05,
      testAccuracy: [0.955, 0.908, 0.914][i] ?? NaN,
      robustCurve: curves[i] ?? [],
    })),
    examples: [],
    chance: 0.1,
    warnings: [],
  };
}

describe('robust datasets curves', () => {
  // The figures: at L∞ 0.1 the paper's ordering, at 0.3 every model at 0%.
  const shown = result(
    [0, 0.1, 0.3],
    [
      [0.955, 0.152, 0],
      [0.908, 0.264, 0],
      [0.914, 0.007, 0],
    ],
  );

  it('finds the radii where D_NR < D < D_R, never at ε = 0', () => {
    const curves = robustCurves(shown);
    expect(orderedPoints(curves)).toEqual([1]);
    expect(orderingSentence(curves)).toMatch(/shows at ε = 0\.1 \(1 of 2 radii above 0\)/);
    expect(experimentWarnings(shown)).toEqual([]);
  });

  it('warns when no radius shows the ordering, and only once when every figure is 0%', () => {
    const reversed = result(
      [0, 0.1],
      [
        [0.95, 0.2],
        [0.9, 0.1],
        [0.91, 0.05],
      ],
    );
    expect(orderedPoints(robustCurves(reversed))).toEqual([]);
    expect(experimentWarnings(reversed)).toEqual([
      expect.stringMatching(/no evaluated radius shows the ordering.*smaller ε/),
    ]);
    const zero = result(
      [0, 0.3],
      [
        [0.95, 0],
        [0.9, 0],
        [0.91, 0],
      ],
    );
    expect(experimentWarnings(zero)).toEqual([
      expect.stringMatching(/every robust accuracy is 0%/),
    ]);
  });

  it('without all three datasets there is no ordering to report', () => {
    const two = { ...shown, rows: shown.rows.slice(0, 2) };
    expect(orderedPoints(robustCurves(two))).toBeNull();
    expect(orderingSentence(robustCurves(two))).toBeNull();
  });
});
