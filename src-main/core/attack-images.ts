/**
 * Which dataset images an attack means, and where each one sits. An attack config counts its
 * images either in the test split (what the forms and the CLI send) or, as runs saved before the
 * choice existed did, in the whole dataset; everything stored (artifacts, example.index) uses
 * dataset positions, the one numbering every image has.
 */
import type { AttackExample, AttackIndexSpace } from '../common/attack-schemas';
import type { DatasetRecord } from '../db/repositories/dataset-repository';
import { splitIndices } from './datasets/dataset-reading';

/** The dataset positions of `indices` counted in `space`; test positions past the split throw. */
export function attackDatasetIndices(
  dataset: DatasetRecord,
  indices: readonly number[],
  space: AttackIndexSpace,
): number[] {
  if (space === 'dataset') return [...indices];
  const test = splitIndices(dataset, 'test');
  return indices.map((position) => {
    const index = test[position];
    if (index === undefined) {
      throw new Error(
        test.length === 0
          ? `dataset "${dataset.name}" has no test images to attack`
          : `there is no test image ${position}: the test split of "${dataset.name}" has ${test.length} images (0 to ${test.length - 1})`,
      );
    }
    return index;
  });
}

/** Adds each example's split and its position in that split, from its dataset position. */
export function withSplitPositions(
  dataset: DatasetRecord,
  examples: readonly AttackExample[],
): AttackExample[] {
  // position[i]: how many images of the same split come before dataset image i.
  const positions = new Int32Array(dataset.splits.length);
  const seen = [0, 0];
  dataset.splits.forEach((mark, index) => {
    positions[index] = seen[mark] ?? 0;
    seen[mark] = (seen[mark] ?? 0) + 1;
  });
  return examples.map((example) => {
    const mark = dataset.splits[example.index];
    if (mark === undefined) return example;
    return {
      ...example,
      split: mark === 0 ? 'train' : 'test',
      splitPosition: positions[example.index] ?? -1,
    };
  });
}
