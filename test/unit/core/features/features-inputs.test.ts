/**
 * What the core reads from a features config against its dataset, now that each view's
 * descriptor says it (inputs, pool, classes, checks): the images sent, the pool searched or
 * fitted on, and the refusals before a run exists.
 */
import { describe, expect, it } from 'vitest';
import {
  buildFeaturesConfig,
  featuresOptionDefaults,
  type FeaturesConfig,
  type FeaturesViewName,
  type FeaturesViewOptions,
} from '../../../../src-main/common/features-views/registry';
import {
  checkAgainstDataset,
  inputIndices,
  poolIndices,
} from '../../../../src-main/core/features/features-inputs';
import type { DatasetRecord } from '../../../../src-main/db/repositories/dataset-repository';

/** A dataset of `splits` (0 train, 1 test, one per image), 12×12 greyscale, 3 classes. */
function datasetOf(splits: number[]): DatasetRecord {
  return {
    id: 1,
    name: 'tiny',
    imageShape: [12, 12, 1],
    count: splits.length,
    dtype: 'float32',
    classNames: ['a', 'b', 'c'],
    split: { method: 'test', seed: 0, train: 0, test: 0 },
    source: 'test',
    labels: Int32Array.from(splits, (_, i) => i % 3),
    splits: Uint8Array.from(splits),
    createdAt: '',
  };
}

/** Train images 0..5, test images 6..9. */
const dataset = datasetOf([0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);

function configOf<V extends FeaturesViewName>(
  view: V,
  images: number[],
  options: Partial<FeaturesViewOptions[V]> = {},
): FeaturesConfig {
  const all = featuresOptionDefaults({ imageShape: dataset.imageShape, classCount: 3 });
  const defaults: FeaturesViewOptions[FeaturesViewName] = all[view];
  return buildFeaturesConfig(view, {
    name: 'n',
    datasetId: 1,
    modelIds: [1],
    seed: 0,
    images,
    options: { ...defaults, ...options },
  });
}

describe('the images a features view sends the engine', () => {
  it('are the chosen ones, in the order the runner reads them', () => {
    expect(inputIndices(configOf('saliency', [4, 2]))).toEqual([4, 2]);
    expect(inputIndices(configOf('interpolation', [7, 3]))).toEqual([7, 3]);
    expect(inputIndices(configOf('inversion', [1, 2], { start: 'noise' }))).toEqual([1, 2]);
    // Starting from images: the targets, then image n + 1 of the list for target n.
    expect(inputIndices(configOf('inversion', [1, 2, 5], { start: 'images' }))).toEqual([
      1, 2, 5, 2, 5, 1,
    ]);
    expect(inputIndices(configOf('generation', [1, 2]))).toEqual([]);
  });

  it('come with a pool only for the views that search or fit on the dataset', () => {
    const unit = configOf('feature-visualization', [], { searchLimit: 3 });
    expect(poolIndices(unit, dataset)).toEqual([6, 7, 8]);
    // Without a test split the search falls back on the train split.
    expect(poolIndices(unit, datasetOf([0, 0, 0, 0, 0]))).toEqual([0, 1, 2]);
    expect(poolIndices(configOf('generation', []), dataset)).toEqual([0, 1, 2, 3, 4, 5]);
    // Without a train split the fit takes every image.
    expect(poolIndices(configOf('generation', []), datasetOf([1, 1, 1]))).toEqual([0, 1, 2]);
    expect(poolIndices(configOf('inpainting', [0], { fill: 'seed' }), dataset)).toEqual([
      0, 1, 2, 3, 4, 5,
    ]);
    expect(poolIndices(configOf('inpainting', [0], { fill: 'grey' }), dataset)).toBeNull();
    expect(poolIndices(configOf('saliency', [0]), dataset)).toBeNull();
  });
});

describe('a features config checked against its dataset', () => {
  it('passes when everything fits', () => {
    for (const config of [
      configOf('saliency', [0, 9]),
      configOf('counterfactual', [1], { targetClass: 2 }),
      configOf('super-resolution', [1], { factor: 3 }),
      configOf('inpainting', [1]),
    ]) {
      expect(() => checkAgainstDataset(config, dataset)).not.toThrow();
    }
  });

  it('refuses an image, a class, a mask, a factor or a pair that does not fit', () => {
    expect(() => checkAgainstDataset(configOf('saliency', [10]), dataset)).toThrow(
      'image 10 is not in dataset "tiny" (it has 10 images, 0..9)',
    );
    expect(() =>
      checkAgainstDataset(configOf('counterfactual', [0], { targetClass: 3 }), dataset),
    ).toThrow('class 3 is not in dataset "tiny" (classes 0..2)');
    expect(() =>
      checkAgainstDataset(configOf('generation', [], { classes: [0, 5] }), dataset),
    ).toThrow('class 5 is not in dataset "tiny" (classes 0..2)');
    expect(() =>
      checkAgainstDataset(configOf('super-resolution', [0], { factor: 5 }), dataset),
    ).toThrow('the factor 5 does not divide the image size 12×12');
    const mask = Array.from({ length: 100 }, (_, i) => (i < 10 ? 1 : 0));
    expect(() => checkAgainstDataset(configOf('inpainting', [0], { mask }), dataset)).toThrow(
      'the mask has 100 pixels but the images are 12×12 (144)',
    );
    expect(() => checkAgainstDataset(configOf('interpolation', [4, 4]), dataset)).toThrow(
      'choose two different images to interpolate between',
    );
    expect(() => checkAgainstDataset(configOf('feature-visualization', []), datasetOf([]))).toThrow(
      'dataset "tiny" has no images to search or fit on',
    );
  });
});
