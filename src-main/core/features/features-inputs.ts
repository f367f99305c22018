/**
 * Which dataset images a features view sends the engine, and the checks on them that can be
 * made before a run exists: indices inside the dataset, classes inside its class list, and the
 * view's own checks (a mask of the image's size, …). What each view asks is in its descriptor
 * (common/features-views/); this file reads it against the dataset. (Checks that need the model
 * built — a representation unit inside its width — are the engine's.)
 */
import type { FeaturesConfig } from '../../common/features-schemas';
import { featuresViewOf } from '../../common/features-views/registry';
import { FIT_POOL_LIMIT, type ViewPool } from '../../common/features-views/view-descriptor';
import type { DatasetRecord } from '../../db/repositories/dataset-repository';
import { splitIndices } from '../datasets/dataset-reading';

/** The images the view works on, in the order its runner reads them. */
export function inputIndices(config: FeaturesConfig): number[] {
  return featuresViewOf(config).inputs(config);
}

/** The dataset images a view searches or fits on, or null when it needs none. */
export function poolIndices(config: FeaturesConfig, dataset: DatasetRecord): number[] | null {
  const pool = featuresViewOf(config).pool?.(config) ?? null;
  return pool === null ? null : poolOf(pool, dataset);
}

function poolOf(pool: ViewPool, dataset: DatasetRecord): number[] {
  switch (pool.kind) {
    case 'search': {
      const test = splitIndices(dataset, 'test');
      const search = test.length > 0 ? test : splitIndices(dataset, 'train');
      return search.slice(0, pool.limit);
    }
    case 'fit': {
      // The class-conditional seed is fitted on training images (all images if there is no split).
      const train = splitIndices(dataset, 'train');
      const fit = train.length > 0 ? train : Array.from(dataset.labels, (_, index) => index);
      return fit.slice(0, FIT_POOL_LIMIT);
    }
  }
}

/** Throws a message naming the first thing in the config that does not fit the dataset. */
export function checkAgainstDataset(config: FeaturesConfig, dataset: DatasetRecord): void {
  const view = featuresViewOf(config);
  const count = dataset.labels.length;
  for (const index of view.inputs(config)) {
    if (index >= count) {
      throw new Error(
        `image ${index} is not in dataset "${dataset.name}" (it has ${count} images, 0..${count - 1})`,
      );
    }
  }
  const classes = dataset.classNames.length;
  for (const label of view.classes?.(config) ?? []) {
    if (label >= classes) {
      throw new Error(
        `class ${label} is not in dataset "${dataset.name}" (classes 0..${classes - 1})`,
      );
    }
  }
  view.check?.(config, dataset);
  const pool = poolIndices(config, dataset);
  if (pool !== null && pool.length === 0) {
    throw new Error(`dataset "${dataset.name}" has no images to search or fit on`);
  }
}
