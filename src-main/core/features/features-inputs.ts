/**
 * Which dataset images a features view sends the engine, and the checks on them that can be
 * made before a run exists: indices inside the dataset, classes inside its class list, a mask
 * of the image's size. (Checks that need the model built — a representation unit inside its
 * width — are the engine's.)
 */
import type { FeaturesConfig } from '../../common/features-schemas';
import type { DatasetRecord } from '../../db/repositories/dataset-repository';
import { splitIndices } from '../datasets/dataset-reading';

/** Pool sizes: enough for a stable top-k or a Gaussian fit, small enough to send at once. */
const SEARCH_POOL_DEFAULT = 10_000;
const FIT_POOL_LIMIT = 20_000;

/** The images the view works on, in the order its runner reads them. */
export function inputIndices(config: FeaturesConfig): number[] {
  switch (config.view) {
    case 'saliency':
    case 'super-resolution':
    case 'inpainting':
    case 'counterfactual':
      return config.imageIndices;
    case 'inversion':
      return config.start.kind === 'images'
        ? [...config.targetIndices, ...config.start.indices]
        : config.targetIndices;
    case 'interpolation':
      return [config.fromIndex, config.toIndex];
    case 'feature-visualization':
      return config.addToIndices;
    case 'generation':
      return [];
  }
}

/** The dataset images a view searches or fits on, or null when it needs none. */
export function poolIndices(config: FeaturesConfig, dataset: DatasetRecord): number[] | null {
  switch (config.view) {
    case 'feature-visualization': {
      const test = splitIndices(dataset, 'test');
      const search = test.length > 0 ? test : splitIndices(dataset, 'train');
      return search.slice(0, config.searchLimit ?? SEARCH_POOL_DEFAULT);
    }
    case 'generation':
      return fitPool(dataset);
    case 'inpainting':
      return config.fill === 'seed' ? fitPool(dataset) : null;
    default:
      return null;
  }
}

/** The class-conditional seed is fitted on training images (all images if there is no split). */
function fitPool(dataset: DatasetRecord): number[] {
  const train = splitIndices(dataset, 'train');
  const pool = train.length > 0 ? train : Array.from(dataset.labels, (_, index) => index);
  return pool.slice(0, FIT_POOL_LIMIT);
}

function classesOf(config: FeaturesConfig): number[] {
  switch (config.view) {
    case 'generation':
      return config.classes;
    case 'counterfactual':
      return [config.targetClass];
    default:
      return [];
  }
}

/** Throws a message naming the first thing in the config that does not fit the dataset. */
export function checkAgainstDataset(config: FeaturesConfig, dataset: DatasetRecord): void {
  const count = dataset.labels.length;
  for (const index of inputIndices(config)) {
    if (index >= count) {
      throw new Error(
        `image ${index} is not in dataset "${dataset.name}" (it has ${count} images, 0..${count - 1})`,
      );
    }
  }
  const classes = dataset.classNames.length;
  for (const label of classesOf(config)) {
    if (label >= classes) {
      throw new Error(
        `class ${label} is not in dataset "${dataset.name}" (classes 0..${classes - 1})`,
      );
    }
  }
  if (config.view === 'inpainting') {
    const [height, width] = dataset.imageShape;
    if (config.mask.length !== height * width) {
      throw new Error(
        `the mask has ${config.mask.length} pixels but the images are ${height}×${width} (${height * width})`,
      );
    }
  }
  if (config.view === 'super-resolution') {
    const [height, width] = dataset.imageShape;
    if (height % config.factor !== 0 || width % config.factor !== 0) {
      throw new Error(
        `the factor ${config.factor} does not divide the image size ${height}×${width}`,
      );
    }
  }
  if (config.view === 'interpolation' && config.fromIndex === config.toIndex) {
    throw new Error('choose two different images to interpolate between');
  }
  const pool = poolIndices(config, dataset);
  if (pool !== null && pool.length === 0) {
    throw new Error(`dataset "${dataset.name}" has no images to search or fit on`);
  }
}
