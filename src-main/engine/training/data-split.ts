/**
 * Which training-split images a run trains on and which it holds out for validation:
 *   validation = the first V of a permutation of 0..n−1 seeded by (seed, 'validation')
 *   training   = the permutation seeded by (seed, 'subset') without the validation images,
 *                cut to trainLimit
 * Without validation the training list is exactly the one of runs made before validation
 * existed (same seed, same subset). V is `size` itself for a whole number ≥ 1, else
 * round(size · n), at least 1; at least one training image must remain.
 */
import type { ValidationConfig } from '../../common/training-schemas';
import { deriveSeed, range, seededPermutation } from '../random/seeded-random';

export interface DataSplit {
  training: Int32Array;
  validation: Int32Array;
}

export function validationCount(size: number, available: number): number {
  if (!Number.isFinite(size) || size <= 0 || (size >= 1 && !Number.isInteger(size))) {
    throw new Error(
      `validation size must be a whole number of images, or a fraction between 0 and 1, got ${size}`,
    );
  }
  const count = size >= 1 ? size : Math.max(1, Math.round(size * available));
  if (count >= available) {
    throw new Error(
      `a validation set of ${count} images leaves none of the ${available} training images to train on`,
    );
  }
  return count;
}

export function splitTrainingData(
  available: number,
  seed: number,
  trainLimit: number | null,
  validation: ValidationConfig | null,
): DataSplit {
  const held = new Uint8Array(available);
  let heldOut = new Int32Array(0);
  if (validation !== null) {
    const count = validationCount(validation.size, available);
    heldOut = seededPermutation(range(available), deriveSeed(seed, 'validation')).slice(0, count);
    for (const index of heldOut) held[index] = 1;
  }
  const subset = seededPermutation(range(available), deriveSeed(seed, 'subset')).filter(
    (index) => held[index] === 0,
  );
  const training =
    trainLimit === null ? subset : subset.subarray(0, Math.min(trainLimit, subset.length));
  return { training, validation: heldOut };
}
