/**
 * The images of D_R / D_NR (Ilyas et al. 2019, §3.1): for each training image x, an image x_r
 * whose representation under the chosen model matches x's,
 *   x_r = argmin_{x' ∈ [0,1]^d} ‖g(x') − g(x)‖₂ / ‖g(x)‖₂,
 * found by normalized-L2 descent (invert-representation.ts) from a start that shares nothing
 * with x: another random training image (the paper's choice) or uniform noise. Through a robust
 * model x_r keeps only what the robust features of x encode; through a standard one, what its
 * (mostly non-robust) features encode. Batches of INVERSION_BATCH; float32 results.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ImageSource } from '../data/image-source';
import { invertRepresentation } from '../features/invert-representation';
import type { Model } from '../models/model-types';
import { mulberry32 } from '../random/seeded-random';

export const INVERSION_BATCH = 64;

export interface ReproductionPlan {
  steps: number;
  stepSize: number;
  start: 'image' | 'noise';
  seed: number;
}

export interface ReproducedImages {
  /** N·H·W·C in [0,1]. */
  images: Float32Array;
  /** Mean relative representation distance at the end. */
  meanDistance: number;
}

/** For each target position n, a different training image (uniform over the others). */
export function otherImages(targets: Int32Array, count: number, seed: number): Int32Array {
  if (count < 2) throw new Error('starting from another image needs at least 2 training images');
  const random = mulberry32(seed);
  return targets.map((target) => {
    const pick = Math.floor(random() * (count - 1));
    return pick >= target ? pick + 1 : pick;
  });
}

function noise(shape: [number, number, number, number], random: () => number): tf.Tensor4D {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = random();
  return tf.tensor4d(values, shape);
}

export function reproduceRepresentations(
  model: Model,
  source: ImageSource,
  indices: Int32Array,
  plan: ReproductionPlan,
  onStep: (done: number) => void,
): ReproducedImages {
  const [h, w, c] = source.imageShape;
  const size = h * w * c;
  const images = new Float32Array(indices.length * size);
  const starts = plan.start === 'image' ? otherImages(indices, source.count, plan.seed) : null;
  const random = mulberry32(plan.seed);
  let distanceSum = 0;
  for (let first = 0; first < indices.length; first += INVERSION_BATCH) {
    const end = Math.min(indices.length, first + INVERSION_BATCH);
    const targets = source.take(indices.subarray(first, end));
    const start =
      starts === null
        ? noise([end - first, h, w, c], random)
        : source.take(starts.subarray(first, end));
    const startImages = start instanceof tf.Tensor ? start : start.images;
    const representation = tf.tidy(() => model.forward(targets.images).representation);
    try {
      const outcome = invertRepresentation(
        model,
        startImages,
        representation,
        { steps: plan.steps, stepSize: plan.stepSize },
        { beforeStep: (step) => onStep(first + ((end - first) * step) / plan.steps) },
      );
      images.set(outcome.images.dataSync(), first * size);
      distanceSum += tf.tidy(() => tf.sum(outcome.loss).dataSync()[0] ?? NaN);
      tf.dispose([outcome.images, outcome.loss]);
    } finally {
      tf.dispose([targets.images, targets.labels, representation]);
      tf.dispose(start instanceof tf.Tensor ? [start] : [start.images, start.labels]);
    }
  }
  return { images, meanDistance: distanceSum / indices.length };
}
