/**
 * Runs stored before an experiment gained an option or a figure still open: their configs and
 * results, as the project file holds them, parse, and the missing options read as the behaviour
 * the run actually had.
 */
import { describe, expect, it } from 'vitest';
import {
  ExperimentRun,
  legacyTargetDraw,
  type NonRobustFeaturesConfig,
  type RobustDatasetsConfig,
  type RobustDatasetsResult,
} from '../../../src-main/common/experiment-schemas';
import { experimentWarnings } from '../../../src-main/common/experiment-warnings';
import { evaluationEpsilons, robustCurves } from '../../../src-main/common/robust-datasets-curves';
import { experimentReport } from '../../../src-main/shells/cli/commands/experiment-report';

const training = {
  architecture: 'small-cnn',
  epochs: 2,
  batchSize: 32,
  learningRate: 0.001,
  optimizer: 'adam',
};

/** A non-robust-features run as stored before D_rand's target draw was an option. */
const storedNonRobustRun = {
  runId: 4,
  config: {
    type: 'non-robust-features',
    name: 'b',
    datasetId: 1,
    sourceModelId: 2,
    variants: ['random', 'deterministic'],
    trainLimit: 300,
    attack: { epsilon: 2, steps: 100, stepSize: 0.2 },
    training,
    seed: 0,
  },
  result: {
    type: 'non-robust-features',
    sourceTestAccuracy: 0.97,
    chance: 0.1,
    variants: ['random', 'deterministic'].map((variant, i) => ({
      variant,
      count: 300,
      attackSuccessRate: 0.99,
      meanPerturbationL2: 1.4,
      datasetId: 10 + i,
      modelId: 20 + i,
      trainAccuracy: 0.9,
      testAccuracy: 0.5,
      examples: [],
    })),
    warnings: [],
  },
};

/** A robust-datasets run as stored before the evaluation curve: one ε, one robust figure. */
const storedRobustDatasetsRun = {
  runId: 5,
  config: {
    type: 'robust-datasets',
    name: 'c',
    datasetId: 1,
    robustModelId: 2,
    standardModelId: 3,
    variants: ['robust', 'standard'],
    trainLimit: 4000,
    inversion: { steps: 1000, stepSize: 0.1, start: 'image' },
    training,
    evaluation: { constraint: 'linf', epsilon: 0.3, steps: 20, count: 500 },
    seed: 0,
  },
  result: {
    type: 'robust-datasets',
    rows: ['original', 'robust', 'standard'].map((dataset, i) => ({
      dataset,
      datasetId: i === 0 ? null : 10 + i,
      modelId: 20 + i,
      count: 4000,
      representationDistance: i === 0 ? null : 0.05,
      testAccuracy: 0.95,
      robustAccuracy: 0,
    })),
    examples: [],
    warnings: [],
  },
};

describe('stored experiment runs', () => {
  it('a robust-datasets run stored before the curve reads as a one-point curve at its ε', () => {
    const run = ExperimentRun.parse(storedRobustDatasetsRun);
    const config = run.config as RobustDatasetsConfig;
    const result = run.result as RobustDatasetsResult;
    expect(evaluationEpsilons(config.evaluation)).toEqual([0.3]);
    const curves = robustCurves(result, config);
    expect(curves.epsilons).toEqual([0.3]);
    expect(curves.rows.map((row) => row.curve)).toEqual([[0], [0], [0]]);
    expect(experimentWarnings(result)).toEqual([
      expect.stringMatching(/every robust accuracy is 0%/),
    ]);
    const report = experimentReport(result, config);
    expect(report[0]).toMatch(/ε=0\.3/);
    expect(report).toContain('The ordering D_NR < D < D_R shows at no evaluated radius.');
    expect(report.filter((line) => line.startsWith('warning: '))).toHaveLength(1);
  });

  it('a config with neither ε nor a curve of them is refused', () => {
    const { epsilon: _dropped, ...evaluation } = storedRobustDatasetsRun.config.evaluation;
    const config = { ...storedRobustDatasetsRun.config, evaluation };
    expect(() => ExperimentRun.parse({ ...storedRobustDatasetsRun, config })).toThrow(
      /give the evaluation ε values/,
    );
  });

  it('a non-robust-features run stored before the target draw drew over the other classes', () => {
    const run = ExperimentRun.parse(storedNonRobustRun);
    const config = run.config as NonRobustFeaturesConfig;
    expect(config.targetDraw).toBeUndefined();
    expect(config.targetDraw ?? legacyTargetDraw).toBe('other-classes');
  });
});
