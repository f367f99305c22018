/**
 * Experiment b, "non-robust features suffice for standard classification" (Ilyas et al. 2019):
 * for each relabelling rule (D_rand, D_det):
 *   1. t_n = new label of training image n (relabel-targets.ts);
 *   2. x̂_n = targeted L2 PGD from x_n towards t_n on the standard source model;
 *   3. D = {(x̂_n, t_n)}: to a person every image still shows class y_n, yet it is labelled t_n;
 *   4. train a fresh model on D (standard training) and test it on the ORIGINAL test set.
 * High test accuracy means the fresh model learned, from the planted perturbations alone,
 * features that generalize to real images: the non-robust features the attack exploits.
 * Progress: each variant gets an equal share, split between the attack and the training in
 * proportion to their estimated passes (attack: steps + 1 per image; training: ~2 per epoch).
 */
import type { NonRobustFeaturesConfig } from '../../common/experiment-schemas';
import { ImageSource } from '../data/image-source';
import { progressSpan } from '../progress/progress-span';
import { importWeights } from '../models/model-weights';
import type {
  ConstructedDatasetOutput,
  ExperimentJobResult,
  ExperimentJobSpec,
  TrainedModelOutput,
} from '../protocol';
import type { JobReporter } from '../engine-types';
import { JobCancelledError } from '../engine-types';
import { deriveSeed, range, seededPermutation } from '../random/seeded-random';
import { accuracy } from '../training/evaluate';
import type { NonRobustVariantSummary } from './experiment-summaries';
import { plantTargetFeatures } from './plant-target-features';
import { relabelTargets } from './relabel-targets';
import { freshModelOutput, trainFreshModel } from './train-fresh-model';
import { trainingSource, testSource } from './experiment-sources';

const variantNames = { random: 'D_rand', deterministic: 'D_det' } as const;

export function runNonRobustExperiment(
  spec: ExperimentJobSpec,
  config: NonRobustFeaturesConfig,
  reporter: JobReporter,
): ExperimentJobResult {
  const source = spec.models.find((model) => model.id === config.sourceModelId);
  if (source === undefined) throw new Error(`source model ${config.sourceModelId} was not sent`);
  const train = trainingSource(spec);
  const test = testSource(spec);
  const shuffled = seededPermutation(range(train.count), deriveSeed(config.seed, 'subset'));
  const indices = shuffled.subarray(0, Math.min(config.trainLimit ?? train.count, train.count));
  const labels = indices.map((index) => train.labels[index] ?? 0);

  const attackWork = config.attack.steps + 1;
  const trainWork = 2 * config.training.epochs;
  const share = 1 / config.variants.length;
  const attackShare = share * (attackWork / (attackWork + trainWork));

  const sourceModel = importWeights(source.spec, source.weights);
  const datasets: ConstructedDatasetOutput[] = [];
  const models: TrainedModelOutput[] = [];
  const variants: NonRobustVariantSummary[] = [];
  try {
    const sourceTestAccuracy = accuracy(sourceModel, test);
    config.variants.forEach((variant, v) => {
      const name = variantNames[variant];
      const start = v * share;
      const attackReporter = progressSpan(reporter, start, start + attackShare, `${name}: attack`);
      const targets = relabelTargets(
        labels,
        spec.numClasses,
        variant,
        deriveSeed(config.seed, 'targets', variant),
      );
      const planted = plantTargetFeatures(
        sourceModel,
        train,
        indices,
        targets,
        config.attack,
        deriveSeed(config.seed, 'attack', variant),
        (done) => {
          if (attackReporter.cancelled()) throw new JobCancelledError();
          attackReporter.progress(
            done / indices.length,
            `${Math.floor(done)}/${indices.length} images`,
          );
        },
      );
      const constructed = new ImageSource(
        { shape: [indices.length, ...train.imageShape], data: planted.images },
        targets,
        spec.numClasses,
        name,
      );
      const trainReporter = progressSpan(
        reporter,
        start + attackShare,
        start + share,
        `${name}: training`,
        `${variant}.`,
      );
      const fresh = trainFreshModel(
        {
          recipe: config.training,
          adversary: null,
          trainLimit: null,
          datasetId: config.datasetId,
          name: `${config.name} · model on ${name}`,
          seed: deriveSeed(config.seed, 'training', variant),
          numClasses: spec.numClasses,
        },
        constructed,
        test,
        trainReporter,
      );
      try {
        const datasetKey = `${variant}-dataset`;
        const modelKey = `${variant}-model`;
        datasets.push({
          key: datasetKey,
          images: planted.images,
          labels: targets,
          sourceIndices: indices.slice(),
          description: `${name}: targeted L2 PGD (ε ${config.attack.epsilon}, ${config.attack.steps} steps of ${config.attack.stepSize}) on model ${source.id}, relabelled ${variant === 'random' ? 'uniformly at random' : 'y → (y+1) mod C'}`,
        });
        models.push(freshModelOutput(modelKey, fresh, false, datasetKey));
        variants.push({
          variant,
          count: indices.length,
          attackSuccessRate: planted.reachedTarget / indices.length,
          meanPerturbationL2: planted.perturbationL2Sum / indices.length,
          datasetKey,
          modelKey,
          trainAccuracy: accuracy(fresh.model, constructed),
          testAccuracy: fresh.testAccuracy,
        });
      } finally {
        fresh.model.dispose();
      }
    });
    reporter.progress(1, 'experiment finished');
    return {
      kind: 'experiment',
      datasets,
      models,
      summary: { type: 'non-robust-features', sourceTestAccuracy, variants },
    };
  } finally {
    sourceModel.dispose();
  }
}
