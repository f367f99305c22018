/**
 * What the feature view reads of one representation unit besides its search and synthesis: its
 * activation r_u per image (measured along the "add feature" path), and the units most active on
 * the pool images, named when the chosen unit is dead.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../../models/model-types';
import { labeledSource, type ViewContext } from './view-context';

/** Pool images whose mean representation names the liveliest units in a dead-unit warning. */
const LIVELY_SAMPLE = 512;

/**
 * The units with the largest mean activation over the first pool images, for the warning that
 * the chosen unit is dead (0 on every image: common in robust models, whose ReLUs are sparse).
 */
export function livelyUnits(model: Model, context: ViewContext, count: number): number[] {
  const pool = context.spec.pool;
  if (pool === null) return [];
  const [n, h, w, c] = pool.images.shape;
  const take = Math.min(n, LIVELY_SAMPLE);
  const source = labeledSource(pool, context.spec.classNames.length, 'the dataset images');
  const means = tf.tidy(() => {
    const images = tf.tensor4d(source.pixels(Array.from({ length: take }, (_, i) => i)), [
      take,
      h,
      w,
      c,
    ]);
    return Array.from(tf.mean(model.forward(images).representation, 0).dataSync());
  });
  return means
    .map((mean, unit) => ({ mean, unit }))
    .filter(({ mean }) => mean > 0)
    .sort((a, b) => b.mean - a.mean)
    .slice(0, count)
    .map(({ unit }) => unit);
}

/** r_u of each image [N,H,W,C]. */
export function activationOf(model: Model, images: tf.Tensor4D, unit: number): number[] {
  return tf.tidy(() =>
    Array.from(tf.slice(model.forward(images).representation, [0, unit], [-1, 1]).dataSync()),
  );
}
