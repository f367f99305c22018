/**
 * The training images an experiment constructs its datasets from: the first `limit` of a
 * seeded shuffle of the training split (all of them when limit is null), with their labels.
 * `indices` are positions in the training split, which the core maps back to the dataset.
 */
import type { ImageSource } from '../data/image-source';
import { deriveSeed, range, seededPermutation } from '../random/seeded-random';

export interface TrainingSubset {
  /** The training split the indices point into. */
  train: ImageSource;
  indices: Int32Array;
  labels: Int32Array;
}

export function trainingSubset(
  train: ImageSource,
  limit: number | null,
  seed: number,
): TrainingSubset {
  const shuffled = seededPermutation(range(train.count), deriveSeed(seed, 'subset'));
  const indices = shuffled.subarray(0, Math.min(limit ?? train.count, train.count));
  return { train, indices, labels: indices.map((index) => train.labels[index] ?? 0) };
}
