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
} from '../../../src-main/common/experiment-schemas';

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

describe('stored experiment runs', () => {
  it('a non-robust-features run stored before the target draw drew over the other classes', () => {
    const run = ExperimentRun.parse(storedNonRobustRun);
    const config = run.config as NonRobustFeaturesConfig;
    expect(config.targetDraw).toBeUndefined();
    expect(config.targetDraw ?? legacyTargetDraw).toBe('other-classes');
  });
});
