/**
 * Experiment b, "non-robust features suffice for standard classification" (Ilyas et al. 2019):
 * build D_rand / D_det from targeted attacks on a standard source model
 * (build-non-robust-datasets.ts), then train a fresh model on each (standard training) and test
 * it on the ORIGINAL test set (train-series.ts).
 * High test accuracy means the fresh model learned, from the planted perturbations alone,
 * features that generalize to real images: the non-robust features the attack exploits.
 * With a D_det ε sweep, D_det is also built at each ε of the sweep and a fresh model trained on
 * each: original-test accuracy against ε, from below chance (small ε: the robust features, which
 * D_det's labels contradict, win) to above it (large ε: the planted features win).
 * Progress: every dataset built costs the same (attack: steps + 1 passes per image) and so does
 * every model trained on one (~2 per epoch), so building takes (steps + 1) / (steps + 1 + 2·epochs)
 * of the job, shared equally among the datasets.
 */
import { legacyTargetDraw, type NonRobustFeaturesConfig } from '../../common/experiment-schemas';
import type { JobReporter } from '../engine-types';
import type { Model } from '../models/model-types';
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
import type { DetSweepPointSummary } from './experiment-summaries';
import { sentModel, testSource, trainingSource } from './experiment-sources';
import { trainingSubset, type TrainingSubset } from './training-subset';
import { seriesExperiment, type SeriesItem, type SeriesOutcome } from './train-series';

/** A constructed dataset to train on: a variant, or a point of the D_det sweep. */
interface Built {
  dataset: NonRobustDataset;
  /** Names its model, its metrics and its output. */
  key: string;
  label: string;
  /** The attack's ε. */
  epsilon: number;
}

/**
 * The sweep's radii, ascending and once each; a radius the D_det variant is built at anyway is
 * not built twice (the curve takes that variant's point).
 */
export function sweepEpsilons(config: NonRobustFeaturesConfig): number[] {
  const built = config.variants.includes('deterministic') ? config.attack.epsilon : null;
  return [...new Set(config.detEpsilons ?? [])]
    .filter((epsilon) => epsilon !== built)
    .sort((a, b) => a - b);
}

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
  const sweep = sweepEpsilons(config);

  const sourceModel = importWeights(source.spec, source.weights);
  let sourceTestAccuracy: number;
  let sets: Built[];
  try {
    sourceTestAccuracy = accuracy(sourceModel, test);
    sets = buildAll(
      { model: sourceModel, id: source.id },
      subset,
      spec.numClasses,
      config,
      sweep,
      progressRange(reporter, 0, built),
    );
  } finally {
    sourceModel.dispose();
  }

  const items: SeriesItem[] = sets.map(({ dataset, key, label }) => ({
    key: `${key}-model`,
    label,
    plan: {
      recipe: config.training,
      adversary: null,
      trainLimit: null,
      datasetId: config.datasetId,
      name: `${config.name} · model on ${label}`,
      seed: deriveSeed(config.seed, 'training', dataset.variant),
      numClasses: spec.numClasses,
    },
    sweep: null,
    trainingSet: { source: dataset.source, datasetKey: dataset.output.key },
    metricPrefix: `${key}.`,
    measureTrainAccuracy: true,
  }));
  const variants = config.variants.length;
  return seriesExperiment(
    items,
    train,
    test,
    progressRange(reporter, built, 1),
    (outcomes) => ({
      type: 'non-robust-features',
      sourceTestAccuracy,
      targetDraw: config.targetDraw ?? legacyTargetDraw,
      variants: sets.slice(0, variants).map(({ dataset }, i) => ({
        variant: dataset.variant,
        count: subset.indices.length,
        attackSuccessRate: dataset.attackSuccessRate,
        meanPerturbationL2: dataset.meanPerturbationL2,
        datasetKey: dataset.output.key,
        modelKey: outcomes[i]?.key ?? '',
        trainAccuracy: outcomes[i]?.trainAccuracy ?? NaN,
        testAccuracy: outcomes[i]?.testAccuracy ?? NaN,
      })),
      detSweep: sweep.length === 0 ? [] : detCurve(sets, outcomes),
    }),
    sets.map(({ dataset }) => dataset.output),
  );
}

/**
 * The variants, then the sweep's D_det datasets, each with an equal share of the progress. A
 * sweep point is D_det built with the config's attack at its own ε (the same targets and seed:
 * only ε differs), keyed `deterministic-eps-<i>`.
 */
function buildAll(
  sourceModel: { model: Model; id: number },
  subset: TrainingSubset,
  numClasses: number,
  config: NonRobustFeaturesConfig,
  sweep: readonly number[],
  reporter: JobReporter,
): Built[] {
  const total = config.variants.length + sweep.length;
  const mainShare = config.variants.length / total;
  const main = buildNonRobustDatasets(
    sourceModel,
    subset,
    numClasses,
    config,
    progressRange(reporter, 0, mainShare),
  ).map((dataset) => ({
    dataset,
    key: dataset.variant,
    label: variantNames[dataset.variant],
    epsilon: config.attack.epsilon,
  }));
  const points = sweep.map((epsilon, i): Built => {
    const start = mainShare + i / total;
    const [dataset] = buildNonRobustDatasets(
      sourceModel,
      subset,
      numClasses,
      { ...config, variants: ['deterministic'], attack: { ...config.attack, epsilon } },
      progressRange(reporter, start, start + 1 / total),
    );
    if (!dataset) throw new Error(`D_det at ε = ${epsilon} was not built`);
    const key = `deterministic-eps-${i}`;
    return {
      dataset: { ...dataset, output: { ...dataset.output, key: `${key}-dataset` } },
      key,
      label: `D_det ε = ${epsilon}`,
      epsilon,
    };
  });
  return [...main, ...points];
}

/** Every D_det built (the variant and the sweep's), by ascending ε. */
function detCurve(
  sets: readonly Built[],
  outcomes: readonly SeriesOutcome[],
): DetSweepPointSummary[] {
  return sets
    .flatMap(({ dataset, epsilon }, i) =>
      dataset.variant === 'deterministic'
        ? [
            {
              epsilon,
              attackSuccessRate: dataset.attackSuccessRate,
              meanPerturbationL2: dataset.meanPerturbationL2,
              datasetKey: dataset.output.key,
              modelKey: outcomes[i]?.key ?? '',
              trainAccuracy: outcomes[i]?.trainAccuracy ?? NaN,
              testAccuracy: outcomes[i]?.testAccuracy ?? NaN,
            },
          ]
        : [],
    )
    .sort((a, b) => a.epsilon - b.epsilon);
}
