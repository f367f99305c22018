/**
 * The datasets of experiment b (Ilyas et al. 2019, "non-robust features suffice"): for each
 * relabelling rule, D = {(x̂_n, t_n)} where
 *   t_n = the new label of training image n (relabel-targets.ts),
 *   x̂_n = targeted L2 PGD from x_n towards t_n on the standard source model.
 * To a person every x̂_n still shows class y_n, yet it is labelled t_n. Each rule gets an equal
 * share of the reporter's progress.
 */
import {
  legacyTargetDraw,
  type NonRobustFeaturesConfig,
  type RelabelRule,
} from '../../common/experiment-schemas';
import { ImageSource } from '../data/image-source';
import type { JobReporter } from '../engine-types';
import { JobCancelledError } from '../engine-types';
import type { Model } from '../models/model-types';
import { progressSpan } from '../progress/progress-span';
import type { ConstructedDatasetOutput } from '../protocol';
import { deriveSeed } from '../random/seeded-random';
import { plantTargetFeatures } from './plant-target-features';
import { relabelTargets } from './relabel-targets';
import type { TrainingSubset } from './training-subset';

export const variantNames = { random: 'D_rand', deterministic: 'D_det' } as const;

export interface NonRobustDataset {
  variant: RelabelRule;
  /** The constructed images with their new labels, to train on. */
  source: ImageSource;
  /** The same, as the experiment's result stores it. */
  output: ConstructedDatasetOutput;
  /** Fraction of the images the source model classifies as their new label. */
  attackSuccessRate: number;
  meanPerturbationL2: number;
}

export function buildNonRobustDatasets(
  sourceModel: { model: Model; id: number },
  subset: TrainingSubset,
  numClasses: number,
  config: NonRobustFeaturesConfig,
  reporter: JobReporter,
): NonRobustDataset[] {
  const { train, indices, labels } = subset;
  const share = 1 / config.variants.length;
  const draw = config.targetDraw ?? legacyTargetDraw;
  return config.variants.map((variant, v) => {
    const name = variantNames[variant];
    const stage = progressSpan(reporter, v * share, (v + 1) * share, `${name}: attack`);
    const targets = relabelTargets(
      labels,
      numClasses,
      variant,
      deriveSeed(config.seed, 'targets', variant),
      draw,
    );
    const planted = plantTargetFeatures(
      sourceModel.model,
      train,
      indices,
      targets,
      config.attack,
      deriveSeed(config.seed, 'attack', variant),
      (done) => {
        if (stage.cancelled()) throw new JobCancelledError();
        stage.progress(done / indices.length, `${Math.floor(done)}/${indices.length} images`);
      },
    );
    const { epsilon, steps, stepSize } = config.attack;
    const relabelled =
      variant === 'deterministic'
        ? 'y → (y+1) mod C'
        : draw === 'uniform'
          ? 'uniformly at random over all classes'
          : 'uniformly at random over the other classes';
    return {
      variant,
      source: new ImageSource(
        { shape: [indices.length, ...train.imageShape], data: planted.images },
        targets,
        numClasses,
        name,
      ),
      output: {
        key: `${variant}-dataset`,
        images: planted.images,
        labels: targets,
        sourceIndices: indices.slice(),
        description: `${name}: targeted L2 PGD (ε ${epsilon}, ${steps} steps of ${stepSize}) on model ${sourceModel.id}, relabelled ${relabelled}`,
      },
      attackSuccessRate: planted.reachedTarget / indices.length,
      meanPerturbationL2: planted.perturbationL2Sum / indices.length,
    };
  });
}
