/**
 * What a new dataset import or export and a model import start from, in every client: the
 * Datasets view's Import and Export panels, the model import dialog and `rfw import` / `rfw
 * export`'s options read these, so the two cannot disagree. (dataset-io-schemas.ts's
 * `.default(…)`s are another thing: what a request that leaves a field out means.)
 *
 * Image folders are resized to 32×32 (cropping to fit) with a fifth held out for testing. The
 * synthetic generator's values are its own (engine/data/synthetic-features.ts): 12,000 32×32×3
 * images in 10 classes, the shape 85% predictive at contrast 0.5, the faint pattern (δ = 4/255)
 * always; a fifth of the images held out for testing, as for image folders.
 */
import type { DatasetExportFormat, ImageFitName } from './dataset-io-schemas';

export const datasetImportDefaults = {
  /** --classes / the class names choice. */
  classNames: 'numbered',
  /** CIFAR-100: the 100 fine labels, not the 20 superclasses. */
  labelKind: 'fine',
  imageFolder: {
    /** Square side the images are resized to. */
    size: 32,
    fit: 'cover',
    color: 'rgb',
    testFraction: 0.2,
    seed: 0,
  },
  synthetic: {
    count: 12_000,
    numClasses: 10,
    size: 32,
    channels: 3,
    shapeCorrelation: 0.85,
    shapeContrast: 0.5,
    patternCorrelation: 1,
    /** In [0,1] pixel units: 4/255. */
    patternAmplitude: 4 / 255,
    testFraction: 0.2,
    seed: 0,
  },
} as const satisfies {
  classNames: 'numbered';
  labelKind: 'fine' | 'coarse';
  imageFolder: {
    size: number;
    fit: ImageFitName;
    color: 'grayscale' | 'rgb';
    testFraction: number;
    seed: number;
  };
  synthetic: {
    count: number;
    numClasses: number;
    size: number;
    channels: 1 | 3;
    shapeCorrelation: number;
    shapeContrast: number;
    patternCorrelation: number;
    patternAmplitude: number;
    testFraction: number;
    seed: number;
  };
};

export const datasetExportDefaults = {
  format: 'npy',
  labelDtype: 'int64',
  /** A constructed dataset: its constructed training set alone, without the original test set. */
  withOriginalTest: false,
} as const satisfies {
  format: DatasetExportFormat;
  labelDtype: 'int64' | 'int32';
  withOriginalTest: boolean;
};

/** An imported model's input pixel range when none is given. */
export const modelImportDefaults = {
  inputRange: [0, 1],
} as const satisfies { inputRange: readonly [number, number] };
