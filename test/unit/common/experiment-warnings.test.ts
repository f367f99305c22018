import { describe, expect, it } from 'vitest';
import type {
  DataEfficiencyResult,
  NonRobustFeaturesResult,
  RobustDatasetsResult,
  TradeoffResult,
} from '../../../src-main/common/experiment-schemas';
import { experimentWarnings, resultWarnings } from '../../../src-main/common/experiment-warnings';
import { experimentReport } from '../../../src-main/shells/cli/commands/experiment-report';

function nonRobust(
  patch: Partial<NonRobustFeaturesResult['variants'][number]> = {},
  variant: 'random' | 'deterministic' = 'random',
): NonRobustFeaturesResult {
  return {
    type: 'non-robust-features',
    sourceTestAccuracy: 0.98,
    chance: 0.1,
    targetDraw: 'uniform',
    variants: [
      {
        variant,
        count: 300,
        attackSuccessRate: 0.99,
        meanPerturbationL2: 1.5,
        datasetId: 3,
        modelId: 4,
        trainAccuracy: 0.95,
        testAccuracy: 0.6,
        examples: [],
        ...patch,
      },
    ],
    warnings: [],
  };
}

function tradeoff(clean: number[], robust: number[][], chance?: number): TradeoffResult {
  return {
    type: 'robustness-tradeoff',
    evaluationEpsilons: [0, 0.1, 0.3],
    rows: clean.map((testAccuracy, i) => ({
      trainEpsilon: [0, 0.1, 0.3][i] ?? 0,
      modelId: i + 1,
      testAccuracy,
      robustAccuracy: robust[i] ?? [],
    })),
    ...(chance === undefined ? {} : { chance }),
  };
}

describe('experiment warnings', () => {
  it('a result that shows the phenomenon gets none', () => {
    expect(experimentWarnings(nonRobust())).toEqual([]);
    expect(
      experimentWarnings(
        tradeoff(
          [0.99, 0.98, 0.97],
          [
            [0.99, 0.1, 0],
            [0.98, 0.9, 0.3],
            [0.97, 0.93, 0.88],
          ],
          0.1,
        ),
      ),
    ).toEqual([]);
  });

  it('a fresh model below chance on the original test set, saying what to change', () => {
    const [random] = experimentWarnings(nonRobust({ testAccuracy: 0.07 }));
    expect(random).toMatch(/D_rand.*7\.0%.*below chance \(10\.0%\).*raise ε/);
    const [det] = experimentWarnings(nonRobust({ testAccuracy: 0.02 }, 'deterministic'));
    expect(det).toMatch(/D_det.*robust features.*raise the attack's ε/);
  });

  it('an attack that planted too little, and an under-fitted fresh model', () => {
    const warnings = experimentWarnings(
      nonRobust({ attackSuccessRate: 0.4, trainAccuracy: 0.3, testAccuracy: 0.5 }),
    );
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/only 40\.0% of D_rand's images reach their new label.*raise/);
    expect(warnings[1]).toMatch(/under-fitted.*more epochs/);
  });

  it('a poor source model', () => {
    const result = { ...nonRobust(), sourceTestAccuracy: 0.3 };
    expect(experimentWarnings(result)[0]).toMatch(/source model scores only 30\.0%/);
  });

  it('a D_det sweep that never rises above chance, or rests on a failed attack, warned once', () => {
    const point = (epsilon: number, testAccuracy: number, attackSuccessRate = 0.99) => ({
      epsilon,
      attackSuccessRate,
      meanPerturbationL2: epsilon * 0.9,
      datasetId: 5,
      modelId: 6,
      trainAccuracy: 0.95,
      testAccuracy,
    });
    // Below chance at small ε and above it at large ε: the expected curve, no warning.
    const rising = { ...nonRobust(), detSweep: [point(2, 0.08), point(3, 0.34), point(4.5, 0.56)] };
    expect(experimentWarnings(rising)).toEqual([]);
    const flat = { ...nonRobust(), detSweep: [point(1, 0.02), point(2, 0.08, 0.5)] };
    const warnings = experimentWarnings(flat);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/D_det sweep.*at ε = 2:.*wrong label.*raise the steps/);
    expect(warnings[1]).toMatch(/no ε of the D_det sweep.*best 8\.0% at ε = 2.*larger ε/);
    // The D_det variant's own point (its dataset) is warned about once, as the variant.
    const variant = nonRobust({ attackSuccessRate: 0.4, testAccuracy: 0.3 }, 'deterministic');
    const own = { ...point(2, 0.3, 0.4), datasetId: 3 };
    const once = experimentWarnings({ ...variant, detSweep: [own, point(4, 0.5)] });
    expect(once.filter((w) => /reach their new label/.test(w))).toHaveLength(1);
  });

  it('robust models whose clean accuracy collapsed, with or without a recorded chance', () => {
    const robust = [
      [0.98, 0.2, 0],
      [0.16, 0.1, 0.05],
      [0.19, 0.12, 0.08],
    ];
    for (const chance of [0.1, undefined]) {
      const warnings = experimentWarnings(tradeoff([0.98, 0.16, 0.19], robust, chance));
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toMatch(/ε = 0\.1 collapsed to 16\.0%.*standard model: 98\.0%.*lower ε/);
      expect(warnings[1]).toMatch(/ε = 0\.3 collapsed to 19\.0%/);
    }
  });

  it('every robust figure 0%, in every experiment that has them', () => {
    const zero = /every robust accuracy is 0%.*smaller ε/;
    const trade = tradeoff(
      [0.99, 0.97],
      [
        [0.99, 0, 0],
        [0.97, 0, 0],
      ],
      0.1,
    );
    expect(experimentWarnings(trade)).toEqual([expect.stringMatching(zero)]);
    const datasets: RobustDatasetsResult = {
      type: 'robust-datasets',
      rows: (['original', 'robust', 'standard'] as const).map((dataset, i) => ({
        dataset,
        datasetId: i === 0 ? null : i,
        modelId: i + 5,
        count: 300,
        representationDistance: i === 0 ? null : 0.1,
        testAccuracy: 0.9,
        robustAccuracy: 0,
      })),
      examples: [],
      chance: 0.1,
      warnings: [],
    };
    expect(experimentWarnings(datasets)).toEqual([expect.stringMatching(zero)]);
    const efficiency: DataEfficiencyResult = {
      type: 'data-efficiency',
      rows: [
        { size: 500, recipe: 'standard', modelId: 1, testAccuracy: 0.05, robustAccuracy: 0 },
        { size: 500, recipe: 'robust', modelId: 2, testAccuracy: 0.6, robustAccuracy: 0 },
      ],
      chance: 0.1,
    };
    const warnings = experimentWarnings(efficiency);
    expect(warnings[0]).toMatch(/standard model on 500 images scores 5\.0% clean, below chance/);
    expect(warnings[1]).toMatch(zero);
  });

  it('the stored warnings come first, and the CLI report prints them all', () => {
    const result = { ...nonRobust({ testAccuracy: 0.05 }), warnings: ['the source was robust'] };
    const warnings = resultWarnings(result);
    expect(warnings[0]).toBe('the source was robust');
    expect(warnings).toHaveLength(2);
    const report = experimentReport(
      tradeoff(
        [0.98, 0.16],
        [
          [0.98, 0.2, 0],
          [0.16, 0.1, 0.05],
        ],
      ),
    );
    expect(report.filter((line) => line.startsWith('warning: '))).toHaveLength(1);
  });
});
