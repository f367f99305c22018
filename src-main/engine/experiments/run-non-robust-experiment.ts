/**
 * Experiment b, "non-robust features suffice for standard classification" (Ilyas et al. 2019):
 * build D_rand / D_det from targeted attacks on a standard source model
 * (build-non-robust-datasets.ts), then train a fresh model on each (standard training) and test
 * it on the ORIGINAL test set (train-series.ts).
 * High test accuracy means the fresh model learned, from the planted perturbations alone,
 * features that generalize to real images: the non-robust features the attack exploits.
 * Progress: building and training split the job in proportion to their estimated passes per
 * image and variant (attack: steps + 1; training: ~2 per epoch).
 */
import { legacyTargetDraw, type NonRobustFeaturesConfig } from '../../common/experiment-schemas';
import type { JobReporter } from '../engine-types';
import { importWeights } from '../models/model-weights';
import { progressRange } from '../progress/progress-span';
import type { ExperimentJobResult, ExperimentJobSpec } from '../protocol';
import { deriveSeed } from '../random/seeded-random';
import { accuracy } from '../training/evaluate';
import {
  buildNonRobustDatasets,
  variantNames,
  type NonRobustDataset,
} from './build-non-robust-datasets';
import { sentModel, testSource, trainingSource } from './experiment-sources';
import { trainingSubset } from './training-subset';
import { seriesExperiment, type SeriesItem } from './train-series';

export function runNonRobustExperiment(
  spec: ExperimentJobSpec,
  config: NonRobustFeaturesConfig,
  reporter: JobReporter,
): ExperimentJobResult {
  const source = sentModel(spec, config.sourceModelId, 'source model');
  const train = trainingSource(spec);
  const test = testSource(spec);
  const subset = trainingSubset(train, config.trainLimit, config.seed);
  const attackWork = config.attack.steps + 1;
  const built = attackWork / (attackWork + 2 * config.training.epochs);

  const sourceModel = importWeights(source.spec, source.weights);
  let sourceTestAccuracy: number;
  let datasets: NonRobustDataset[];
  try {
    sourceTestAccuracy = accuracy(sourceModel, test);
    datasets = buildNonRobustDatasets(
      { model: sourceModel, id: source.id },
      subset,
      spec.numClasses,
      config,
      progressRange(reporter, 0, built),
    );
  } finally {
    sourceModel.dispose();
  }

  const items: SeriesItem[] = datasets.map(({ variant, source: constructed, output }) => ({
    key: `${variant}-model`,
    label: variantNames[variant],
    plan: {
      recipe: config.training,
      adversary: null,
      trainLimit: null,
      datasetId: config.datasetId,
      name: `${config.name} · model on ${variantNames[variant]}`,
      seed: deriveSeed(config.seed, 'training', variant),
      numClasses: spec.numClasses,
    },
    sweep: null,
    trainingSet: { source: constructed, datasetKey: output.key },
    metricPrefix: `${variant}.`,
    measureTrainAccuracy: true,
  }));
  return seriesExperiment(
    items,
    train,
    test,
    progressRange(reporter, built, 1),
    (outcomes) => ({
      type: 'non-robust-features',
      sourceTestAccuracy,
      targetDraw: config.targetDraw ?? legacyTargetDraw,
      variants: datasets.map((dataset, i) => ({
        variant: dataset.variant,
        count: subset.indices.length,
        attackSuccessRate: dataset.attackSuccessRate,
        meanPerturbationL2: dataset.meanPerturbationL2,
        datasetKey: dataset.output.key,
        modelKey: outcomes[i]?.key ?? '',
        trainAccuracy: outcomes[i]?.trainAccuracy ?? NaN,
        testAccuracy: outcomes[i]?.testAccuracy ?? NaN,
      })),
    }),
    datasets.map((dataset) => dataset.output),
  );
}
