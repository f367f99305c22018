/**
 * The synthetic "robust vs non-robust features" images as an import source: generated (no
 * files), split so that the last ⌈testFraction·N⌉ images are the test set (the generator's order
 * carries no structure: labels are balanced and every image is drawn independently), and
 * described — options and both features' norms — in the dataset's source line. Generation is one
 * synchronous call on the main process (about 1 s per 12,000 32×32×3 images here), which is why
 * the contract caps the count at 60,000.
 */
import type { SyntheticFeaturesSource } from '../../common/dataset-io-schemas';
import {
  featureNorms,
  generateSyntheticFeatures,
  type SyntheticFeaturesOptions,
} from '../../engine/data/synthetic-features';
import type { DatasetContent } from './dataset-content';
import { DatasetImportError } from './dataset-content';
import { checkpoint, type TaskContext } from './task-context';

export async function loadSyntheticDataset(
  source: SyntheticFeaturesSource,
  context: TaskContext,
): Promise<DatasetContent> {
  const options: SyntheticFeaturesOptions = {
    count: source.count,
    numClasses: source.numClasses,
    height: source.height,
    width: source.width,
    channels: source.channels,
    seed: source.seed,
    robust: source.robust,
    nonRobust: source.nonRobust,
  };
  context.report(0, 'generating images');
  await checkpoint(context);
  let generated;
  try {
    generated = generateSyntheticFeatures(options);
  } catch (error) {
    throw new DatasetImportError([error instanceof Error ? error.message : String(error)]);
  }
  const norms = featureNorms(generated);
  const count = source.count;
  const test = Math.ceil(source.testFraction * count);
  const splits = new Uint8Array(count);
  splits.fill(1, count - test);
  const describe = (value: number) => value.toFixed(4);
  return {
    imageShape: [source.height, source.width, source.channels],
    classNames: Array.from({ length: source.numClasses }, (_, k) => `class ${k}`),
    source:
      `synthetic robust/non-robust features (seed ${source.seed}): shape agrees with the label ` +
      `with p = ${source.robust.correlation}, contrast ${source.robust.contrast} ` +
      `(L∞ ${describe(norms.robust.linf)}, L2 ${describe(norms.robust.l2Mean)} on average); ` +
      `faint pattern with p = ${source.nonRobust.correlation}, δ = ${describe(source.nonRobust.amplitude)} ` +
      `(L∞ ${describe(norms.nonRobust.linf)}, L2 ${describe(norms.nonRobust.l2)})`,
    split: {
      method: `generated; the last ${test} images are the test set`,
      seed: source.seed,
      train: count - test,
      test,
    },
    pixels: generated.images.data,
    labels: generated.labels,
    splits,
    files: [],
    notes: [
      `pattern norms: L∞ ${describe(norms.nonRobust.linf)}, L2 ${describe(norms.nonRobust.l2)}; shape norms: L∞ ${describe(norms.robust.linf)}, L2 ${describe(norms.robust.l2Min)}–${describe(norms.robust.l2Max)}`,
      'stored as float32: rounding to bytes would erase the faint pattern',
    ],
  };
}
