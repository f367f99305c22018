/**
 * The training sets of experiment c (Ilyas et al. 2019, §3.1): D, the training subset itself
 * (the baseline), and D_R / D_NR, each image re-made to match a robust / standard model's
 * representation of a training image (reproduce-representations.ts), keeping its label.
 * Each constructed variant gets an equal share of the reporter's progress; D costs nothing.
 */
import type { RobustDatasetsConfig } from '../../common/experiment-schemas';
import { ImageSource } from '../data/image-source';
import { JobCancelledError, type JobReporter } from '../engine-types';
import { importWeights } from '../models/model-weights';
import { progressSpan } from '../progress/progress-span';
import type { ConstructedDatasetOutput, ExperimentJobSpec } from '../protocol';
import { deriveSeed } from '../random/seeded-random';
import { sentModel } from './experiment-sources';
import { reproduceRepresentations } from './reproduce-representations';
import type { TrainingSubset } from './training-subset';

export const datasetNames = { original: 'D', robust: 'D_R', standard: 'D_NR' } as const;

export interface RobustTrainingSet {
  dataset: keyof typeof datasetNames;
  source: ImageSource;
  /** The constructed dataset as the result stores it; null for D, which is not stored again. */
  output: ConstructedDatasetOutput | null;
  /** Mean ‖g(x_r) − g(x)‖ / ‖g(x)‖ at the end of the inversion; null for D. */
  distance: number | null;
}

export function buildRobustDatasets(
  spec: ExperimentJobSpec,
  subset: TrainingSubset,
  config: RobustDatasetsConfig,
  reporter: JobReporter,
): RobustTrainingSet[] {
  const { train, indices, labels } = subset;
  const n = indices.length;
  const shape: [number, number, number, number] = [n, ...train.imageShape];
  const original: RobustTrainingSet = {
    dataset: 'original',
    source: new ImageSource({ shape, data: train.pixels(indices) }, labels, spec.numClasses, 'D'),
    output: null,
    distance: null,
  };
  const share = 1 / config.variants.length;
  const constructed = config.variants.map((variant, v): RobustTrainingSet => {
    const name = datasetNames[variant];
    const id = variant === 'robust' ? config.robustModelId : config.standardModelId;
    const input = sentModel(spec, id, `${variant} model`);
    const model = importWeights(input.spec, input.weights);
    const stage = progressSpan(
      reporter,
      v * share,
      (v + 1) * share,
      `${name}: inverting ${variant === 'robust' ? 'the robust' : 'the standard'} representation`,
    );
    try {
      const reproduced = reproduceRepresentations(
        model,
        train,
        indices,
        { ...config.inversion, seed: deriveSeed(config.seed, 'start', variant) },
        (images) => {
          if (stage.cancelled()) throw new JobCancelledError();
          stage.progress(images / n, `${Math.floor(images)}/${n} images`);
        },
      );
      const { steps, stepSize, start } = config.inversion;
      const from = start === 'image' ? 'another random training image' : 'uniform noise';
      return {
        dataset: variant,
        source: new ImageSource({ shape, data: reproduced.images }, labels, spec.numClasses, name),
        output: {
          key: `${variant}-dataset`,
          images: reproduced.images,
          labels: labels.slice(),
          sourceIndices: indices.slice(),
          description: `${name}: each image re-made to match model ${id}'s representation of a training image (${steps} normalized L2 steps of ${stepSize} from ${from}), keeping its label`,
        },
        distance: reproduced.meanDistance,
      };
    } finally {
      model.dispose();
    }
  });
  return [original, ...constructed];
}
