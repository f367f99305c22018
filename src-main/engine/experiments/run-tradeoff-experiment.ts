/**
 * Experiment a, the robustness–accuracy trade-off (Tsipras et al. 2019): one model per training
 * ε (0 = standard training, else PGD adversarial training at that ε), each evaluated clean and
 * under PGD at 0 and every training ε. Expected: clean accuracy falls as the training ε grows,
 * while robust accuracy at larger ε rises.
 */
import type { TradeoffConfig } from '../../common/experiment-schemas';
import { testSource, trainingSource } from './experiment-sources';
import type { ExperimentJobResult, ExperimentJobSpec } from '../protocol';
import type { JobReporter } from '../engine-types';
import { deriveSeed } from '../random/seeded-random';
import { seriesExperiment, seriesSweep, type SeriesItem } from './train-series';

export function runTradeoffExperiment(
  spec: ExperimentJobSpec,
  config: TradeoffConfig,
  reporter: JobReporter,
): ExperimentJobResult {
  const train = trainingSource(spec);
  const test = testSource(spec);
  const trainEpsilons = [...new Set(config.epsilons)].sort((a, b) => a - b);
  const evaluationEpsilons = [...new Set([0, ...trainEpsilons])].sort((a, b) => a - b);
  const items: SeriesItem[] = trainEpsilons.map((epsilon, i) => ({
    key: `eps-${i}`,
    label: `ε = ${epsilon}`,
    plan: {
      recipe: config.training,
      adversary:
        epsilon === 0
          ? null
          : { constraint: config.constraint, epsilon, steps: config.trainingSteps },
      trainLimit: config.trainLimit,
      datasetId: config.datasetId,
      name: `${config.name} · trained at ε = ${epsilon}`,
      // One seed for every model: they differ only in ε (same data order and initial weights).
      seed: deriveSeed(config.seed, 'training'),
      numClasses: spec.numClasses,
    },
    sweep: seriesSweep(config, evaluationEpsilons),
  }));
  return seriesExperiment(items, train, test, reporter, (outcomes) => ({
    type: 'robustness-tradeoff',
    evaluationEpsilons,
    rows: outcomes.map((outcome, i) => ({
      trainEpsilon: trainEpsilons[i] ?? NaN,
      modelKey: outcome.key,
      testAccuracy: outcome.testAccuracy,
      robustAccuracy: outcome.robustAccuracy,
    })),
  }));
}
