/**
 * Class-conditional seeds for generation and in-painting (Santurkar et al. 2019): a Gaussian per
 * class fitted on the job's pool of dataset images, downsampled by `factor`, then sampled.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { defaultSeedRidge, fitClassGaussians, sampleSeeds } from '../class-conditional-seed';
import type { ViewContext } from './view-context';

export function classSeeds(
  context: ViewContext,
  classes: readonly number[],
  factor: number,
  seed: number,
): tf.Tensor4D {
  const pool = context.spec.pool;
  if (pool === null) throw new Error('class-conditional seeds need dataset images to fit on');
  context.progress.report(0, 'fitting the class-conditional seed Gaussians');
  const fit = fitClassGaussians(pool.images, pool.labels, context.spec.classNames.length, {
    factor,
    ridge: defaultSeedRidge,
  });
  const missing = classes.filter((label) => fit.classes[label] === null);
  if (missing.length > 0) {
    throw new Error(
      `classes ${missing.map((label) => context.className(label)).join(', ')} have fewer than 2 images to fit a seed on`,
    );
  }
  return sampleSeeds(fit, classes, seed);
}
