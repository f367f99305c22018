/**
 * Train/test split and stored order for an image-folder import.
 *
 * Split: from the train/ and test/ folders when there are any; else class-stratified and seeded:
 * in class c (n_c files, in sorted order) a Fisher–Yates permutation seeded with
 * deriveSeed(seed, 'split', c) puts its first round(n_c · testFraction) files in test.
 *
 * Order: the scan is class-major, so the images are stored in a seeded permutation
 * (deriveSeed(seed, 'order')), train first, so that any range of indices mixes the classes.
 */
import { deriveSeed, range, seededPermutation } from '../../engine/random/seeded-random';
import type { ScannedImage } from './image-folder-scan';

export interface SplitPlan {
  /** order[position] = index into the scanned images of the image stored at `position`. */
  order: Int32Array;
  /** 0 = train, 1 = test, per stored position. */
  splits: Uint8Array;
  method: string;
}

export function planSplit(
  images: readonly ScannedImage[],
  classCount: number,
  testFraction: number,
  seed: number,
): SplitPlan {
  const split = new Uint8Array(images.length);
  let method: string;
  if (images.every((image) => image.split !== null)) {
    images.forEach((image, index) => (split[index] = image.split ?? 0));
    method = 'from the train/ and test/ folders';
  } else {
    for (let label = 0; label < classCount; label += 1) {
      const members = images.flatMap((image, index) => (image.label === label ? [index] : []));
      const testCount = Math.round(members.length * testFraction);
      const shuffled = seededPermutation(range(members.length), deriveSeed(seed, 'split', label));
      for (let k = 0; k < testCount; k += 1) split[members[shuffled[k] ?? 0] ?? 0] = 1;
    }
    method = `class-stratified seeded split (Fisher–Yates, mulberry32): round(${testFraction} · class size) of each class in test`;
  }
  const shuffled = seededPermutation(range(images.length), deriveSeed(seed, 'order'));
  const train = Array.from(shuffled).filter((index) => split[index] === 0);
  const test = Array.from(shuffled).filter((index) => split[index] === 1);
  const order = Int32Array.from([...train, ...test]);
  const splits = Uint8Array.from(order, (index) => split[index] ?? 0);
  return { order, splits, method: `${method}; stored in a seeded shuffled order, train first` };
}
