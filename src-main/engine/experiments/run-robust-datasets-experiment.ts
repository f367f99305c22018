/**
 * Experiment c, robustified and non-robust datasets (Ilyas et al. 2019, §3.1): build D_R from a
 * robust model's representation and D_NR from a standard one's (build-robust-datasets.ts); then
 * train one standard model on each of D (the same images, unchanged), D_R and D_NR and measure
 * it on the ORIGINAL test set, clean and under PGD at each evaluation ε: a curve per dataset
 * (train-series.ts).
 * Expected: the model trained on D_R is somewhat robust although its training was standard; the
 * one on D_NR generalizes to the real test set yet is not robust.
 * Progress shares follow the estimated passes: inversion N·steps per variant; per model,
 * training N·epochs and evaluation count·Σ_ε (ε > 0 ? steps + 1 : 1).
 */
import type { RobustDatasetsConfig } from '../../common/experiment-schemas';
import { evaluationEpsilons } from '../../common/robust-datasets-curves';
import type { JobReporter } from '../engine-types';
import { progressRange } from '../progress/progress-span';
import type { ExperimentJobResult, ExperimentJobSpec } from '../protocol';
import { deriveSeed } from '../random/seeded-random';
import { buildRobustDatasets, datasetNames } from './build-robust-datasets';
import { testSource, trainingSource } from './experiment-sources';
import { trainingSubset } from './training-subset';
import { seriesExperiment, seriesSweep, type SeriesItem } from './train-series';

export function runRobustDatasetsExperiment(
  spec: ExperimentJobSpec,
  config: RobustDatasetsConfig,
  reporter: JobReporter,
): ExperimentJobResult {
  const train = trainingSource(spec);
  const test = testSource(spec);
  const subset = trainingSubset(train, config.trainLimit, config.seed);
  const n = subset.indices.length;
  const { evaluation } = config;
  const variants = config.variants.length;
  const inversionCost = variants * n * config.inversion.steps;
  const epsilons = evaluationEpsilons(evaluation);
  const passes = epsilons.reduce((sum, e) => sum + (e > 0 ? evaluation.steps + 1 : 1), 0);
  const modelCost = n * config.training.epochs + evaluation.count * passes;
  const built = inversionCost / (inversionCost + (variants + 1) * modelCost);

  const sets = buildRobustDatasets(spec, subset, config, progressRange(reporter, 0, built));
  const sweep = seriesSweep(
    { constraint: evaluation.constraint, evaluation, seed: config.seed },
    epsilons,
  );
  const items: SeriesItem[] = sets.map((set) => ({
    key: `${set.dataset}-model`,
    label: datasetNames[set.dataset],
    plan: {
      recipe: config.training,
      adversary: null,
      trainLimit: null,
      datasetId: config.datasetId,
      name: `${config.name} · standard model on ${datasetNames[set.dataset]}`,
      // One seed for the three models: they differ only in their data.
      seed: deriveSeed(config.seed, 'training'),
      numClasses: spec.numClasses,
    },
    sweep,
    trainingSet: { source: set.source, datasetKey: set.output?.key ?? null },
    metricPrefix: `${set.dataset}.`,
  }));
  return seriesExperiment(
    items,
    train,
    test,
    progressRange(reporter, built, 1),
    (outcomes) => ({
      type: 'robust-datasets',
      evaluationEpsilons: epsilons,
      rows: sets.map((set, i) => ({
        dataset: set.dataset,
        datasetKey: set.output?.key ?? null,
        modelKey: outcomes[i]?.key ?? '',
        count: n,
        representationDistance: set.distance,
        testAccuracy: outcomes[i]?.testAccuracy ?? NaN,
        robustCurve: outcomes[i]?.robustAccuracy ?? [],
      })),
    }),
    sets.flatMap((set) => (set.output ? [set.output] : [])),
  );
}
