/**
 * Experiment e, data efficiency (Schmidt et al. 2018, "Adversarially robust generalization
 * requires more data"; Tsipras et al. 2019): for each training-set size, a standard and a
 * PGD-trained model on the same first N images, each measured clean and under PGD at ε.
 * Expected: robust accuracy needs far more data than clean accuracy to rise.
 */
import type { DataEfficiencyConfig } from '../../common/experiment-schemas';
import { testSource, trainingSource } from './experiment-sources';
import type { ExperimentJobResult, ExperimentJobSpec } from '../protocol';
import type { JobReporter } from '../engine-types';
import { deriveSeed } from '../random/seeded-random';
import { seriesExperiment, seriesSweep, type SeriesItem } from './train-series';

const recipes = ['standard', 'robust'] as const;

export function runDataEfficiencyExperiment(
  spec: ExperimentJobSpec,
  config: DataEfficiencyConfig,
  reporter: JobReporter,
): ExperimentJobResult {
  const train = trainingSource(spec);
  const test = testSource(spec);
  const sizes = [...new Set(config.sizes.map((size) => Math.min(size, train.count)))].sort(
    (a, b) => a - b,
  );
  const plans = sizes.flatMap((size) => recipes.map((recipe) => ({ size, recipe })));
  const items: SeriesItem[] = plans.map(({ size, recipe }) => ({
    key: `${recipe}-${size}`,
    label: `${recipe}, ${size} images`,
    plan: {
      recipe: config.training,
      adversary:
        recipe === 'standard'
          ? null
          : { constraint: config.constraint, epsilon: config.epsilon, steps: config.trainingSteps },
      trainLimit: size,
      datasetId: config.datasetId,
      name: `${config.name} · ${recipe} on ${size} images`,
      // The same seed everywhere: the subsets are nested (the first N of one shuffle).
      seed: deriveSeed(config.seed, 'training'),
      numClasses: spec.numClasses,
    },
    sweep: seriesSweep(config, [config.epsilon]),
  }));
  return seriesExperiment(items, train, test, reporter, (outcomes) => ({
    type: 'data-efficiency',
    rows: outcomes.map((outcome, i) => ({
      size: plans[i]?.size ?? 0,
      recipe: plans[i]?.recipe ?? 'standard',
      modelKey: outcome.key,
      testAccuracy: outcome.testAccuracy,
      robustAccuracy: outcome.robustAccuracy[0] ?? NaN,
    })),
  }));
}
